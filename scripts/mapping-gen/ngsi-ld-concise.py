"""Generates mappings/builtin/ngsi-ld-concise.yml (see its header): every attribute form of NGSI-LD
concise and key-values, for each body shape (one entity, an array, a GeoJSON Feature, a
FeatureCollection), as YARRRML. Usage: python3 ngsi-ld-concise.py HEADER.yml > OUT.yml"""
import sys

header = open(sys.argv[1]).read()

def date(up):
    e = '^' * up
    return (f"{e}..[?@ == $.dateObserved || @ == $.dateObserved['@value'] || "
            f"@ == $.dateObserved.value || @ == $.dateObserved.value['@value']]")

def sensor(up, id_ref):
    e = '^' * up
    return f'''      - [sosa:madeBySensor, $({e}.refDevice)~iri]
      - [sosa:madeBySensor, $({e}.refDevice.object)~iri]
      - p: sosa:madeBySensor
        o: $({id_ref})~iri
        condition:
          function: idlab-fn:isNull
          parameters:
            - [idlab-fn:str, "$({e}[?@ == $.type && $.refDevice >= '' || @ == $.type && $.refDevice[0] || @ == $.type && $.refDevice.object])"]
'''

def observation(name, sources, subject, up, prop_group, time_fn, time_ref, value_ref, unit_ref, feature=False):
    id_ref = '^' * (up + 1 if feature else up) + '.id'
    subject = subject.replace('{ID}', id_ref)
    if feature:
        name, roots = f"{name}-in-feature", f"{sources}-in-feature, {sources}-in-features"
    else:
        roots = f"{sources}, {sources}-in-array"
    group = f"\n            - [citykg-fn:group, $({prop_group})]" if prop_group else ""
    text = f'''  {name}-observation:
    sources: [{roots}]
    s: "{subject}"
    po:
      - [a, sosa:Observation]
      - [sosa:hasFeatureOfInterest, $({id_ref})~iri]
{sensor(up, id_ref)}      - p: sosa:observedProperty
        o:
          function: citykg-fn:propertyIri
          parameters:
            - [citykg-fn:value, $(~)]{group}
          type: iri
      - p: sosa:resultTime
        o:
          function: citykg-fn:{time_fn}
          parameters:
            - [citykg-fn:value, "$({time_ref})"]
          datatype: xsd:dateTime
      - [sosa:hasSimpleResult, $({value_ref}), xsd:double]
'''
    if unit_ref:
        text += f'''      - p: sosa:hasResult
        o: "{subject}/result~iri"
        condition:
          function: idlab-fn:isNotNull
          parameters:
            - [idlab-fn:str, $({unit_ref})]
  {name}-result:
    sources: [{roots}]
    s: "{subject}/result"
    condition:
      function: idlab-fn:isNotNull
      parameters:
        - [idlab-fn:str, $({unit_ref})]
    po:
      - [a, qudt:QuantityValue]
      - [qudt:numericValue, $({value_ref}), xsd:double]
      - p: qudt:unit
        o:
          function: citykg-fn:unitFromCode
          parameters:
            - [citykg-fn:value, $({unit_ref})]
          type: iri
'''
    return text

PROPERTY = "(!@.type || @.type == 'Property')"
NUMBER_VALUE = "(@.value >= 0 || @.value < 0)"
def both(name, path, comment=None):
    """The iterator over a plain entity, the entities of an array, a GeoJSON Feature's
    properties and the properties of a FeatureCollection's features."""
    lines = []
    if comment:
        lines.append(f"  # {comment}")
    lines.append(f'  {name}: [payload.json~jsonpath, "${path}"]')
    lines.append(f'  {name}-in-array: [payload.json~jsonpath, "$[?@.id]{path}"]')
    if path.startswith("[?"):
        depth, quoted, end = 0, False, None
        for at, char in enumerate(path):
            if char == "'":
                quoted = not quoted
            elif not quoted and char == "[":
                depth += 1
            elif not quoted and char == "]":
                depth -= 1
                if depth == 0:
                    end = at
                    break
        gated = "[?$.type == 'Feature' && (" + path[2:end] + ")]" + path[end + 1:]
        lines.append(f'  {name}-in-feature: [payload.json~jsonpath, "$.properties{gated}"]')
    else:
        lines.append(f'  {name}-in-feature: [payload.json~jsonpath, "$[?$.type == \'Feature\' && @{path}]{path}"]')
    lines.append(f'  {name}-in-features: [payload.json~jsonpath, "$.features[?@.type == \'Feature\'].properties{path}"]')
    return "\n".join(lines) + "\n"

