#!/usr/bin/env python3
"""Generates mappings/builtin/sensorthings.yml (see its header). Every entity position of the
supported SensorThings nesting, every IRI variant (own @iot.id, or minted), as YARRRML."""
import sys

OM = "http://www.opengis.net/def/observationType/OGC-OM/2.0/"
ID = "['@iot.id']"

# ---------------------------------------------------------------- references and conditions
def ref(prefix, r):
    """A reference `r` (a member path, or ID; possibly climbing with `^`) seen through `prefix`
    (climbs `^^`, then member steps `Datastream.Sensor.`)."""
    r = ID if r == "ID" else r
    if prefix == "":
        return r
    ups = len(prefix) - len(prefix.lstrip("^"))
    downs = [seg for seg in prefix[ups:].split(".") if seg]
    rups = len(r) - len(r.lstrip("^"))
    rest = r[rups:].lstrip(".")
    while rups and downs:
        downs.pop()
        rups -= 1
    ups += rups
    base = "^" * ups + ("." if ups and downs else "") + ".".join(downs)
    if base == "":
        return rest
    if base.endswith("^") and rest.startswith("["):
        return base + rest
    return base + ("" if rest.startswith("[") else ".") + rest

def join_prefix(a, b):
    """Prefix b applied after prefix a (both ups, or ups then downs)."""
    if a == "":
        return b
    if b == "":
        return a
    if b.startswith("^"):
        assert not a.endswith("."), (a, b)
        return a + b
    if a.endswith("."):
        return a + b
    return a + "." + b

def NN(r): return ("notnull", r)
def NU(r): return ("null", r)
def AND(*xs):
    flat = [x for x in xs if x is not None]
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else ("and", flat)
def OR(*xs): return ("or", list(xs))
def NOT(x): return ("not", x)
def ABSIRI(r): return ("absiri", r)
def EQ(r, v): return ("eq", r, v)

def rebase(cond, prefix):
    if cond is None:
        return None
    kind = cond[0]
    if kind in ("notnull", "null", "absiri"):
        return (kind, ref(prefix, cond[1]) if not cond[1].startswith("@@") else cond[1])
    if kind == "eq":
        return (kind, ref(prefix, cond[1]), cond[2])
    if kind == "not":
        return (kind, rebase(cond[1], prefix))
    return (kind, [rebase(c, prefix) for c in cond[1]])

def emit_fn(cond, ind):
    """A condition as a YARRRML function value, at indentation `ind`."""
    s = " " * ind
    kind = cond[0]
    if kind in ("notnull", "null"):
        fn = "idlab-fn:isNotNull" if kind == "notnull" else "idlab-fn:isNull"
        return f"{s}function: {fn}\n{s}parameters:\n{s}  - [idlab-fn:str, \"$({ref('', cond[1])})\"]\n"
    if kind == "absiri":
        return f"{s}function: citykg-fn:isAbsoluteIri\n{s}parameters:\n{s}  - [citykg-fn:value, \"$({cond[1]})\"]\n"
    if kind == "eq":
        return (f"{s}function: idlab-fn:equal\n{s}parameters:\n{s}  - [grel:valueParameter, \"$({cond[1]})\"]\n"
                f"{s}  - [grel:valueParameter2, \"{cond[2]}\"]\n")
    if kind == "not":
        return (f"{s}function: grel:boolean_not\n{s}parameters:\n{s}  - parameter: grel:bool_b\n{s}    value:\n"
                + emit_fn(cond[1], ind + 6))
    fn = "grel:boolean_and" if kind == "and" else "grel:boolean_or"
    out = f"{s}function: {fn}\n{s}parameters:\n"
    for c in cond[1]:
        out += f"{s}  - parameter: grel:param_rep_b\n{s}    value:\n" + emit_fn(c, ind + 6)
    return out

# ---------------------------------------------------------------- templates
def tpl(parts):
    """parts: list of literal strings and ('ref', r) tuples."""
    return "".join(p if isinstance(p, str) else f"$({p[1]})" for p in parts)

def rebase_parts(parts, prefix):
    return [p if isinstance(p, str) else ("ref", ref(prefix, p[1])) for p in parts]

# ---------------------------------------------------------------- positions
TYPES = {"T": "Thing", "L": "Location", "D": "Datastream", "S": "Sensor",
         "P": "ObservedProperty", "O": "Observation", "F": "FeatureOfInterest"}

