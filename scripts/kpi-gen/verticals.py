#!/usr/bin/env python3
"""Writes ontologies/verticals.ttl: the verticals of ITU-T Resolution 98, the maturity scheme,
the standards use cases conform to and the licences the shipped use cases use. Run from the
repository root: `python3 scripts/kpi-gen/verticals.py`. The file is committed; `--check` fails
when it is stale."""
import sys
from pathlib import Path

MODULE = "https://w3id.org/citykg/ontology/verticals"

VERTICALS = [
    ("energy", "Energy", "Smart energy management: generation, grids, metering, electric vehicles and energy storage."),
    ("transportation", "Transportation", "Intelligent transport systems: traffic, public transport, parking, mobility services."),
    ("health", "Health", "Smart hospitals and digital health: patient monitoring, health facilities, public health surveillance."),
    ("agriculture", "Agriculture and aquaculture", "Farming, livestock, irrigation, fisheries and fish farming supported by sensors and data."),
    ("education", "Education", "Schools, universities and learning environments: indoor conditions, attendance, access to ICT."),
    ("environment", "Environmental protection", "Air quality, noise, waste, green areas and the protection of the natural environment."),
    ("water", "Water management", "Drinking-water supply, leakage, wastewater, drainage, flood and river monitoring."),
    ("buildings", "Smart buildings", "Building management: energy use, indoor comfort, occupancy and maintenance of buildings."),
    ("manufacturing", "Manufacturing", "Industrial production: machine monitoring, energy and emissions of factories, industrial IoT."),
    ("public-services", "Electronic public services", "Public services delivered electronically: permits, street lighting, waste collection, open data."),
    ("crisis-response", "Crisis response", "Preparing for and responding to natural disasters and epidemics: early warning, emergency services."),
    ("rural-development", "Rural development", "Holistic development of rural communities and villages: connectivity, water, energy, livelihoods."),
    ("citizen-engagement", "Citizen engagement", "Residents taking part: citizen science, participatory sensing, feedback to the city."),
    ("digital-twins", "Digital twins", "Digital replicas of city systems fed by live data, used for simulation towards city goals (ITU-T Y.4600)."),
    ("citiverse", "Citiverse", "Immersive and virtual-world city services built on city data: the CitiVerse initiative."),
]

MATURITY = [
    ("idea", "Idea", "Described and planned; nothing deployed yet."),
    ("pilot", "Pilot", "Running in a limited area or for a limited time to test it."),
    ("deployed", "Deployed", "In regular operation."),
    ("retired", "Retired", "No longer operated; kept for reference."),
]

STANDARDS = [
    ("https://saref.etsi.org/core/", "SAREF", "ETSI Smart Applications REFerence ontology (core): devices, measurements, properties."),
    ("https://saref.etsi.org/saref4city/", "SAREF4CITY", "The SAREF extension for smart cities: KPIs, city objects, administrative areas."),
    ("http://www.w3.org/ns/sosa/", "SOSA/SSN", "W3C/OGC Semantic Sensor Network ontology and its core SOSA: sensors, observations, samples."),
    ("https://www.etsi.org/deliver/etsi_gs/CIM/001_099/009/", "NGSI-LD", "ETSI GS CIM 009: the NGSI-LD context information API and information model."),
    ("https://fiware.github.io/specifications/ngsiv2/stable/", "NGSI v2", "The FIWARE NGSI v2 context API."),
    ("http://www.opengis.net/doc/is/sensorthings/1.1", "OGC SensorThings API 1.1", "OGC SensorThings API Part 1: Sensing, for observations from IoT devices."),
    ("https://lora-alliance.org/lorawan-for-developers/", "LoRaWAN", "The LoRa Alliance LoRaWAN specification for low-power wide-area networks."),
    ("https://www.w3.org/TR/wot-thing-description11/", "W3C WoT Thing Description 1.1", "W3C Web of Things Thing Description: metadata and interfaces of things."),
    ("https://datex2.eu/", "DATEX II", "The European standard for exchanging road traffic and travel information (CEN/TS 16157)."),
    ("http://www.opengis.net/ont/geosparql", "GeoSPARQL", "OGC GeoSPARQL: geometries and spatial relations in RDF."),
    ("https://www.itu.int/rec/T-REC-Y.4903", "ITU-T Y.4903", "ITU-T Y.4903/L.1603: key performance indicators for smart sustainable cities to assess the achievement of the SDGs."),
    ("https://www.itu.int/rec/T-REC-Y.4900", "ITU-T Y.4900", "ITU-T Y.4900/L.1600: overview of key performance indicators in smart sustainable cities."),
    ("https://www.itu.int/rec/T-REC-Y.4600", "ITU-T Y.4600", "ITU-T Y.4600: requirements and capabilities of a digital twin system for smart cities."),
    ("http://data.europa.eu/r5r/", "DCAT-AP 3", "The DCAT application profile for data portals in Europe, version 3."),
]

