"""The city operators' figures on a fresh citykg server: the workload's readings.csv (plus the bulk
water inflow and noise readings of scripts/city-profile/profile.py) posted through builtin/readings-csv,
the city profile written by the same script, then every KPI method for the year (POST /kpis/compute,
from rollups and the profile) and the dashboard page. The same server answers the PM2.5 annual mean
(one of the twelve methods) from the raw observations with SPARQL, for comparison: no peer computes
U4SSC KPIs."""

import json
import os
import shutil
import subprocess
import time
import urllib.parse

from .common import Row, log, median, wait_http
from .ingest import TOKEN, _request
from .virtuoso import free_port

ROWS_PER_REQUEST = 5000
RAW_PM25 = """PREFIX sosa: <http://www.w3.org/ns/sosa/>
SELECT (AVG(?mean) AS ?city) WHERE {
  { SELECT ?sensor (AVG(?v) AS ?mean) WHERE {
      ?o sosa:madeBySensor ?sensor ; sosa:observedProperty <https://w3id.org/citykg/property/pm25> ;
         sosa:hasSimpleResult ?v ; sosa:resultTime ?t .
      FILTER(YEAR(?t) = 2025)
    } GROUP BY ?sensor }
}"""


def _post_csv(port, path, lines):
    header, rows = lines[0], lines[1:]
    for start in range(0, len(rows), ROWS_PER_REQUEST):
        body = (header + "".join(rows[start:start + ROWS_PER_REQUEST])).encode()
        status, answer = _request(port, "POST", path, body, "text/csv")
        if status != 200:
            return "POST %s answered %d: %s" % (path, status, answer[:300])
    return None


def _timed(port, method, path, body=b"", content_type="application/json", accept=None):
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {"Content-Type": content_type, "Authorization": "Bearer " + TOKEN}
    if accept:
        headers["Accept"] = accept
    start = time.monotonic()
    conn.request(method, path, body, headers)
    response = conn.getresponse()
    answer = response.read()
    seconds = time.monotonic() - start
    conn.close()
    return seconds, response.status, answer


def run(ctx, size, data):
    work = os.path.join(ctx.work, "kpis-%d" % size)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    made = subprocess.run(["python3", os.path.join(ctx.root, "scripts/city-profile/profile.py"), "--data", data,
                           "--out", work], capture_output=True, text=True)
    if made.returncode != 0:
        ctx.failures.append("kpis at %d: the profile script failed: %s" % (size, made.stderr[-500:]))
        return []
    port = free_port()
    store = os.path.join(work, "store")
    env = dict(ctx.env, CITYKG_ADMIN_TOKEN=TOKEN, RUST_LOG="warn")
    server = subprocess.Popen([ctx.citykg, "serve", "--location", store, "--bind", "127.0.0.1:%d" % port],
                              cwd=ctx.root, env=env, stdout=subprocess.DEVNULL, stderr=open(store + ".log", "wb"))
    try:
        if not wait_http("http://127.0.0.1:%d/health" % port, 60, server):
            ctx.failures.append("kpis at %d: citykg serve did not start (%s.log)" % (size, store))
            return []
        with open(os.path.join(work, "profile.ttl"), "rb") as f:
            status, answer = _request(port, "PUT", "/city/profile", f.read(), "text/turtle")
        if status != 201:
            ctx.failures.append("kpis at %d: PUT /city/profile answered %d: %s" % (size, status, answer[:300]))
            return []
        started = time.monotonic()
        for name in (os.path.join(data, "readings.csv"), os.path.join(work, "extra-readings.csv")):
            with open(name, encoding="utf-8") as f:
                error = _post_csv(port, "/ingest/builtin/readings-csv", f.readlines())
            if error:
                ctx.failures.append("kpis at %d: %s" % (size, error))
                return []
        log("  kpis: readings posted through builtin/readings-csv in %.1f s" % (time.monotonic() - started))
        server_ms, wall, dash, raw = [], [], [], []
        values = None
        for i in range(max(ctx.runs, 5)):
            seconds, status, answer = _timed(port, "POST", "/kpis/compute?year=2025")
            if status != 200:
                ctx.failures.append("kpis at %d: POST /kpis/compute answered %d" % (size, status))
                return []
            done = json.loads(answer)["computed"][0]
            server_ms.append(done["milliseconds"])
            wall.append(seconds)
            values = {a["method"]: a["value"] for a in done["assessments"]}
            seconds, status, _ = _timed(port, "GET", "/dashboard", accept="text/html")
            dash.append(seconds if status == 200 else None)
            seconds, status, answer = _timed(port, "POST", "/query", urllib.parse.urlencode({"query": RAW_PM25}).encode(),
                                             "application/x-www-form-urlencoded", "application/sparql-results+json")
            raw.append(seconds if status == 200 else None)
            if i == 0 and status == 200:
                mean = float(json.loads(answer)["results"]["bindings"][0]["city"]["value"])
                ours = values.get("EN-EN-AQ-1C-pm25")
                if ours is None or abs(mean - ours) > 1e-6 * max(1.0, abs(mean)):
                    ctx.failures.append("kpis at %d: PM2.5 annual mean %s from rollups, %s from raw SPARQL"
                                        % (size, ours, mean))
        computed = sum(1 for v in values.values() if v is not None)
        log("  kpis: %d of %d methods with a value, %.1f ms (server) / %.1f ms (request); dashboard %.1f ms; "
            "raw SPARQL PM2.5 mean %.1f ms" % (computed, len(values), median(server_ms), median(wall) * 1000,
                                               (median(dash) or 0) * 1000, (median(raw) or 0) * 1000))
        note = "no peer computes U4SSC KPIs; beside: the PM2.5 annual mean alone from the raw observations (SPARQL)"
        ms = lambda v: v * 1000 if v is not None else None
        extra = {"methods": len(values), "with_value": computed, "server_ms": median(server_ms)}
        return [
            Row(size, "KPIs for one year: all methods from rollups and the profile (POST /kpis/compute)", "median ms",
                "lower", ms(median(wall)), "citykg raw SPARQL, PM2.5 only", ms(median(raw)), note, extra),
            Row(size, "KPIs dashboard page (GET /dashboard)", "median ms", "lower", ms(median(dash)),
                "citykg raw SPARQL, PM2.5 only", ms(median(raw)), note),
        ]
    finally:
        server.terminate()
        server.wait()