body = '''prefixes:
  sosa: http://www.w3.org/ns/sosa/
  saref: https://saref.etsi.org/core/
  geo: http://www.opengis.net/ont/geosparql#
  qudt: http://qudt.org/schema/qudt/
  rdfs: http://www.w3.org/2000/01/rdf-schema#
  dcterms: http://purl.org/dc/terms/
  xsd: http://www.w3.org/2001/XMLSchema#
  citykg: https://w3id.org/citykg/ns#
  citykg-fn: https://w3id.org/citykg/function#
  idlab-fn: https://w3id.org/imec/idlab/function#
  grel: http://users.ugent.be/~bjdmeest/function/grel.ttl#

sources:
  entity: [payload.json~jsonpath, $]
  entity-in-array: [payload.json~jsonpath, "$[?@.id]"]
  feature: [payload.json~jsonpath, $]
  features: [payload.json~jsonpath, "$.features[?@.type == 'Feature']"]
'''
body += both("scalars", "[?@ >= 0 || @ < 0]",
             "Bare numbers (RFC 9535 has no type test: `@ >= 0 || @ < 0` holds for numbers only).")
body += both("timed", f"[?{PROPERTY} && @.observedAt && {NUMBER_VALUE}]",
             "`{\"value\": N}`, with its own observedAt or dated by the entity.")
body += both("dated", f"[?{PROPERTY} && !@.observedAt && {NUMBER_VALUE}]")
body += both("bare-members", "[?!@.type && !@.value && !@.object && !@[0]][?@ >= 0 || @ < 0]",
             "Numeric members of bare objects and of `{\"value\": {...}}` (`!@[0]` leaves arrays out).")
body += both("timed-members", f"[?{PROPERTY} && @.observedAt && !@.value[0]].value[?@ >= 0 || @ < 0]")
body += both("dated-members", f"[?{PROPERTY} && !@.observedAt && !@.value[0]].value[?@ >= 0 || @ < 0]")
body += both("relationships", "[?@.object && (!@.type || @.type == 'Relationship')]")
body += both("ref-device", ".refDevice")

body += '''
mappings:
  entity:
    sources: [entity, entity-in-array]
    s:
      function: citykg-fn:absoluteIri
      parameters:
        - [citykg-fn:value, $(id)]
    condition:
      function: idlab-fn:notEqual
      parameters:
        - [grel:valueParameter, $(type)]
        - [grel:valueParameter2, Feature]
    po:
      - p: a
        o:
          function: citykg-fn:absoluteIri
          parameters:
            - [citykg-fn:value, $(type)]
            - [citykg-fn:namespace, "https://uri.etsi.org/ngsi-ld/default-context/"]
          type: iri
      - [dcterms:identifier, $(id)]
      - [rdfs:label, $(name)]
      - [rdfs:label, $(name.value)]
      - [dcterms:description, $(description)]
      - [dcterms:description, $(description.value)]
      - p: a
        o: sosa:FeatureOfInterest~iri
        condition:
          function: idlab-fn:notEqual
          parameters:
            - [grel:valueParameter, $(type)]
            - [grel:valueParameter2, Device]
      - p: a
        o: sosa:Sensor~iri
        condition:
          function: equal
          parameters:
            - [str1, $(type)]
            - [str2, Device]
      - p: a
        o: saref:Device~iri
        condition:
          function: equal
          parameters:
            - [str1, $(type)]
            - [str2, Device]
      - p: geo:hasGeometry
        o:
          function: idlab-fn:concat
          parameters:
            - [idlab-fn:str, $(id)]
            - [idlab-fn:otherStr, /geometry]
          type: iri
        condition:
          function: idlab-fn:isNotNull
          parameters:
            - [idlab-fn:str, $(location..coordinates)]

  geometry:
    # `location` as GeoJSON itself, or wrapped in `{"value": ...}`: one of the two WKT objects
    # finds its `type` and `coordinates`, the other gives nothing.
    sources: [entity, entity-in-array]
    s:
      function: idlab-fn:concat
      parameters:
        - [idlab-fn:str, $(id)]
        - [idlab-fn:otherStr, /geometry]
    condition:
      function: idlab-fn:isNotNull
      parameters:
        - [idlab-fn:str, $(location..coordinates)]
    po:
      - [a, geo:Geometry]
      - p: geo:asWKT
        o:
          function: citykg-fn:wktFromGeoJson
          parameters:
            - [citykg-fn:geometryType, $(location.type)]
            - [citykg-fn:coordinates, $(location.coordinates)]
          datatype: geo:wktLiteral
      - p: geo:asWKT
        o:
          function: citykg-fn:wktFromGeoJson
          parameters:
            - [citykg-fn:geometryType, $(location.value.type)]
            - [citykg-fn:coordinates, $(location.value.coordinates)]
          datatype: geo:wktLiteral

  relationship:
    sources: [relationships, relationships-in-array]
    s: $(^.id)~iri
    po:
      - p: citykg:relationship
        o:
          function: citykg-fn:absoluteIri
          parameters:
            - [citykg-fn:value, $(object)]
          type: iri

  device:
    # refDevice as a string or an array of strings (key-values).
    sources: [ref-device, ref-device-in-array, ref-device-in-feature, ref-device-in-features]
    s:
      function: citykg-fn:absoluteIri
      parameters:
        - [citykg-fn:value, $(@)]
    po:
      - [a, sosa:Sensor]
      - [a, saref:Device]
  device-object:
    # refDevice as `{"object": ...}` (concise).
    sources: [ref-device, ref-device-in-array, ref-device-in-feature, ref-device-in-features]
    s:
      function: citykg-fn:absoluteIri
      parameters:
        - [citykg-fn:value, $(object)]
    po:
      - [a, sosa:Sensor]
      - [a, saref:Device]

  # Each observation's sensor: refDevice in either form, else the entity itself (the
  # condition's reference is the entity's id when refDevice is a string, a non-empty array or
  # has an `object`: RFC 9535 cannot ask "absent or of another form" any other way).

  # --- a bare number, dated by the entity ---
'''
body += observation("scalar", "scalars", f"id/observation/$({{ID}})/$(~)/$({date(1)})", 1, None,
                    "intervalEnd", date(1), "@", None)