LICENCES = [
    ("http://creativecommons.org/licenses/by/4.0/", "CC BY 4.0", "Creative Commons Attribution 4.0 International: reuse with attribution."),
    ("http://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0", "Creative Commons Zero: dedicated to the public domain."),
    ("http://opendatacommons.org/licenses/odbl/1-0/", "ODbL 1.0", "Open Data Commons Open Database Licence: attribution and share-alike for databases."),
]


def q(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render():
    out = [
        "# GENERATED by scripts/kpi-gen/verticals.py: edit the script, not this file.",
        "# The code lists of citykg's use-case catalogue: the verticals named by ITU-T Resolution 98,",
        "# the maturity of a use case, the standards a use case conforms to and the licences the",
        "# shipped use cases use. Labels and definitions are written by us.",
        "@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix owl:     <http://www.w3.org/2002/07/owl#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "",
        f"<{MODULE}> a owl:Ontology ;",
        '    dcterms:title "citykg use-case code lists"@en ;',
        '    dcterms:description "The verticals of ITU-T Resolution 98 (a SKOS scheme), the maturity levels of a use case, the standards use cases conform to (dcterms:Standard) and the licences of the shipped use cases (dcterms:LicenseDocument)."@en ;',
        '    owl:versionInfo "0.1.0" ;',
        '    rdfs:label "citykg use-case code lists"@en ;',
        '    rdfs:comment "Code lists the use-case catalogue validates against and shows labels from."@en .',
        "",
    ]
    schemes = [
        ("https://w3id.org/citykg/vertical/", "Verticals of ITU-T Resolution 98",
         "The application domains (verticals) ITU-T Resolution 98 names for IoT, smart sustainable cities and communities.", VERTICALS),
        ("https://w3id.org/citykg/maturity/", "Use-case maturity",
         "How far a use case has come: idea, pilot, deployed or retired.", MATURITY),
    ]
    for scheme, label, comment, concepts in schemes:
        out += [
            f"<{scheme}> a skos:ConceptScheme ;",
            f"    skos:prefLabel {q(label)}@en ;",
            f"    rdfs:label {q(label)}@en ;",
            f"    rdfs:comment {q(comment)}@en ;",
            "    skos:hasTopConcept " + " , ".join(f"<{scheme}{slug}>" for slug, _, _ in concepts) + " ;",
            f"    rdfs:isDefinedBy <{MODULE}> .",
            "",
        ]
        for slug, name, definition in concepts:
            out += [
                f"<{scheme}{slug}> a skos:Concept ;",
                f"    skos:prefLabel {q(name)}@en ;",
                f"    skos:definition {q(definition)}@en ;",
                f"    skos:notation {q(slug)} ;",
                f"    skos:inScheme <{scheme}> ;",
                f"    skos:topConceptOf <{scheme}> ;",
                f"    rdfs:isDefinedBy <{MODULE}> .",
                "",
            ]
    for kind, items in (("dcterms:Standard", STANDARDS), ("dcterms:LicenseDocument", LICENCES)):
        for iri, title, comment in items:
            out += [
                f"<{iri}> a {kind} ;",
                f"    dcterms:title {q(title)}@en ;",
                f"    rdfs:label {q(title)}@en ;",
                f"    rdfs:comment {q(comment)}@en ;",
                f"    rdfs:isDefinedBy <{MODULE}> .",
                "",
            ]
    return "\n".join(out)


def main():
    target = Path("ontologies/verticals.ttl")
    text = render()
    if "--check" in sys.argv:
        if not target.exists() or target.read_text() != text:
            sys.exit(f"{target} is stale: run scripts/kpi-gen/verticals.py")
        return
    target.write_text(text)


if __name__ == "__main__":
    main()
