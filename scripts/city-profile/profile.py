#!/usr/bin/env python3
"""City profile for a synthetic city written by /work/shared/bench/gen.py.

Writes two files into OUTDIR:

  profile.ttl          the city and its 20 districts as GeoSPARQL features (district polygons are
                       the Voronoi cells of the district centres), reference figures (population,
                       street length, meter counts) and a few public buildings with energy meters
  extra-readings.csv   hourly readings the base generator does not make: the bulk water inflow of
                       the distribution system (wi-01) and noise levels LAeq (ns-01 .. ns-05)

Standard library only. The same input always gives byte-identical files.

Usage: python3 scripts/city-profile/profile.py --data DIR --out OUTDIR [--seed 7] [--check]

With --check the files are generated into a temporary directory and compared with those in
OUTDIR; the exit status is 1 when they differ (or are missing).
"""

import argparse
import csv
import filecmp
import json
import math
import os
import random
import sys
import tempfile
from datetime import datetime, timedelta, timezone

# --- constants of gen.py (generator_version 1) that are not written into its output files ---
GEN_VERSION = "1"
CITY_LAT, CITY_LON = 48.2000, 16.3700
LON_SCALE = 1.5                 # gen.py stretches longitude offsets by this factor
INNER_R, OUTER_R = 0.018, 0.036  # ring radii (degrees of latitude)
DISTRICT_NAMES = [
    "Old Town", "Harbour", "University", "Riverside", "Market", "Station", "Castle Hill", "Westend",
    "Northgate", "Southfield", "Eastbank", "Parkview", "Industrial Zone", "Airport", "Lakeside",
    "Green Valley", "Hilltop", "Newtown", "Docklands", "Garden City",
]

# --- choices of this profile ---
MARGIN_LAT, MARGIN_LON = 0.02, 0.03
CITY_NAME = "Synthetic City"
FIGURE_YEAR = 2025
MAJOR_STREET_KM = "180.5"                 # city, 2025
KM_PER_TRAFFIC_SENSOR = "0.8"             # km of major street one traffic sensor covers
WATER_SENSOR_SHARE = 0.12                 # water sensors / water meters
ENERGY_SENSOR_SHARE = 0.09                # energy sensors / electricity meters
SUPPLY_EFFICIENCY = 0.8                   # consumption / inflow: about 20 % losses
BUILDINGS = [("B01", "City Hall", 12500.0), ("B02", "Central Library", 8200.0),
             ("B03", "Municipal Swimming Pool", 5400.0)]
NOISE_SITES = [  # sensor id, district, target mean LAeq in dB
    ("ns-01", "D01", 60.5), ("ns-02", "D02", 58.5), ("ns-03", "D03", 51.5),
    ("ns-04", "D08", 49.5), ("ns-05", "D09", 50.5),
]
WATER_INFLOW_ID = "wi-01"
CSV_HEADER = ["sensor_id", "district", "lat", "lon", "property", "value", "unit", "timestamp"]


# ----------------------------------------------------------------------------------- input

