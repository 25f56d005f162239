"""The dashboard questions, on the servers the query task started: "latest observation per sensor"
and "mean PM2.5 per district per day". citykg answers them from its live state and rollups (the
named queries in queries/, through /query, and /state and /series); the peers run the raw queries
03 and 01 of ../shared/bench/queries over the observations. Requests are interleaved across the
servers, as in the query task; result sizes are compared."""

import json
import os
import time
import urllib.parse

from .common import Row, log, median, p95

PM25 = "https://city.example.org/def/property/pm25"
PEERS = [("oxigraph serve", "oxigraph"), ("Virtuoso", "Virtuoso")]


def _named(ctx, name, prop=None):
    with open(os.path.join(ctx.root, "queries", name), encoding="utf-8") as f:
        text = f.read()
    if prop:
        text = text.replace("<https://w3id.org/citykg/property/pm25>", "<%s>" % prop)
    return text


def _raw(ctx, prefix):
    for name in sorted(os.listdir(ctx.queries)):
        if name.startswith(prefix):
            with open(os.path.join(ctx.queries, name), encoding="utf-8") as f:
                return f.read()
    raise FileNotFoundError(prefix)


def _get(server, path, accept):
    """One GET on the server's kept-alive connection; (seconds, status, body)."""
    import http.client
    for attempt in (1, 2):  # the server may have closed a connection left idle by a slow peer
        try:
            if server.conn is None:
                server.conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=900)
            start = time.monotonic()
            server.conn.request("GET", path, headers={"Accept": accept})
            response = server.conn.getresponse()
            body = response.read()
            return time.monotonic() - start, response.status, body
        except (http.client.HTTPException, OSError):
            server.conn = None
            if attempt == 2:
                raise
    return None


def _size(body, key):
    data = json.loads(body)
    if key == "sparql":
        return len(data["results"]["bindings"])
    return len(data[key])


def measure(ctx, size, servers):
    rows = []
    citykg = servers[0]
    peers = servers[1:]
    questions = [
        ("latest observation per sensor", "03-",
         [("SPARQL on graph/state (queries/latest-values.rq)", "sparql", _named(ctx, "latest-values.rq")),
          ("GET /state", "values", "/state")]),
        ("mean PM2.5 per district per day", "01-",
         [("SPARQL on the day rollups (queries/area-daily-means.rq)", "sparql",
           _named(ctx, "area-daily-means.rq", PM25)),
          ("GET /series", "series", "/series?scope=area&size=day&property=" + urllib.parse.quote(PM25, safe=""))]),
    ]
    for question, raw_prefix, ways in questions:
        raw = _raw(ctx, raw_prefix)
        calls = []
        for label, key, what in ways:
            if key == "sparql":
                calls.append((label, key, lambda what=what: citykg.post(what, "application/sparql-results+json")))
            else:
                calls.append((label, key, lambda what=what: _get(citykg, what, "application/json")))
        for peer in peers:
            calls.append((peer.name, "sparql", lambda peer=peer: peer.post(raw, "application/sparql-results+json")))
        times = {label: [] for label, _, _ in calls}
        sizes = {}
        for label, key, call in calls:  # warm-up and result size
            try:
                _, status, body = call()
            except OSError as e:
                log("  %s on %s: %s" % (question, label, e))
                status, body = 0, b""
            sizes[label] = _size(body, key) if status == 200 else "HTTP %d" % status
        live = [c for c in calls if isinstance(sizes[c[0]], int)]
        started = time.monotonic()
        for i in range(max(ctx.query_runs, 20)):
            if i >= 3 and time.monotonic() - started > ctx.query_seconds:
                break
            for label, _, call in live[i % len(live):] + live[:i % len(live)]:
                try:
                    seconds, status, _ = call()
                except OSError as e:
                    log("  %s on %s: %s" % (question, label, e))
                    seconds, status = None, 0
                times[label].append(seconds if status == 200 else None)
        log("  %s: %s" % (question, ", ".join("%s %.2f ms (%s)" % (l, (median(t) or 0) * 1000, sizes[l])
                                               for l, t in times.items() if t)))
        ms = lambda v: v * 1000 if v is not None else None
        for label, _, _ in calls[:len(ways)]:
            for peer_name, key in PEERS:
                theirs = times.get(peer_name, [])
                note = ctx.peers.reason(key)
                if not note and peer_name in sizes and not isinstance(sizes[peer_name], int):
                    note = "the peer did not answer (%s)" % sizes[peer_name]
                elif not note and peer_name in sizes and sizes[label] != sizes[peer_name]:
                    note = "result sizes differ: citykg %s, peer %s" % (sizes[label], sizes[peer_name])
                task = "dashboard %s: citykg %s, peer raw query %s" % (question, label, raw_prefix.rstrip("-"))
                rows.append(Row(size, task, "median ms", "lower", ms(median(times[label])), peer_name,
                                ms(median(theirs)), note, {"samples": len(times[label]), "citykg_result": sizes[label],
                                                           "peer_result": sizes.get(peer_name)}))
                rows.append(Row(size, task, "p95 ms", "lower", ms(p95(times[label])), peer_name, ms(p95(theirs)), note))
    return rows
