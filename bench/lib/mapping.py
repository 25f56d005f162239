"""Mapping: each vendor format of the workload with its RML mapping (plus sensors.rml.ttl, the registry
join) through `citykg map`, Morph-KGC (RML-Core files) and RocketRML (rml/legacy/), runs interleaved.
Each output is checked: its triple count, and the same triples as citykg's on a sample of subjects."""

import os
import zlib

from .common import Row, line_count, log, median, run_measured

FORMATS = {"ttn": "ttn.json", "ngsiv2": "ngsiv2.json", "csv": "readings.csv"}
XSD_DOUBLE = "<http://www.w3.org/2001/XMLSchema#double>"
SAMPLE_TRIPLES = 10000

# Runs the peers cannot finish in a bounded time here (PEERS.md): skipped with this reason.
def peer_limit(tool, fmt, size):
    if tool == "Morph-KGC" and fmt != "csv" and size > 100000:
        return "Morph-KGC takes ~15 min per run on JSON at 1M (94 s at 100k, PEERS.md)"
    if tool == "RocketRML" and size > 100000:
        return "RocketRML builds its whole output as one string: failed at 1M after 125 s at 9.5 GB (PEERS.md)"
    return ""


def run(ctx, size, data, expected):
    rows = []
    outputs = {}
    for fmt, source in FORMATS.items():
        work = os.path.join(ctx.work, "map-%d-%s" % (size, fmt))
        os.makedirs(work, exist_ok=True)
        tools = {"citykg": _citykg(ctx, data, work, fmt)}
        skipped = {}
        for name, make in (("RocketRML", _rocketrml), ("Morph-KGC", _morph)):
            why = ctx.peers.reason(name) or peer_limit(name, fmt, size)
            if why:
                skipped[name] = why
            else:
                tools[name] = make(ctx, data, work, fmt)
        results = {name: [] for name in tools}
        for i in range(ctx.runs):
            names = list(tools)
            names = names[i % len(names):] + names[:i % len(names)]  # interleaved, rotating who goes first
            for name in names:
                cmd, cwd, out = tools[name]
                if os.path.exists(out):
                    os.unlink(out)
                m = run_measured(cmd, cwd=cwd, env=ctx.env, timeout=None if name == "citykg" else ctx.peer_timeout)
                if not m.ok:
                    log("  map %s %s failed (exit %d): %s" % (fmt, name, m.code, m.stderr.strip()[-500:]))
                    results[name].append(None)
                    continue
                triples = line_count(out)
                results[name].append((m.seconds, m.peak_kb, triples))
                log("  map %s %-9s %7.2f s %7.0f MB %9d triples" % (fmt, name, m.seconds, m.peak_kb / 1024, triples))
        ours = _summary(results["citykg"])
        if ours["triples"] != expected:
            ctx.failures.append("map %s at %d: citykg wrote %s triples, the manifest expects %d"
                                % (fmt, size, ours["triples"], expected))
        outputs[fmt] = tools["citykg"][2]
        task = "map %s (%s)" % (fmt, FORMATS[fmt])
        for peer in ("RocketRML", "Morph-KGC"):
            theirs = _summary(results.get(peer, []))
            note = skipped.get(peer, "")
            if peer in tools and not note:
                note = _check(tools["citykg"][2], tools[peer][2], theirs["triples"], expected)
            extra = {"citykg_triples": ours["triples"], "peer_triples": theirs["triples"], "expected_triples": expected}
            rows.append(Row(size, task, "triples/s", "higher", ours["rate"], peer, theirs["rate"], note, extra))
            rows.append(Row(size, task, "peak MB", "lower", ours["mb"], peer, theirs["mb"], note))
    return rows, outputs


