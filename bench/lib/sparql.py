"""Queries: each .rq of ../shared/bench/queries against citykg's /query, `oxigraph serve` and Virtuoso
on the stores the bulk-load task left, over loopback. Latency: one warm-up, then requests interleaved
across the servers (form POST on a kept-alive connection), median and p95, bounded per query in
time. Throughput: wrk (or a bounded Python load generator) with GET of the URL-encoded query for a
fixed time. Peak memory of each server (VmHWM) after all of it."""

import http.client
import json
import math
import os
import re
import subprocess
import threading
import time
import urllib.parse

from . import city
from .common import BASE, Row, log, median, p95, vm_hwm_kb, wait_http
from .virtuoso import GRAPH, free_port


class Server:
    def __init__(self, name, port, path, extra=None, proc=None, pid=None):
        self.name, self.port, self.path = name, port, path
        self.extra = extra or {}
        self.proc, self.pid = proc, pid or (proc.pid if proc else None)
        self.conn = None

    def params(self, query):
        return urllib.parse.urlencode(dict({"query": query}, **self.extra))

    def post(self, query, accept):
        """One request; (seconds, status, body)."""
        for attempt in (1, 2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=900)
                start = time.monotonic()
                self.conn.request("POST", self.path, self.params(query),
                                  {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
                response = self.conn.getresponse()
                body = response.read()
                seconds = time.monotonic() - start
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return seconds, response.status, body
            except (http.client.HTTPException, OSError):
                self.conn = None
                if attempt == 2:
                    raise
        return None

    def url(self, query):
        return "http://127.0.0.1:%d%s?%s" % (self.port, self.path, self.params(query))


def queries(folder):
    found = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".rq"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                text = f.read()
            body = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith(("#", "PREFIX")))
            kind = "graph" if re.search(r"\b(CONSTRUCT|DESCRIBE)\b", body, re.I) else "results"
            found.append((name[:-3], text, kind))
    return found


def run(ctx, size, stores, virtuoso):
    servers, started = [], []
    port = free_port()
    proc = subprocess.Popen([ctx.citykg, "serve", "--location", stores["citykg"], "--bind", "127.0.0.1:%d" % port,
                             "--query-timeout", "900", "--base-iri", BASE], cwd=ctx.root, env=dict(ctx.env, RUST_LOG="warn"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started.append(proc)
    if not wait_http("http://127.0.0.1:%d/health" % port, 120, proc):
        ctx.failures.append("query: citykg serve did not start")
    servers.append(Server("citykg", port, "/query", proc=proc))
    if "oxigraph" in stores:
        port = free_port()
        proc = subprocess.Popen([ctx.peers.oxigraph, "serve", "--location", stores["oxigraph"], "--bind",
                                 "127.0.0.1:%d" % port], env=ctx.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started.append(proc)
        if wait_http("http://127.0.0.1:%d/query?query=ASK%%7B%%7D" % port, 120, proc):
            servers.append(Server("oxigraph serve", port, "/query", proc=proc))
    if virtuoso and virtuoso.started:
        servers.append(Server("Virtuoso", virtuoso.http_port, "/sparql", {"default-graph-uri": GRAPH},
                              pid=virtuoso.proc.pid))
    try:
        rows = _measure(ctx, size, servers)
        return rows + city.measure(ctx, size, servers)
    finally:
        for proc in started:
            proc.terminate()
            proc.wait()


def _measure(ctx, size, servers):
    rows = []
    peers = [("oxigraph serve", "oxigraph"), ("Virtuoso", "Virtuoso")]
    by_name = {s.name: s for s in servers}
    for name, text, kind in queries(ctx.queries):
        accept = "application/n-triples" if kind == "graph" else "application/sparql-results+json"
        times = {s.name: [] for s in servers}
        sizes = {}
        for s in servers:  # warm-up, and the result size
            try:
                _, status, body = s.post(text, accept)
            except OSError as e:
                status, body = 0, str(e).encode()
            sizes[s.name] = _result_size(body, kind) if status == 200 else "HTTP %d" % status
            if status != 200:
                log("  %s on %s: HTTP %d %s" % (name, s.name, status, body[:300]))
        live = [s for s in servers if isinstance(sizes[s.name], int)]
        started = time.monotonic()
        for i in range(ctx.query_runs):
            if i >= 3 and time.monotonic() - started > ctx.query_seconds:
                break
            for s in live[i % len(live):] + live[:i % len(live)]:
                try:
                    seconds, status, _ = s.post(text, accept)
                except OSError as e:
                    log("  %s on %s: %s" % (name, s.name, e))
                    seconds, status = None, 0
                times[s.name].append(seconds if status == 200 else None)
        rps = {}
        for s in live:
            # long enough for each connection to finish a few requests, at most 120 s
            seconds = min(120, max(ctx.load_seconds, 4 * ctx.connections * (median(times[s.name]) or 0)))
            rps[s.name] = _throughput(ctx, s, text, accept, int(math.ceil(seconds)))
        ours = times["citykg"]
        log("  %s: %s" % (name, ", ".join("%s %s (%s)" % (n, _ms(median(t)), sizes[n]) for n, t in times.items())))
        for peer, key in peers:
            note = ctx.peers.reason(key)
            theirs = times.get(peer, [])
            if peer in by_name and not note:
                note = _compare_sizes(name, sizes.get("citykg"), sizes.get(peer))
            task = "query %s" % name
            extra = {"citykg_result": sizes.get("citykg"), "peer_result": sizes.get(peer), "samples": len(ours)}
            rows.append(Row(size, task, "median ms", "lower", _msf(median(ours)), peer, _msf(median(theirs)), note, extra))
            rows.append(Row(size, task, "p95 ms", "lower", _msf(p95(ours)), peer, _msf(p95(theirs)), note))
            rows.append(Row(size, task, "requests/s", "higher", rps.get("citykg"), peer, rps.get(peer),
                            note or ctx.load_tool))
    for peer, key in peers:
        ours = vm_hwm_kb(servers[0].pid)
        theirs = by_name[peer].pid if peer in by_name else None
        theirs = vm_hwm_kb(theirs) if theirs else None
        note = ctx.peers.reason(key) or ("default buffers of this ini: 340,000 x 8 KB" if key == "Virtuoso" else "")
        rows.append(Row(size, "serving the queries (server process)", "peak MB", "lower",
                        ours / 1024 if ours else None, peer, theirs / 1024 if theirs else None, note))
    return rows


def _result_size(body, kind):
    if kind == "graph":
        return sum(1 for line in body.splitlines() if line.strip())
    data = json.loads(body)
    if "boolean" in data:
        return 1 if data["boolean"] else 0
    bindings = data["results"]["bindings"]
    if len(bindings) == 1 and len(bindings[0]) == 1:  # a single number (COUNT): compare its value
        value = next(iter(bindings[0].values()))["value"]
        if value.isdigit():
            return int(value)
    return len(bindings)


def _compare_sizes(name, ours, theirs):
    if ours == theirs:
        return ""
    if name.startswith("06"):
        return "COUNT: citykg %s (its ontology modules are in the union default graph), peer %s" % (ours, theirs)
    return "result sizes differ: citykg %s, peer %s" % (ours, theirs)


def _throughput(ctx, server, text, accept, seconds):
    if ctx.load_seconds <= 0:
        return None
    if ctx.peers.wrk:
        done = subprocess.run([ctx.peers.wrk, "-t1", "-c%d" % ctx.connections, "-d%ds" % seconds,
                               "--timeout", "120s", "-H", "Accept: " + accept, server.url(text)],
                              capture_output=True, text=True)
        found = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
        if "Non-2xx" in done.stdout:
            log("  wrk on %s: %s" % (server.name, done.stdout.strip()[-300:]))
        rate = float(found.group(1)) if found else None
        return rate or None  # none finished in the window: no figure rather than 0
    return _python_load(ctx, server, text, accept, seconds)


def _python_load(ctx, server, text, accept, seconds):
    """The bounded load generator used when wrk is missing: `connections` threads, kept-alive GETs,
    for load_seconds; requests/s of answered requests."""
    count = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    target = server.url(text).split(str(server.port), 1)[1]

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        while time.monotonic() < deadline:
            conn.request("GET", target, headers={"Accept": accept})
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                with lock:
                    count[0] += 1
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(ctx.connections)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return count[0] / (time.monotonic() - start) or None


def _msf(seconds):
    return seconds * 1000 if seconds is not None else None


def _ms(seconds):
    return "-" if seconds is None else "%.2f ms" % (seconds * 1000)