class Pos:
    def __init__(self, key, t, suffix, parent=None, member=None, array=False, detached=False, rootcond=None):
        self.key, self.t, self.suffix = key, t, suffix
        self.parent, self.member, self.array = parent, member, array
        self.detached = detached or parent is None
        self.rootcond = rootcond
    def up(self):
        return "^^" if self.array else "^"

def iri_variants(pos):
    """(template parts, condition) pairs relative to pos's record; exactly one applies."""
    t = TYPES[pos.t]
    if pos.t == "P":
        return [
            ([("ref", "definition")], ABSIRI("definition"), "iri"),
            (("fn", "propertyIri", "name"), AND(NOT(ABSIRI("definition")), NN("name")), "fn"),
            (["id/sta/ObservedProperty/", ("ref", ID)], AND(NOT(ABSIRI("definition")), NU("name")), "tpl"),
        ]
    if pos.t == "O":
        own = (["id/observation/sta/", ("ref", ID)], None, "tpl")
        out = [own]
        dprefix, dpos = obs_datastream(pos)
        for parts, cond, kind in iri_variants(dpos):
            parts = rebase_parts(parts, dprefix)
            assert parts[0].startswith("id/sta/")
            parts = ["id/observation/sta/" + parts[0][len("id/sta/"):]] + parts[1:] + ["/", ("ref", "phenomenonTime")]
            out.append((parts, AND(NU("ID"), rebase(cond, dprefix)), "tpl"))
        return out
    out = [(["id/sta/" + t + "/", ("ref", ID)], None, "tpl")]
    if pos.detached:
        out.append((["id/sta/" + t + "/name/", ("ref", "name")], NU("ID"), "tpl"))
    else:
        up = pos.up()
        for parts, cond, kind in iri_variants(pos.parent):
            parts = rebase_parts(parts, up) + ["/" + pos.member]
            if pos.array:
                parts += ["/", ("ref", "name")]
            out.append((parts, AND(NU("ID"), rebase(cond, up)), "tpl"))
    return out

def related(pos, prefix, target):
    """IRI variants of `target` (a Pos) seen from pos through prefix."""
    return [(rebase_parts(p, prefix) if kind != "fn" else ("fn", p[1], ref(prefix, p[2])), rebase(c, prefix), kind)
            for p, c, kind in iri_variants(target)]

# ---------------------------------------------------------------- the supported nesting
def thing_test():
    return AND(NN("name"), NU("observationType"), NU("unitOfMeasurement.definition"), NU("unitOfMeasurement.symbol"),
               NU("unitOfMeasurement.name"), NU("result"), NU("phenomenonTime"), NU("resultTime"),
               NU("encodingType"), NU("definition"), NU("location.type"), NU("feature.type"))
DS_TEST = OR(NN("observationType"), NN("unitOfMeasurement.definition"), NN("unitOfMeasurement.symbol"), NN("unitOfMeasurement.name"))
NOT_DS = AND(NU("observationType"), NU("unitOfMeasurement.definition"), NU("unitOfMeasurement.symbol"), NU("unitOfMeasurement.name"))
ROOT_TESTS = {
    "T": thing_test(),
    "D": DS_TEST,
    "O": AND(NOT_DS, OR(NN("result"), NN("phenomenonTime"), NN("resultTime"))),
    "S": AND(NN("encodingType"), NN("metadata")),
    "L": AND(NN("location.type"), NU("metadata")),
    "F": AND(NN("feature.type"), NU("metadata")),
    "P": AND(NN("definition"), NU("encodingType")),
}
ROOT_DOCS = {
    "T": "a name and none of the members below",
    "D": "`observationType` or `unitOfMeasurement`",
    "O": "`result`, `phenomenonTime` or `resultTime` (and not a Datastream)",
    "S": "`encodingType` and `metadata`",
    "L": "`location` (GeoJSON with a `type`)",
    "F": "`feature` (GeoJSON with a `type`)",
    "P": "`definition` without `encodingType`",
}

P = {}
def add(pos):
    P[pos.key] = pos
    return pos

for t in "TDOSLFP":
    add(Pos("R" + t, t, "", rootcond=ROOT_TESTS[t]))
