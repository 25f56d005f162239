"""HTTP ingest: each vendor format posted in batches to `POST /ingest/bench/{format}` of a fresh
on-disk citykg server, by 1 and by several clients. The mapping is the workload's own (sensors.rml.ttl
plus the format's), uploaded with `PUT /mappings/bench/{format}`, its payload source renamed `payload.*`
and the sensor registry read from the reference-data folder, so the store must end with exactly the
manifest's triples. The reference is `citykg load` of the same triples (the bulk-load task)."""

import http.client
import json
import os
import shutil
import subprocess
import threading
import time
import urllib.parse

from .common import Row, log, median, vm_hwm_kb, wait_http
from .mapping import FORMATS
from .virtuoso import free_port

TOKEN = "citykg-bench-token"
CONTENT_TYPE = {"csv": "text/csv", "ttn": "application/json", "ngsiv2": "application/json"}
PAYLOAD = {"csv": "payload.csv", "ttn": "payload.json", "ngsiv2": "payload.json"}


def run(ctx, size, data, expected, load_rate, load_mb):
    rows = []
    for fmt in FORMATS:
        batches = _batches(data, fmt, ctx.batch)
        mapping = _mapping(ctx, fmt)
        for clients in ctx.clients:
            results, without = [], []
            for _ in range(ctx.runs):  # with and without the live state, taking turns
                results.append(_once(ctx, size, data, fmt, mapping, batches, clients, expected))
                without.append(_once(ctx, size, data, fmt, mapping, batches, clients, expected, live=False))
            done = [r for r in results if r]
            seconds = median([r[0] for r in done])
            mb = median([r[1] for r in done])
            rate = expected / seconds if seconds else None
            bare = median([r[0] for r in without if r])
            bare_rate = expected / bare if bare else None
            task = "HTTP ingest %s, %d records a request, %d client%s" % (
                fmt, ctx.batch, clients, "" if clients == 1 else "s")
            note = "reference: citykg load into the default graph; ingest writes a named graph"
            rows.append(Row(size, task, "triples/s", "higher", rate, "citykg load", load_rate, note,
                            {"requests": len(batches)}))
            rows.append(Row(size, task, "peak MB", "lower", mb, "citykg load", load_mb, "server VmHWM"))
            rows.append(Row(size, task + ", current values and rollups kept", "triples/s", "higher", rate,
                            "citykg --no-live-state", bare_rate,
                            "the same ingest without the live city's upkeep (goal: at least 0.85x)"))
    return rows


def _mapping(ctx, fmt):
    text = ""
    for name in ("sensors", fmt):
        with open(os.path.join(ctx.rml, name + ".rml.ttl"), encoding="utf-8") as f:
            text += f.read() + "\n"
    return text.replace("rml:source '%s'" % FORMATS[fmt], "rml:source '%s'" % PAYLOAD[fmt]).encode()


def _batches(data, fmt, size):
    """The payload cut into requests of `size` records: CSV rows under the header, or JSON arrays of
    TTN messages (ttn.jsonl, one a line) or of NGSI-v2 entities (ngsiv2.json has one a line)."""
    batches, chunk = [], []
    if fmt == "csv":
        with open(os.path.join(data, "readings.csv"), "rb") as f:
            header = f.readline()
            for line in f:
                chunk.append(line)
                if len(chunk) == size:
                    batches.append(header + b"".join(chunk))
                    chunk = []
        if chunk:
            batches.append(header + b"".join(chunk))
        return batches
    path = os.path.join(data, "ttn.jsonl" if fmt == "ttn" else "ngsiv2.json")
    with open(path, "rb") as f:
        for line in f:
            line = line.strip().rstrip(b",")
            if line in (b"[", b"]", b""):
                continue
            chunk.append(line)
            if len(chunk) == size:
                batches.append(b"[" + b",".join(chunk) + b"]")
                chunk = []
    if chunk:
        batches.append(b"[" + b",".join(chunk) + b"]")
    return batches


def _once(ctx, size, data, fmt, mapping, batches, clients, expected, live=True):
    store = os.path.join(ctx.work, "ingest-%d-%s" % (size, fmt))
    shutil.rmtree(store, ignore_errors=True)
    port = free_port()
    env = dict(ctx.env, CITYKG_ADMIN_TOKEN=TOKEN, RUST_LOG="warn")
    server = subprocess.Popen([ctx.citykg, "serve", "--location", store, "--bind", "127.0.0.1:%d" % port,
                               "--reference-data", data] + ([] if live else ["--no-live-state"]), cwd=ctx.root, env=env,
                              stdout=subprocess.DEVNULL, stderr=open(store + ".log", "wb"))
    try:
        if not wait_http("http://127.0.0.1:%d/health" % port, 60, server):
            ctx.failures.append("ingest %s at %d: citykg serve did not start (%s.log)" % (fmt, size, store))
            return None
        status, body = _request(port, "PUT", "/mappings/bench/%s?validation=none" % fmt, mapping, "text/turtle")
        if status >= 300:
            ctx.failures.append("ingest %s: PUT /mappings answered %d: %s" % (fmt, status, body[:500]))
            return None
        start = time.monotonic()
        errors = _post_all(port, "/ingest/bench/%s" % fmt, batches, CONTENT_TYPE[fmt], clients)
        seconds = time.monotonic() - start
        peak = vm_hwm_kb(server.pid)
        stored = _count(port)
        log("  ingest %-6s %d client(s)%s %7.2f s %7.0f MB %9s triples" % (
            fmt, clients, "" if live else " no live state", seconds, peak / 1024, stored))
        if errors:
            ctx.failures.append("ingest %s at %d: %s" % (fmt, size, errors[0]))
        if stored != expected:
            ctx.failures.append("ingest %s at %d: the store holds %s triples, the manifest expects %d"
                                % (fmt, size, stored, expected))
        return seconds, peak / 1024
    finally:
        server.terminate()
        server.wait()


def _post_all(port, path, batches, content_type, clients):
    """Posts every batch, `clients` connections at once (keep-alive), each taking the next batch."""
    lock = threading.Lock()
    queue = list(reversed(batches))
    errors = []

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        while True:
            with lock:
                if not queue:
                    break
                body = queue.pop()
            conn.request("POST", path, body, {"Content-Type": content_type, "Authorization": "Bearer " + TOKEN})
            response = conn.getresponse()
            answer = response.read()
            if response.status >= 300:
                with lock:
                    errors.append("POST %s answered %d: %s" % (path, response.status, answer[:300]))
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def _request(port, method, path, body, content_type):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request(method, path, body, {"Content-Type": content_type, "Authorization": "Bearer " + TOKEN,
                                      "Accept": "application/sparql-results+json, application/json"})
    response = conn.getresponse()
    answer = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, answer


def _count(port):
    query = ('SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } '
             'FILTER(CONTAINS(STR(?g), "/graph/source/bench/")) }')
    status, body = _request(port, "POST", "/query", urllib.parse.urlencode({"query": query}),
                            "application/x-www-form-urlencoded")
    if status != 200:
        return None
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
