#!/usr/bin/env python3
"""Turns the shared workload's CSV files into the N-Triples its RML mappings describe.

citykg has no mapping engine yet (it comes with its own issue), so the benchmark loads the
triples that ../shared/bench/rml/sensors.rml.ttl + csv.rml.ttl produce, written here directly:
same IRIs (template values percent-encoded as RML does), same literals and datatypes. The
count must equal manifest.json's expected_total_per_format, which this script checks.

Usage: to_ntriples.py DATA_DIR  (writes DATA_DIR/city.nt)
"""
import csv
import json
import sys
from pathlib import Path
from urllib.parse import quote

ID = "https://city.example.org/id/"
PROP = "https://city.example.org/def/property/"
SOSA = "http://www.w3.org/ns/sosa/"
GEO = "http://www.opengis.net/ont/geosparql#"
WGS = "http://www.w3.org/2003/01/geo/wgs84_pos#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def iri(value):
    return f"<{value}>"


def seg(value):
    """An RML template value in an IRI: everything but unreserved characters percent-encoded."""
    return quote(value, safe="-._~")


def lit(value, datatype=None):
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"^^<{datatype}>' if datatype else f'"{escaped}"'


def main():
    data = Path(sys.argv[1])
    triples = set()
    add = triples.add
    with open(data / "sensors.csv", newline="") as f:
        for row in csv.DictReader(f):
            sensor = iri(ID + "sensor/" + seg(row["sensor_id"]))
            geometry = iri(ID + "sensor/" + seg(row["sensor_id"]) + "/geometry")
            district = iri(ID + "district/" + seg(row["district"]))
            add((sensor, iri(TYPE), iri(SOSA + "Sensor")))
            add((sensor, iri(RDFS + "label"), lit(row["sensor_id"])))
            add((sensor, iri(WGS + "lat"), lit(row["lat"], XSD + "decimal")))
            add((sensor, iri(WGS + "long"), lit(row["lon"], XSD + "decimal")))
            add((sensor, iri(GEO + "hasGeometry"), geometry))
            add((sensor, iri(GEO + "sfWithin"), district))
            add((geometry, iri(GEO + "asWKT"), lit(f"POINT({row['lon']} {row['lat']})", GEO + "wktLiteral")))
            add((district, iri(TYPE), iri(SOSA + "FeatureOfInterest")))
            add((district, iri(RDFS + "label"), lit(row["district_name"])))
    with open(data / "readings.csv", newline="") as f:
        for row in csv.DictReader(f):
            sensor = iri(ID + "sensor/" + seg(row["sensor_id"]))
            prop = iri(PROP + seg(row["property"]))
            obs = iri(ID + "observation/" + "/".join(seg(row[k]) for k in ("sensor_id", "property", "timestamp")))
            add((obs, iri(TYPE), iri(SOSA + "Observation")))
            add((obs, iri(SOSA + "madeBySensor"), sensor))
            add((obs, iri(SOSA + "observedProperty"), prop))
            add((obs, iri(SOSA + "hasFeatureOfInterest"), iri(ID + "district/" + seg(row["district"]))))
            add((obs, iri(SOSA + "hasSimpleResult"), lit(row["value"], XSD + "double")))
            add((obs, iri(SOSA + "resultTime"), lit(row["timestamp"], XSD + "dateTime")))
            add((sensor, iri(SOSA + "observes"), prop))
            add((prop, iri(TYPE), iri(SOSA + "ObservableProperty")))
    expected = json.loads((data / "manifest.json").read_text())["triples"]["expected_total_per_format"]
    if len(triples) != expected:
        sys.exit(f"produced {len(triples)} triples, manifest.json expects {expected}")
    with open(data / "city.nt", "w") as out:
        for s, p, o in sorted(triples):
            out.write(f"{s} {p} {o} .\n")
    print(f"wrote {len(triples)} triples to {data / 'city.nt'}")


if __name__ == "__main__":
    main()