# Thing deep insert
add(Pos("RT.L", "L", ".Locations[*]", P["RT"], "Locations", True, detached=True))
add(Pos("RT.D", "D", ".Datastreams[*]", P["RT"], "Datastreams", True))
add(Pos("RT.D.S", "S", ".Datastreams[*].Sensor", P["RT.D"], "Sensor"))
add(Pos("RT.D.P", "P", ".Datastreams[*].ObservedProperty", P["RT.D"], "ObservedProperty"))
add(Pos("RT.D.O", "O", ".Datastreams[*].Observations[*]", P["RT.D"], "Observations", True))
add(Pos("RT.D.O.F", "F", ".Datastreams[*].Observations[*].FeatureOfInterest", P["RT.D.O"], "FeatureOfInterest", detached=True))
# Datastream deep insert
add(Pos("RD.T", "T", ".Thing", P["RD"], "Thing", detached=True))
add(Pos("RD.T.L", "L", ".Thing.Locations[*]", P["RD.T"], "Locations", True, detached=True))
add(Pos("RD.S", "S", ".Sensor", P["RD"], "Sensor"))
add(Pos("RD.P", "P", ".ObservedProperty", P["RD"], "ObservedProperty"))
add(Pos("RD.O", "O", ".Observations[*]", P["RD"], "Observations", True))
add(Pos("RD.O.F", "F", ".Observations[*].FeatureOfInterest", P["RD.O"], "FeatureOfInterest", detached=True))
# Observation deep insert
add(Pos("RO.D", "D", ".Datastream", P["RO"], "Datastream", detached=True))
add(Pos("RO.D.T", "T", ".Datastream.Thing", P["RO.D"], "Thing", detached=True))
add(Pos("RO.D.T.L", "L", ".Datastream.Thing.Locations[*]", P["RO.D.T"], "Locations", True, detached=True))
add(Pos("RO.D.S", "S", ".Datastream.Sensor", P["RO.D"], "Sensor"))
add(Pos("RO.D.P", "P", ".Datastream.ObservedProperty", P["RO.D"], "ObservedProperty"))
add(Pos("RO.F", "F", ".FeatureOfInterest", P["RO"], "FeatureOfInterest", detached=True))

def child(pos, member):
    for p in P.values():
        if p.parent is pos and p.member == member:
            return p
    return None

def obs_datastream(pos):
    """(prefix from the observation to its datastream, the datastream's Pos)."""
    if pos.parent is not None:
        return pos.up(), pos.parent
    return "Datastream.", P["RO.D"]

def ds_member(dpos, member):
    """(prefix from the datastream to its member entity, that Pos); the member may be a
    reference that no position describes."""
    if member == "Thing" and dpos.key == "RT.D":
        return dpos.up(), dpos.parent
    c = child(dpos, member)
    if c is None:
        # A member of a datastream with no position of its own: seen as a reference.
        c = Pos("ref", member[0] if member != "ObservedProperty" else "P", "", dpos, member, detached=True)
    return member + ".", c

# ---------------------------------------------------------------- emitting
SOURCES = {"obj": "$", "arr": "$[0:]", "coll": "$.value[*]"}
out = []
sources = {}

def source_names(pos):
    names = []
    for form, root in SOURCES.items():
        name = (pos.key.replace(".", "-").lower() + "-" + form)
        sources[name] = root + pos.suffix
        names.append(name)
    return names

def emit_object(o, ind):
    s = " " * ind
    kind = o[0]
    if kind == "iri":
        return f"{s}o:\n{s}  value: \"{tpl(o[1])}\"\n{s}  type: iri\n"
    if kind == "lit":
        dt = f"\n{s}  datatype: {o[2]}" if o[2] else ""
        return f"{s}o:\n{s}  value: \"$({o[1]})\"{dt}\n"
    if kind == "const":
        return f"{s}o: {o[1]}\n"
    if kind == "fn":
        _, fn, params, typ = o
        body = f"{s}o:\n{s}  function: {fn}\n{s}  parameters:\n"
        for pname, pval in params:
            if isinstance(pval, tuple):
                body += f"{s}    - parameter: {pname}\n{s}      value:\n" + emit_fn(pval, ind + 8)
            else:
                body += f"{s}    - [{pname}, \"{pval}\"]\n"
        body += f"{s}  {typ}\n"
        return body
    raise ValueError(o)

def variant_object(parts, kind):
    if kind == "fn":
        return ("fn", "citykg-fn:propertyIri", [("citykg-fn:value", f"$({parts[2]})")], "type: iri")
    return ("iri", parts)

def po(p, o, cond=None):
    return (p, o, cond)

