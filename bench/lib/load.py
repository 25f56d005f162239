"""Bulk load: the workload's triples as N-Triples (citykg's mapping of readings.csv, whose count and
sample the mapping task checked) into a fresh store with `citykg load`, `oxigraph load` and Virtuoso
(`ld_dir` + `rdf_loader_run` + `checkpoint`), runs interleaved. The last store of each is kept for the
queries; the Virtuoso server of the last run stays up for them."""

import os
import re
import shutil

from .common import BASE, Row, log, median, run_measured
from .virtuoso import Virtuoso


def run(ctx, size, nt, expected):
    rows = []
    tools = ["citykg"]
    if ctx.peers.oxigraph:
        tools.append("oxigraph")
    if ctx.peers.virtuoso:
        tools.append("Virtuoso")
    results = {name: [] for name in tools}
    rebuilds = []
    stores = {}
    virtuoso = None
    for i in range(ctx.runs):
        names = tools[i % len(tools):] + tools[:i % len(tools)]
        for name in names:
            store = os.path.join(ctx.work, "load-%d-%s" % (size, name))
            shutil.rmtree(store, ignore_errors=True)
            if name == "Virtuoso":
                if virtuoso:
                    virtuoso.stop()
                virtuoso = Virtuoso(ctx, store)
                m = virtuoso.load(nt)
                if m and m.ok and virtuoso.count() != expected:
                    log("  Virtuoso holds %s triples, expected %d" % (virtuoso.count(), expected))
            elif name == "citykg":
                out = store + ".out"
                m = run_measured([ctx.citykg, "load", "--location", store, nt], env=ctx.env, stdout=out)
                loaded = _loaded(out)
                if m.ok and loaded != expected:
                    ctx.failures.append("citykg load at %d: loaded %s quads, expected %d" % (size, loaded, expected))
                if m.ok:
                    # Not part of the load's figure: the derived graphs the server would rebuild at start.
                    r = run_measured([ctx.citykg, "rebuild-state", "--location", store, "--base-iri", BASE], env=ctx.env, stdout=out + ".rebuild")
                    with open(out + ".rebuild") as f:
                        said = f.read().strip()
                    rebuilds.append((r.seconds, said) if r.ok else None)
                    log("  rebuild-state %7.2f s: %s" % (r.seconds, said))
            else:
                m = run_measured([ctx.peers.oxigraph, "load", "--location", store, "--file", nt],
                                 env=ctx.env, timeout=ctx.peer_timeout)
            if m is None or not m.ok:
                log("  load %s failed: %s" % (name, m.stderr.strip()[-500:] if m else "server did not start"))
                results[name].append(None)
                continue
            stores[name] = store
            results[name].append((m.seconds, m.peak_kb))
            log("  load %-9s %7.2f s %7.0f MB" % (name, m.seconds, m.peak_kb / 1024))
    ours = _summary(results["citykg"], expected)
    for peer, label in (("oxigraph", "oxigraph load"), ("Virtuoso", "Virtuoso ld_dir")):
        theirs = _summary(results.get(peer, []), expected)
        note = ctx.peers.reason(peer)
        task = "bulk load (%d triples, N-Triples)" % expected
        done = [r for r in rebuilds if r]
        if done and not note:
            note = "then citykg rebuild-state (current values and rollups, not counted): %.1f s" % median([r[0] for r in done])
        rows.append(Row(size, task, "triples/s", "higher", ours["rate"], label, theirs["rate"], note))
        rows.append(Row(size, task, "peak MB", "lower", ours["mb"], label, theirs["mb"],
                        note or ("server process, its buffers included" if peer == "Virtuoso" else "")))
    return rows, stores, virtuoso, ours["rate"], ours["mb"]


def _summary(results, triples):
    done = [r for r in results if r]
    if not done:
        return {"rate": None, "mb": None}
    seconds = median([r[0] for r in done])
    return {"rate": triples / seconds, "mb": median([r[1] for r in done]) / 1024}


def _loaded(path):
    with open(path) as f:
        found = re.search(r"loaded (\d+) quads", f.read())
    return int(found.group(1)) if found else None