body += "\n  # --- `{\"value\": N}` with its own observedAt ---\n"
body += observation("timed", "timed", f"id/observation/$({{ID}})/$(~)/$(observedAt)", 1, None,
                    "toUtcDateTime", "observedAt", "value", "unitCode")
body += "\n  # --- `{\"value\": N}` dated by the entity ---\n"
body += observation("dated", "dated", f"id/observation/$({{ID}})/$(~)/$({date(1)})", 1, None,
                    "intervalEnd", date(1), "value", "unitCode")
body += "\n  # --- a member of a bare object of numbers, dated by the entity (two levels below it) ---\n"
body += observation("bare-member", "bare-members", f"id/observation/$({{ID}})/$(^~)/$(~)/$({date(2)})", 2, "^~",
                    "intervalEnd", date(2), "@", None)
body += "\n  # --- a member of `{\"value\": {...}}`, the attribute with its own observedAt (the member\n  # is two levels below its attribute, three below the entity) ---\n"
body += observation("timed-member", "timed-members", f"id/observation/$({{ID}})/$(^^~)/$(~)/$(^^.observedAt)", 3, "^^~",
                    "toUtcDateTime", "^^.observedAt", "@", "^^.unitCode")
body += "\n  # --- a member of `{\"value\": {...}}`, dated by the entity ---\n"
body += observation("dated-member", "dated-members", f"id/observation/$({{ID}})/$(^^~)/$(~)/$({date(3)})", 3, "^^~",
                    "intervalEnd", date(3), "@", "^^.unitCode")