def links(p, variants, extra=None):
    """One po per variant of the linked entity, each under its condition."""
    return [po(p, variant_object(parts, kind), AND(extra, cond) if (extra or cond) else None)
            for parts, cond, kind in variants]

USED = set()
def unique(name):
    base, n = name, 1
    while name in USED:
        n += 1
        name = f"{base}-{n}"
    USED.add(name)
    return name

def mapping(name, comment, pos, pos_list, subject_cond=None, subject_variants=None, suffix=""):
    """One YARRRML mapping per subject variant of `pos` (or the given variants)."""
    variants = subject_variants or iri_variants(pos)
    srcs = source_names(pos)
    for i, (parts, cond, kind) in enumerate(variants):
        full = AND(pos.rootcond, subject_cond, cond)
        text = f"  {unique(name)}:\n"
        if comment and i == 0:
            text = f"  # {comment}\n" + text
        text += f"    sources: [{', '.join(srcs)}]\n"
        if kind == "fn":
            text += f"    s:\n      function: citykg-fn:propertyIri\n      parameters:\n        - [citykg-fn:value, \"$({parts[2]})\"]\n"
        else:
            text += f"    s: \"{tpl(parts + ([suffix] if suffix else []))}\"\n"
        if full is not None:
            text += "    condition:\n" + emit_fn(full, 6)
        text += "    po:\n"
        for p, o, c in pos_list:
            text += f"      - p: {p}\n" + emit_object(o, 8)
            if c is not None:
                text += "        condition:\n" + emit_fn(c, 10)
        out.append(text)

def own(pos):
    t = pos.t
    common = [po("rdfs:label", ("lit", "name", None)), po("dcterms:description", ("lit", "description", None))]
    if t == "T":
        cls = ["sosa:Platform"]
    elif t == "L":
        cls = ["geo:Feature", "sosa:FeatureOfInterest"]
    elif t == "F":
        cls = ["sosa:FeatureOfInterest", "geo:Feature"]
    elif t == "S":
        cls = ["sosa:Sensor", "saref:Device"]
    elif t == "P":
        cls = ["sosa:ObservableProperty"]
    elif t == "D":
        cls = ["citykg:Datastream"]
    else:
        cls = []
    items = [po("a", ("const", c)) for c in cls] + common
    if t in "LF":
        items.append(po("geo:hasGeometry", ("iri", None)))  # placeholder, filled per variant
    if t == "D":
        items.append(po("citykg:observationType", ("iri", [("ref", "observationType")])))
        items.append(po("qudt:unit", ("fn", "citykg-fn:unitFromIri",
                                      [("citykg-fn:value", "$(unitOfMeasurement.definition)"),
                                       ("citykg-fn:ucum", "$(unitOfMeasurement.symbol)")], "type: iri")))
    if t == "P":
        items.append(po("skos:exactMatch", ("iri", ["id/sta/ObservedProperty/", ("ref", ID)]), ABSIRI("definition")))
    return items

GEOJSON = {"L": "location", "F": "feature"}

def entity(pos):
    label = f"{TYPES[pos.t]} at {describe(pos)}"
    items = [x for x in own(pos) if x[0] != "geo:hasGeometry"]
    if pos.t in "LF":
        # The geometry node hangs under each variant: emitted per variant.
        for i, (parts, cond, kind) in enumerate(iri_variants(pos)):
            geo_items = items + [po("geo:hasGeometry", ("iri", parts + ["/geometry"]), has_geometry(pos))]
            mapping(f"{slug(pos)}", label if i == 0 else None, pos, geo_items, subject_variants=[(parts, cond, kind)])
            mapping(f"{slug(pos)}-geometry", None, pos, geometry_items(pos), subject_cond=has_geometry(pos),
                    subject_variants=[(parts, cond, kind)], suffix="/geometry")
        return
    mapping(slug(pos), label, pos, items)

def has_geometry(pos):
    m = GEOJSON[pos.t]
    return OR(NN(m + ".type"), NN(m + ".geometry.type"))

def geometry_items(pos):
    m = GEOJSON[pos.t]
    items = [po("a", ("const", "geo:Geometry"))]
    for path in (m, m + ".geometry"):
        items.append(po("geo:asWKT", ("fn", "citykg-fn:wktFromGeoJson",
                                     [("citykg-fn:geometryType", f"$({path}.type)"),
                                      ("citykg-fn:coordinates", f"$({path}.coordinates)")], "datatype: geo:wktLiteral")))
    return items