def read_data(data_dir):
    with open(os.path.join(data_dir, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    if str(manifest.get("generator_version")) != GEN_VERSION:
        raise SystemExit("profile.py: expects gen.py generator_version %s, found %r"
                         % (GEN_VERSION, manifest.get("generator_version")))
    with open(os.path.join(data_dir, "sensors.csv"), encoding="utf-8", newline="") as f:
        sensors = list(csv.DictReader(f))
    consumption_tenths = 0
    with open(os.path.join(data_dir, "readings.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["property"] == "water_consumption":
                consumption_tenths += to_tenths(row["value"])
    return manifest, sensors, consumption_tenths


def to_tenths(text):
    """'123.4' -> 1234 exactly (values of readings.csv carry at most one decimal)."""
    whole, _, frac = text.strip().partition(".")
    if len(frac) > 1:
        raise ValueError("more than one decimal: %r" % text)
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole)) * 10 + int(frac or "0"))


def fmt_tenths(n):
    return "%s%d.%d" % ("-" if n < 0 else "", abs(n) // 10, abs(n) % 10)


def district_centres(n):
    """Centres as gen.py places them: D01 in the middle, D02-D07 inner ring, the rest outer ring."""
    out = []
    for i in range(n):
        ang = 2 * math.pi * i / n
        r = 0.0 if i == 0 else (INNER_R if i < 7 else OUTER_R)
        name = DISTRICT_NAMES[i] if i < len(DISTRICT_NAMES) else "District %02d" % (i + 1)
        out.append({"code": "D%02d" % (i + 1), "name": name,
                    "lat": CITY_LAT + r * math.sin(ang), "lon": CITY_LON + LON_SCALE * r * math.cos(ang)})
    return out


# ----------------------------------------------------------------------------------- geometry
# Work in a plane where x = (lon - CITY_LON) / LON_SCALE and y = lat - CITY_LAT, so that distances
# are not squashed along the longitude axis.

def to_plane(lon, lat):
    return ((lon - CITY_LON) / LON_SCALE, lat - CITY_LAT)


def from_plane(x, y):
    return (CITY_LON + x * LON_SCALE, CITY_LAT + y)


def clip(poly, a, b, c):
    """Sutherland-Hodgman: the part of convex polygon poly where a*x + b*y <= c."""
    out = []
    n = len(poly)
    for i in range(n):
        p, q = poly[i], poly[(i + 1) % n]
        fp = a * p[0] + b * p[1] - c
        fq = a * q[0] + b * q[1] - c
        if fp <= 0:
            out.append(p)
        if (fp < 0 < fq) or (fq < 0 < fp):
            t = fp / (fp - fq)
            out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return out


def voronoi_cells(points, box):
    """Cell of each point inside box (x0, y0, x1, y1), counter-clockwise vertex lists."""
    x0, y0, x1, y1 = box
    cells = []
    for i, (xi, yi) in enumerate(points):
        poly = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]  # counter-clockwise
        for j, (xj, yj) in enumerate(points):
            if i == j:
                continue
            # closer to i than to j:  2 p.(cj - ci) <= |cj|^2 - |ci|^2
            poly = clip(poly, 2 * (xj - xi), 2 * (yj - yi), (xj * xj + yj * yj) - (xi * xi + yi * yi))
            if not poly:
                break
        cells.append(poly)
    return cells


def signed_area(ring):
    s = 0.0
    for i in range(len(ring)):
        (ax, ay), (bx, by) = ring[i], ring[(i + 1) % len(ring)]
        s += ax * by - bx * ay
    return s / 2.0


def inside_convex(ring, p):
    """True when p lies in the closed counter-clockwise convex ring."""
    for i in range(len(ring)):
        (ax, ay), (bx, by) = ring[i], ring[(i + 1) % len(ring)]
        if (bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax) < -1e-15:
            return False
    return True


def lonlat_ring(cell):
    """Plane cell -> list of (lon, lat) strings with 6 decimals, consecutive repeats dropped."""
    ring = []
    for x, y in cell:
        lon, lat = from_plane(x, y)
        pt = ("%.6f" % lon, "%.6f" % lat)
        if not ring or ring[-1] != pt:
            ring.append(pt)
    while len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()
    return ring


def wkt_polygon(ring):
    pts = ring + [ring[0]]
    return "POLYGON((%s))" % ", ".join("%s %s" % p for p in pts)


def check_tiling(rings, box_ll):
    """The rounded cells are counter-clockwise, their areas add up to the box, and sample points
    fall into exactly one cell interior (or on a shared border)."""
    fl = [[(float(a), float(b)) for a, b in r] for r in rings]
    total = 0.0
    for r in fl:
        a = signed_area(r)
        if a <= 0:
            raise AssertionError("cell not counter-clockwise")
        total += a
    lon0, lat0, lon1, lat1 = box_ll
    box_area = (lon1 - lon0) * (lat1 - lat0)
    if abs(total - box_area) > 1e-9:
        raise AssertionError("cells do not tile the box: %r vs %r" % (total, box_area))
    steps = 97
    for i in range(steps):
        for j in range(steps):
            p = (lon0 + (lon1 - lon0) * (i + 0.5) / steps, lat0 + (lat1 - lat0) * (j + 0.5) / steps)
            hits = sum(1 for r in fl if inside_convex(r, p))
            if hits < 1:
                raise AssertionError("gap at %r" % (p,))


# ----------------------------------------------------------------------------------- profile.ttl

def lit(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


def build_profile(manifest, sensors, rng):
    n = int(manifest.get("districts", 20))
    districts = district_centres(n)
    by_code = {d["code"]: d for d in districts}
    for s in sensors:  # the registry must agree with the centres reproduced here
        d = by_code.get(s["district"])
        if d is None or d["name"] != s["district_name"]:
            raise SystemExit("profile.py: sensors.csv district %s/%s does not match gen.py v%s"
                             % (s["district"], s["district_name"], GEN_VERSION))

    lats = [d["lat"] for d in districts]
    lons = [d["lon"] for d in districts]
    box_ll = (min(lons) - MARGIN_LON, min(lats) - MARGIN_LAT, max(lons) + MARGIN_LON, max(lats) + MARGIN_LAT)
    # round the box to 6 decimals first, so that the city polygon and the cells share its corners
    box_ll = tuple(float("%.6f" % v) for v in box_ll)
    px0, py0 = to_plane(box_ll[0], box_ll[1])
    px1, py1 = to_plane(box_ll[2], box_ll[3])
    plane_pts = [to_plane(d["lon"], d["lat"]) for d in districts]
    cells = voronoi_cells(plane_pts, (px0, py0, px1, py1))
    rings = [lonlat_ring(c) for c in cells]
    check_tiling(rings, box_ll)

    # sensors that lie outside the cell of the district they are linked to
    outside = []
    for s in sensors:
        idx = int(s["district"][1:]) - 1
        p = (float(s["lon"]), float(s["lat"]))
        ring = [(float(a), float(b)) for a, b in rings[idx]]
        if not inside_convex(ring, p):
            home = [districts[k]["code"] for k, r in enumerate(rings)
                    if inside_convex([(float(a), float(b)) for a, b in r], p)]
            outside.append((s["sensor_id"], s["district"], ",".join(home)))

    domains = {}
    for s in sensors:
        domains.setdefault(s["domain"], []).append(s)
    n_water = len(domains.get("water", []))
    n_energy = len(domains.get("energy", []))
    n_traffic = len(domains.get("traffic", []))
    water_meters = int(round(n_water / WATER_SENSOR_SHARE))
    electricity_meters = int(round(n_energy / ENERGY_SENSOR_SHARE))

    # population: denser in the centre, 20,000-120,000; 2025 = 2024 plus 0-2 %
    pops = []
    for i, d in enumerate(districts):
        lo, hi = (70000, 120000) if i == 0 else ((45000, 95000) if i < 7 else (20000, 70000))
        p24 = int(round(rng.uniform(lo, hi), -1))
        p25 = int(round(p24 * (1.0 + rng.uniform(0.0, 0.02))))
        pops.append((p24, p25))

    # public buildings: 1-2 energy sensors each, none shared; a building without one is left out
    energy = sorted(domains.get("energy", []), key=lambda s: s["sensor_id"])
    rng.shuffle(energy)
    nb = min(len(BUILDINGS), len(energy))
    meters = [[energy[k]] for k in range(nb)]
    rest = energy[nb:]
    for k in range(nb):
        if rest and rng.random() < 0.6:
            meters[k].append(rest.pop(0))
    buildings = []
    for k in range(nb):
        bid, label, area = BUILDINGS[k]
        ms = meters[k]
        buildings.append((bid, label, area, [m["sensor_id"] for m in ms], ms[0]["district"]))

    L = []
    w = L.append
    w("# City profile of the synthetic city of /work/shared/bench/gen.py (generator_version %s)," % GEN_VERSION)
    w("# dataset of %d observations, seed %d (%d sensors, span %s .. %s)."
      % (manifest["observations"], manifest["seed"], manifest["sensors"],
         manifest["first_timestamp"], manifest["last_timestamp"]))
    w("# GENERATED by scripts/city-profile/profile.py: do not edit, run the script again.")
    w("#")
    w("# Contents: the city (citykg:City) and its %d districts (citykg:Area), each with a GeoSPARQL" % n)
    w("# polygon (WKT, CRS84: longitude latitude, counter-clockwise). District polygons are the Voronoi")
    w("# cells of the district centres, computed with longitude divided by %.1f, clipped to the city's" % LON_SCALE)
    w("# bounding box (centres plus %.2f deg latitude and %.2f deg longitude)." % (MARGIN_LAT, MARGIN_LON))
    w("# Reference figures (citykg:ReferenceFigure): population per district for 2024 and 2025;")
    w("# for the city in %d: major street length (km), km of major street per traffic sensor," % FIGURE_YEAR)
    w("# water meters (water sensors are about %d %% of them), electricity meters (energy sensors"
      % int(round(WATER_SENSOR_SHARE * 100)))
    w("# about %d %%). Public buildings (citykg:PublicBuilding) metered by the dataset's energy sensors."
      % int(round(ENERGY_SENSOR_SHARE * 100)))
    w("# IRIs are relative: the service resolves them against its base IRI on upload.")
    w("")
    w("@prefix citykg:  <https://w3id.org/citykg/ns#> .")
    w("@prefix geo:     <http://www.opengis.net/ont/geosparql#> .")
    w("@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .")
    w("@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .")
    w("@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .")
    w("@prefix dcterms: <http://purl.org/dc/terms/> .")
    w("")
    city_ring = [("%.6f" % box_ll[0], "%.6f" % box_ll[1]), ("%.6f" % box_ll[2], "%.6f" % box_ll[1]),
                 ("%.6f" % box_ll[2], "%.6f" % box_ll[3]), ("%.6f" % box_ll[0], "%.6f" % box_ll[3])]
    w("<id/city> a citykg:City , geo:Feature ;")
    w("    rdfs:label %s ;" % lit(CITY_NAME))
    w("    geo:hasGeometry <id/city/geometry> .")
    w("")
    w("<id/city/geometry> a geo:Geometry ;")
    w('    geo:asWKT "%s"^^geo:wktLiteral .' % wkt_polygon(city_ring))
    w("")
    for d, ring in zip(districts, rings):
        c = d["code"]
        w("<id/district/%s> a citykg:Area , geo:Feature ;" % c)
        w("    rdfs:label %s ;" % lit(d["name"]))
        w("    dcterms:identifier %s ;" % lit(c))
        w("    geo:sfWithin <id/city> ;")
        w("    geo:hasGeometry <id/district/%s/geometry> ." % c)
        w("")
        w("<id/district/%s/geometry> a geo:Geometry ;" % c)
        w('    geo:asWKT "%s"^^geo:wktLiteral .' % wkt_polygon(ring))
        w("")

    def figure(owner_key, owner_iri, name, year, value):
        w("<id/city/figure/%s/%s/%d> a citykg:ReferenceFigure ;" % (owner_key, name, year))
        w("    citykg:figureOf <%s> ;" % owner_iri)
        w("    citykg:figure citykg:%s ;" % name)
        w('    citykg:year "%d"^^xsd:gYear ;' % year)
        w("    rdf:value %s ." % value)
        w("")

    for d, (p24, p25) in zip(districts, pops):
        figure(d["code"], "id/district/%s" % d["code"], "population", 2024, str(p24))
        figure(d["code"], "id/district/%s" % d["code"], "population", 2025, str(p25))
    figure("city", "id/city", "majorStreetLength", FIGURE_YEAR, MAJOR_STREET_KM)
    figure("city", "id/city", "monitoredLengthPerTrafficSensor", FIGURE_YEAR, KM_PER_TRAFFIC_SENSOR)
    figure("city", "id/city", "waterMeters", FIGURE_YEAR, str(water_meters))
    figure("city", "id/city", "electricityMeters", FIGURE_YEAR, str(electricity_meters))

    for bid, label, area, mids, dcode in buildings:
        w("<id/building/%s> a citykg:PublicBuilding , geo:Feature ;" % bid)
        w("    rdfs:label %s ;" % lit(label))
        w("    citykg:floorArea %.1f ;" % area)
        w("    citykg:meteredBy %s ;" % " , ".join("<id/sensor/%s>" % m for m in mids))
        w("    geo:sfWithin <id/district/%s> ." % dcode)
        w("")
    while L and L[-1] == "":
        L.pop()
    text = "\n".join(L) + "\n"

    info = {
        "districts": n, "box": box_ll, "outside": outside, "sensors": len(sensors),
        "water_sensors": n_water, "water_meters": water_meters,
        "energy_sensors": n_energy, "electricity_meters": electricity_meters,
        "traffic_sensors": n_traffic, "population_2025": sum(p for _, p in pops),
        "population_2024": sum(p for p, _ in pops), "buildings": buildings,
        "rings": rings, "districts_list": districts,
    }
    return text, info


# ----------------------------------------------------------------------------------- extra-readings.csv

def parse_ts(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def fmt_ts(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def hours_of_span(manifest):
    """Start of every hour that overlaps first_timestamp..last_timestamp."""
    first = parse_ts(manifest["first_timestamp"]).replace(minute=0, second=0, microsecond=0)
    last = parse_ts(manifest["last_timestamp"])
    out = []
    t = first
    while t <= last:
        out.append(t)
        t += timedelta(hours=1)
    return out


def water_shape(h):
    """Relative inflow in the hour starting at h (local = UTC here): night low, peaks at 07 and 19."""
    m = h + 0.5
    return (0.35 + 1.0 * math.exp(-((m - 7.5) ** 2) / 3.0) + 0.75 * math.exp(-((m - 19.5) ** 2) / 4.0)
            + 0.25 * math.exp(-((m - 13.0) ** 2) / 6.0))


def noise_shape(h):
    """Day/night shape of traffic noise in [0, 1]: quiet 01-04, loud 07-19."""
    m = h + 0.5
    return 0.5 - 0.5 * math.cos(2 * math.pi * (m - 3.0) / 24.0)


def allocate(total, weights):
    """Split integer total into parts proportional to weights (largest remainder), exact sum."""
    s = sum(weights)
    raw = [total * wt / s for wt in weights]
    parts = [int(math.floor(r)) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - parts[i]), i))
    for k in range(total - sum(parts)):
        parts[order[k]] += 1
    return parts


def near(rng, d, rings, idx, spread_lat=0.002):
    """A point close to district centre d that lies inside its cell."""
    ring = [(float(a), float(b)) for a, b in rings[idx]]
    while True:
        lat = round(d["lat"] + rng.uniform(-spread_lat, spread_lat), 6)
        lon = round(d["lon"] + rng.uniform(-1.5 * spread_lat, 1.5 * spread_lat), 6)
        if inside_convex(ring, (lon, lat)):
            return lat, lon


def build_extra(manifest, sensors, consumption_tenths, info, rng):
    taken = {s["sensor_id"] for s in sensors}
    for sid in [WATER_INFLOW_ID] + [n[0] for n in NOISE_SITES]:
        if sid in taken:
            raise SystemExit("profile.py: sensor id %s collides with sensors.csv" % sid)
    hours = hours_of_span(manifest)
    districts = {d["code"]: (k, d) for k, d in enumerate(info["districts_list"])}
    rows = []

    # bulk water inflow: total = consumption / efficiency, exact in tenths of a litre
    inflow_tenths = int(math.floor(consumption_tenths / SUPPLY_EFFICIENCY + 0.5))
    weights = [water_shape(t.hour) * max(0.5, 1.0 + rng.gauss(0, 0.06)) for t in hours]
    parts = allocate(inflow_tenths, weights)
    k, d = districts["D01"]
    lat, lon = near(rng, d, info["rings"], k)
    for t, v in zip(hours, parts):
        rows.append([WATER_INFLOW_ID, "D01", "%.6f" % lat, "%.6f" % lon, "water_inflow", fmt_tenths(v), "L", fmt_ts(t)])

    # noise LAeq: mean + amplitude * (shape - mean shape) + noise
    shapes = [noise_shape(t.hour) for t in hours]
    mean_shape = sum(shapes) / len(shapes)
    noise_means = {}
    for sid, code, target in NOISE_SITES:
        k, d = districts[code]
        lat, lon = near(rng, d, info["rings"], k)
        amp = 14.0 if target > 55 else 11.0
        vals = []
        for t, sh in zip(hours, shapes):
            v = target + amp * (sh - mean_shape) + rng.gauss(0, 1.3)
            v = round(min(95.0, max(30.0, v)), 1)
            vals.append(v)
            rows.append([sid, code, "%.6f" % lat, "%.6f" % lon, "noise", "%.1f" % v, "dB", fmt_ts(t)])
        noise_means[sid] = (code, sum(vals) / len(vals))

    rows.sort(key=lambda r: (r[7], r[0]))
    lines = [",".join(CSV_HEADER)] + [",".join(r) for r in rows]
    text = "\n".join(lines) + "\n"
    stats = {"hours": len(hours), "first_hour": fmt_ts(hours[0]), "last_hour": fmt_ts(hours[-1]),
             "consumption_tenths": consumption_tenths, "inflow_tenths": sum(parts), "noise_means": noise_means}
    return text, stats


# ----------------------------------------------------------------------------------- main

def generate(data_dir, out_dir, seed):
    manifest, sensors, consumption_tenths = read_data(data_dir)
    rng = random.Random("city-profile:%d:%d" % (seed, manifest["seed"]))
    ttl, info = build_profile(manifest, sensors, rng)
    csv_text, stats = build_extra(manifest, sensors, consumption_tenths, info, rng)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "profile.ttl"), "w", encoding="utf-8", newline="\n") as f:
        f.write(ttl)
    with open(os.path.join(out_dir, "extra-readings.csv"), "w", encoding="utf-8", newline="\n") as f:
        f.write(csv_text)
    return manifest, info, stats