body += """
  # === The GeoJSON Feature representation (`Accept: application/geo+json`): a Feature, or a
  # FeatureCollection's features; the entity's `id` on the Feature, its `type` and attributes
  # under `properties`, its location the Feature's `geometry` (GeoJSON, or wrapped in
  # `{"value": ...}` as the Smart Data Models example writes it). The same maps as above, with
  # the entity's id one level further up.
  entity-feature:
    sources: [feature, features]
    s:
      function: citykg-fn:absoluteIri
      parameters:
        - [citykg-fn:value, $(id)]
    condition:
      function: equal
      parameters:
        - [str1, $(type)]
        - [str2, Feature]
    po:
      - p: a
        o:
          function: citykg-fn:absoluteIri
          parameters:
            - [citykg-fn:value, $(properties.type)]
            - [citykg-fn:namespace, "https://uri.etsi.org/ngsi-ld/default-context/"]
          type: iri
      - [dcterms:identifier, $(id)]
      - [rdfs:label, $(properties.name)]
      - [rdfs:label, $(properties.name.value)]
      - [dcterms:description, $(properties.description)]
      - [dcterms:description, $(properties.description.value)]
      - p: a
        o: sosa:FeatureOfInterest~iri
        condition:
          function: idlab-fn:notEqual
          parameters:
            - [grel:valueParameter, $(properties.type)]
            - [grel:valueParameter2, Device]
      - p: a
        o: sosa:Sensor~iri
        condition:
          function: equal
          parameters:
            - [str1, $(properties.type)]
            - [str2, Device]
      - p: a
        o: saref:Device~iri
        condition:
          function: equal
          parameters:
            - [str1, $(properties.type)]
            - [str2, Device]
      - p: geo:hasGeometry
        o:
          function: idlab-fn:concat
          parameters:
            - [idlab-fn:str, $(id)]
            - [idlab-fn:otherStr, /geometry]
          type: iri
        condition:
          function: idlab-fn:isNotNull
          parameters:
            - [idlab-fn:str, $(geometry..coordinates)]

  geometry-feature:
    sources: [feature, features]
    s:
      function: idlab-fn:concat
      parameters:
        - [idlab-fn:str, $(id)]
        - [idlab-fn:otherStr, /geometry]
    condition:
      function: idlab-fn:isNotNull
      parameters:
        - [idlab-fn:str, $(geometry..coordinates)]
    po:
      - [a, geo:Geometry]
      - p: geo:asWKT
        o:
          function: citykg-fn:wktFromGeoJson
          parameters:
            - [citykg-fn:geometryType, $(geometry.type)]
            - [citykg-fn:coordinates, $(geometry.coordinates)]
          datatype: geo:wktLiteral
      - p: geo:asWKT
        o:
          function: citykg-fn:wktFromGeoJson
          parameters:
            - [citykg-fn:geometryType, $(geometry.value.type)]
            - [citykg-fn:coordinates, $(geometry.value.coordinates)]
          datatype: geo:wktLiteral

  relationship-in-feature:
    sources: [relationships-in-feature, relationships-in-features]
    s: $(^^.id)~iri
    po:
      - p: citykg:relationship
        o:
          function: citykg-fn:absoluteIri
          parameters:
            - [citykg-fn:value, $(object)]
          type: iri
"""
body += observation("scalar", "scalars", f"id/observation/$({{ID}})/$(~)/$({date(1)})", 1, None,
                    "intervalEnd", date(1), "@", None, feature=True)
body += "\n  # --- in a Feature: `{\"value\": N}` with its own observedAt ---\n"
body += observation("timed", "timed", f"id/observation/$({{ID}})/$(~)/$(observedAt)", 1, None,
                    "toUtcDateTime", "observedAt", "value", "unitCode", feature=True)
body += "\n  # --- in a Feature: `{\"value\": N}` dated by the entity ---\n"
body += observation("dated", "dated", f"id/observation/$({{ID}})/$(~)/$({date(1)})", 1, None,
                    "intervalEnd", date(1), "value", "unitCode", feature=True)
body += "\n  # --- in a Feature: a member of a bare object of numbers, dated by the entity (two levels below it) ---\n"
body += observation("bare-member", "bare-members", f"id/observation/$({{ID}})/$(^~)/$(~)/$({date(2)})", 2, "^~",
                    "intervalEnd", date(2), "@", None, feature=True)
body += "\n  # --- in a Feature: a member of `{\"value\": {...}}`, the attribute with its own observedAt (the member\n  # is two levels below its attribute, three below the entity) ---\n"
body += observation("timed-member", "timed-members", f"id/observation/$({{ID}})/$(^^~)/$(~)/$(^^.observedAt)", 3, "^^~",
                    "toUtcDateTime", "^^.observedAt", "@", "^^.unitCode", feature=True)
body += "\n  # --- in a Feature: a member of `{\"value\": {...}}`, dated by the entity ---\n"
body += observation("dated-member", "dated-members", f"id/observation/$({{ID}})/$(^^~)/$(~)/$({date(3)})", 3, "^^~",
                    "intervalEnd", date(3), "@", "^^.unitCode", feature=True)

sys.stdout.write(header + body)