def slug(pos):
    return {"": ""}.get(pos.key, pos.key.replace(".", "-").lower())

def describe(pos):
    chain = []
    p = pos
    while p is not None:
        chain.append(p)
        p = p.parent
    root = chain[-1]
    path = pos.suffix or ""
    return f"top level{path}" if path else "top level"

def datastream_links(pos):
    """From a datastream record: its thing, sensor and property, and the SOSA links between them."""
    tp, tpos = ds_member(pos, "Thing")
    sp, spos = ds_member(pos, "Sensor")
    pp, ppos = ds_member(pos, "ObservedProperty")
    things, sensors, props = related(pos, tp, tpos), related(pos, sp, spos), related(pos, pp, ppos)
    items = links("citykg:thing", things) + links("citykg:sensor", sensors) + links("citykg:observedProperty", props)
    mapping(slug(pos) + "-links", f"{TYPES[pos.t]} at {describe(pos)}: its thing, sensor, property", pos, items)
    # sensor -> property, sensor -> thing; thing -> sensor
    mapping(slug(pos) + "-sensor", "its sensor observes its property, hosted by its thing", pos,
            links("sosa:observes", props) + links("sosa:isHostedBy", things), subject_variants=sensors)
    mapping(slug(pos) + "-thing", "its thing hosts its sensor", pos, links("sosa:hosts", sensors), subject_variants=things)

def observation(pos):
    dprefix, dpos = obs_datastream(pos)
    sp, spos = ds_member(dpos, "Sensor")
    pp, ppos = ds_member(dpos, "ObservedProperty")
    tp, tpos = ds_member(dpos, "Thing")
    sensors = related(pos, join_prefix(dprefix, sp), spos)
    props = related(pos, join_prefix(dprefix, pp), ppos)
    datastreams = related(pos, dprefix, dpos)
    fpos = child(pos, "FeatureOfInterest")
    features = related(pos, "FeatureOfInterest.", fpos)
    no_feature = AND(NU("FeatureOfInterest['@iot.id']"), NU("FeatureOfInterest.name"))
    # The Thing's (first) Location, as a SensorThings service makes it the feature of interest.
    thing_prefix = join_prefix(dprefix, tp)
    locations = [(rebase_parts(parts, thing_prefix + "Locations[0].") if True else parts,
                  rebase(cond, thing_prefix + "Locations[0]."), kind)
                 for parts, cond, kind in iri_variants(Pos("loc", "L", "", None, detached=True))]
    ds = lambda r: ref(dprefix, r)
    measurement = EQ(ds("observationType"), OM + "OM_Measurement")
    items = [po("a", ("const", "sosa:Observation"))]
    items += links("sosa:madeBySensor", sensors)
    items += links("sosa:observedProperty", props)
    items += links("citykg:datastream", datastreams)
    items += links("sosa:hasFeatureOfInterest", features)
    items += links("sosa:hasFeatureOfInterest", locations, no_feature)
    items.append(po("sosa:resultTime", ("fn", "citykg-fn:toUtcDateTime", [("citykg-fn:value", "$(resultTime)")], "datatype: xsd:dateTime")))
    items.append(po("sosa:resultTime", ("fn", "citykg-fn:intervalEnd", [("citykg-fn:value", "$(phenomenonTime)")], "datatype: xsd:dateTime"), NU("resultTime")))
    items.append(po("sosa:hasSimpleResult", ("fn", "citykg-fn:toNumber", [("citykg-fn:value", "$(result)")], "datatype: xsd:double"), measurement))
    items.append(po("sosa:hasSimpleResult", ("lit", "result", "xsd:integer"), EQ(ds("observationType"), OM + "OM_CountObservation")))
    items.append(po("sosa:hasSimpleResult", ("lit", "result", "xsd:boolean"), EQ(ds("observationType"), OM + "OM_TruthObservation")))
    items.append(po("sosa:hasSimpleResult", ("lit", "result", None),
                    AND(NOT(measurement), NOT(EQ(ds("observationType"), OM + "OM_CountObservation")),
                        NOT(EQ(ds("observationType"), OM + "OM_TruthObservation")))))
    obs_variants = iri_variants(pos)
    items.append(po("sosa:hasResult", ("iri", None), measurement))
    # sosa:hasResult per subject variant
    for i, (parts, cond, kind) in enumerate(obs_variants):
        its = [x if x[0] != "sosa:hasResult" else po("sosa:hasResult", ("iri", parts + ["/result"]), measurement) for x in items]
        mapping(slug(pos), f"Observation at {describe(pos)}" if i == 0 else None, pos, its, subject_variants=[(parts, cond, kind)])
        result = [po("a", ("const", "qudt:QuantityValue")),
                  po("qudt:numericValue", ("fn", "citykg-fn:toNumber", [("citykg-fn:value", "$(result)")], "datatype: xsd:double")),
                  po("qudt:unit", ("fn", "citykg-fn:unitFromIri",
                                   [("citykg-fn:value", f"$({ds('unitOfMeasurement.definition')})"),
                                    ("citykg-fn:ucum", f"$({ds('unitOfMeasurement.symbol')})")], "type: iri"))]
        mapping(slug(pos) + "-result", None, pos, result, subject_cond=measurement,
                subject_variants=[(parts, cond, kind)], suffix="/result")
    # Refusals: what an observation needs that the payload does not say.
    no_sensor = AND(NU(ref(join_prefix(dprefix, sp), "ID")), NU(ref(join_prefix(dprefix, sp), "name")))
    no_prop = AND(NU(ref(join_prefix(dprefix, pp), "ID")), NU(ref(join_prefix(dprefix, pp), "name")),
                  NU(ref(join_prefix(dprefix, pp), "definition")))
    refuse(pos, OR(no_sensor, no_prop),
           "SensorThings: an Observation whose Datastream does not name its Sensor and ObservedProperty in the same payload (a bare Datastream reference) cannot say which sensor made it and what it observed")
    refuse(pos, NU("phenomenonTime"),
           "SensorThings: an Observation without phenomenonTime (a service would take the time of the request, which a mapping cannot know)")