def report(manifest, info, stats):
    c, i = stats["consumption_tenths"], stats["inflow_tenths"]
    print("dataset: %d observations, seed %d, %d sensors" % (manifest["observations"], manifest["seed"], info["sensors"]))
    print("water_consumption total (readings.csv): %s L" % fmt_tenths(c))
    print("water_inflow total (extra-readings.csv): %s L over %d hours (%s .. %s)"
          % (fmt_tenths(i), stats["hours"], stats["first_hour"], stats["last_hour"]))
    print("consumption / inflow: %.4f (loss %.2f %%)" % (c / float(i), 100.0 * (1 - c / float(i))) if i else "no inflow")
    for sid, (code, m) in sorted(stats["noise_means"].items()):
        print("noise %s (%s): mean LAeq %.2f dB" % (sid, code, m))
    print("sensors outside their own district's cell: %d of %d" % (len(info["outside"]), info["sensors"]))
    for sid, own, home in info["outside"]:
        print("  %s linked to %s, lies in the cell of %s" % (sid, own, home))
    print("population: %d (2024), %d (2025)" % (info["population_2024"], info["population_2025"]))
    print("waterMeters %d (water sensors %d), electricityMeters %d (energy sensors %d), traffic sensors %d"
          % (info["water_meters"], info["water_sensors"], info["electricity_meters"], info["energy_sensors"],
             info["traffic_sensors"]))
    print("public buildings: %d" % len(info["buildings"]))
    for bid, label, area, mids, dcode in info["buildings"]:
        print("  %s %s, %.1f m2, metered by %s, in %s" % (bid, label, area, " ".join(mids), dcode))
    if len(info["buildings"]) < len(BUILDINGS):
        print("  (only %d energy sensor(s) in the dataset: buildings without a meter are left out)" % info["energy_sensors"])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="directory written by gen.py (manifest.json, sensors.csv, readings.csv)")
    ap.add_argument("--out", required=True, help="output directory for profile.ttl and extra-readings.csv")
    ap.add_argument("--seed", type=int, default=7, help="seed of this profile's random choices (default 7)")
    ap.add_argument("--check", action="store_true", help="regenerate into a temporary directory and compare with --out")
    args = ap.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory(prefix="city-profile-") as tmp:
            generate(args.data, tmp, args.seed)
            bad = []
            for name in ("profile.ttl", "extra-readings.csv"):
                mine = os.path.join(args.out, name)
                if not os.path.isfile(mine) or not filecmp.cmp(os.path.join(tmp, name), mine, shallow=False):
                    bad.append(name)
        if bad:
            print("profile.py --check: differs from a fresh run: %s" % ", ".join(os.path.join(args.out, b) for b in bad),
                  file=sys.stderr)
            return 1
        print("profile.py --check: %s is up to date" % args.out)
        return 0
    report(*generate(args.data, args.out, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