def citykg_ntriples(ctx, size, data, expected):
    """The N-Triples to bulk-load when the mapping task does not run: citykg's mapping of the CSV."""
    work = os.path.join(ctx.work, "map-%d-csv" % size)
    os.makedirs(work, exist_ok=True)
    cmd, _, out = _citykg(ctx, data, work, "csv")
    m = run_measured(cmd, env=ctx.env)
    if not m.ok or line_count(out) != expected:
        ctx.failures.append("map csv at %d: citykg failed or wrote the wrong count: %s" % (size, m.stderr[-300:]))
    return out


def _summary(results):
    done = [r for r in results if r]
    if not done:
        return {"rate": None, "mb": None, "triples": None}
    seconds = median([r[0] for r in done])
    triples = done[-1][2]
    return {"rate": triples / seconds if seconds else None, "mb": median([r[1] for r in done]) / 1024,
            "triples": triples, "seconds": seconds}


def _citykg(ctx, data, work, fmt):
    out = os.path.join(work, "citykg.nt")
    cmd = [ctx.citykg, "map", "--mapping", os.path.join(ctx.rml, "sensors.rml.ttl"),
           "--mapping", os.path.join(ctx.rml, fmt + ".rml.ttl"), "--source-dir", data, "-o", out]
    return cmd, None, out


def _morph(ctx, data, work, fmt):
    out = os.path.join(work, "morph.nt")
    ini = os.path.join(work, "morph.ini")
    with open(ini, "w") as f:
        f.write("[CONFIGURATION]\noutput_file = %s\n[CitySensors]\nmappings = %s,%s\n" % (
            out, os.path.join(ctx.rml, "sensors.rml.ttl"), os.path.join(ctx.rml, fmt + ".rml.ttl")))
    return [ctx.peers.morph, "-m", "morph_kgc", ini], data, out


def _rocketrml(ctx, data, work, fmt):
    out = os.path.join(work, "rocketrml.nt")
    mapping = os.path.join(work, "legacy.ttl")
    with open(mapping, "w") as f:
        for name in ("sensors", fmt):
            with open(os.path.join(ctx.rml, "legacy", name + ".rml.ttl")) as part:
                f.write(part.read() + "\n")
    cmd = ["env", "NODE_PATH=" + os.path.join(ctx.peers.rocketrml, "node_modules"), "node",
           "--max-old-space-size=16000", os.path.join(ctx.bench, "rocketrml.js"), mapping, out]
    return cmd, data, out


def _check(ours_path, theirs_path, theirs_count, expected):
    """'' when the peer wrote the expected count and, on a sample of subjects (the same for every
    tool), exactly citykg's triples once doubles are compared as numbers; else what differs. The
    workload has no blank nodes, so equal sets of ground triples are isomorphic graphs."""
    if theirs_count is None:
        return "failed"
    notes = []
    if theirs_count != expected:
        notes.append("%d triples, expected %d" % (theirs_count, expected))
    rate = max(1, expected // SAMPLE_TRIPLES)
    ours, theirs = _sample(ours_path, rate), _sample(theirs_path, rate)
    if ours != theirs:
        notes.append("sample differs: %d of %d triples only in citykg's, %d only in the peer's"
                     % (len(ours - theirs), len(ours), len(theirs - ours)))
    return "; ".join(notes) or "same triples (count; sample of %d)" % len(ours)


def _sample(path, rate):
    """Triples whose subject hashes into the sample, doubles in one canonical form."""
    found = set()
    if not os.path.exists(path):
        return found
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            subject = line.split(" ", 1)[0]
            if subject.startswith("_:"):
                found.add("blank node: " + line)
                continue
            if zlib.crc32(subject.encode()) % rate:
                continue
            if line.endswith(XSD_DOUBLE + " ."):
                head, _, rest = line.rpartition(' "')
                lexical = rest.split('"^^', 1)[0]
                try:
                    line = '%s "%r"^^%s .' % (head, float(lexical), XSD_DOUBLE)
                except ValueError:
                    pass
            found.add(" ".join(line.split()))
    return found