REFUSALS = []
def refuse(pos, cond, reason, sources_override=None):
    srcs = sources_override or source_names(pos)
    i = len(REFUSALS)
    REFUSALS.append(1)
    full = AND(pos.rootcond, cond) if pos is not None else cond
    text = f"  refuse-{i}:\n    sources: [{', '.join(srcs)}]\n    s: citykg:refused\n    po:\n"
    text += "      - p: citykg:refused\n        o:\n          function: citykg-fn:refuse\n          parameters:\n"
    text += "            - parameter: citykg-fn:value\n              value:\n" + emit_fn(full, 16)
    text += f"            - [citykg-fn:reason, \"{reason}\"]\n"
    out.append(text)

for pos in list(P.values()):
    if pos.t != "O":
        entity(pos)
    if pos.t == "D":
        datastream_links(pos)
    if pos.t == "O":
        observation(pos)
    if pos.t == "L" and pos.parent is not None:
        # The Thing is where its Location is.
        tprefix = pos.up()
        things = related(pos, tprefix, pos.parent)
        for parts, cond, kind in iri_variants(pos):
            mapping(slug(pos) + "-at", None, pos, links("geo:hasGeometry", [(parts + ["/geometry"], cond, kind)], has_geometry(pos)),
                    subject_variants=things)

# Nesting this mapping does not follow: refused rather than dropped.
for i, (it, reason, cond) in enumerate([
    ("$..MultiDatastreams", "SensorThings MultiDatastreams are not supported by builtin/sensorthings", NN("~")),
    ("$..MultiDatastream", "SensorThings MultiDatastreams are not supported by builtin/sensorthings", NN("~")),
    ("$..HistoricalLocations", "SensorThings HistoricalLocations are not supported by builtin/sensorthings", NN("~")),
    ("$..Things", "SensorThings: a Location with nested Things (deep insert from the Location) is not supported; post the Thing with its Locations", NN("~")),
    ("$..Datastreams", "SensorThings: Datastreams nested in a Sensor or ObservedProperty (deep insert from the Sensor) are not supported; post the Thing with its Datastreams", OR(NN("^.encodingType"), NN("^.definition"))),
    ("$..Observations", "SensorThings: Observations nested in a FeatureOfInterest are not supported; post them with their Datastream", NN("^.feature.type")),
]):
    name = f"unsupported-{i}"
    sources[name] = it
    refuse(None, cond, reason, [name])

header = open(sys.argv[1]).read()
text = header + "\nsources:\n"
for name, it in sources.items():
    text += f"  {name}: [payload.json~jsonpath, \"{it}\"]\n"
text += "\nmappings:\n" + "\n".join(out)
sys.stdout.write(text)
