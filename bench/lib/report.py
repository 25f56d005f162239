"""The result: one Markdown table (stdout and results.md), results.json, and chart.svg drawn by hand
(throughput per scenario at the largest size; peak memory against input size)."""

import html
import json
import math
import re

COLOURS = {"citykg": "#1f6feb", "Morph-KGC": "#d29922", "RocketRML": "#8250df", "oxigraph load": "#2da44e",
           "oxigraph serve": "#2da44e", "Virtuoso ld_dir": "#cf222e", "Virtuoso": "#cf222e",
           "citykg load": "#6e7781"}


def fmt(value, metric):
    if value is None:
        return "-"
    if metric.endswith("ms"):
        return "%.3g" % value if value < 100 else "{:,.0f}".format(value)
    if metric == "requests/s":
        return "%.3g" % value if value < 100 else "{:,.0f}".format(value)
    return "{:,.0f}".format(value)


def ratio(row):
    r = row.get("ratio")
    return "-" if r is None else ("%.2fx" % r if r < 100 else "%.0fx" % r)


def size_label(n):
    return "%gM" % (n / 1e6) if n >= 1000000 else ("%gk" % (n / 1e3) if n >= 1000 else str(n))


def markdown(meta, rows):
    lines = [
        "Machine: %s; %s cores, %s GiB memory. Versions: %s. %d run(s) per figure (median), tools interleaved; "
        "ratio = citykg / peer (higher is better for triples/s and requests/s, lower for ms and MB)."
        % (meta["machine"]["cpu"], meta["machine"]["cores"], meta["machine"]["memory_gib"],
           ", ".join("%s %s" % kv for kv in meta["versions"].items()), meta["runs"]),
        "",
        "| size | task | metric | citykg | peer | peer figure | citykg / peer | note |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            size_label(r["size"]), r["task"], r["metric"], fmt(r["citykg"], r["metric"]), r["peer_name"],
            fmt(r["peer"], r["metric"]), ratio(r), r["note"].replace("|", "/")))
    return "\n".join(lines) + "\n"


def write(out, meta, rows):
    text = markdown(meta, rows)
    with open(out + "/results.md", "w") as f:
        f.write(text)
    with open(out + "/results.json", "w") as f:
        json.dump({"meta": meta, "rows": rows}, f, indent=1)
    with open(out + "/chart.svg", "w") as f:
        f.write(chart(rows))
    return text


def chart(rows):
    width = 1100
    bars = _throughput_bars(rows)
    mem = _memory_series(rows)
    h1 = 60 + 16 * len(bars) + 10 * len({b[0] for b in bars})
    h2 = max(340, 70 + 15 * len(mem))
    svg = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">'
           % (width, h1 + h2 + 40), '<rect width="100%" height="100%" fill="white"/>']
    svg += _bar_panel(bars, 0, width, h1)
    svg += _memory_panel(mem, h1 + 20, width, h2)
    svg.append("</svg>")
    return "\n".join(svg) + "\n"


def _throughput_bars(rows):
    """(scenario, tool, value, unit) at the largest size: triples/s and requests/s rows."""
    if not rows:
        return []
    size = max(r["size"] for r in rows)
    bars, seen = [], set()
    for r in rows:
        if r["size"] != size or r["metric"] not in ("triples/s", "requests/s"):
            continue
        scenario = "%s (%s)" % (r["task"], r["metric"])
        if (scenario, "citykg") not in seen and r["citykg"]:
            seen.add((scenario, "citykg"))
            bars.append((scenario, "citykg", r["citykg"]))
        if r["peer"] and (scenario, r["peer_name"]) not in seen:
            seen.add((scenario, r["peer_name"]))
            bars.append((scenario, r["peer_name"], r["peer"]))
    return bars


def _bar_panel(bars, top, width, height):
    out = []
    if not bars:
        return out
    size_note = "largest size of the run"
    out.append('<text x="10" y="%d" font-size="14" font-weight="bold">Throughput per scenario (%s; log scale, '
               'longer is better)</text>' % (top + 18, size_note))
    left, right = 430, width - 90
    values = [b[2] for b in bars]
    lo = math.floor(math.log10(min(values)))
    hi = math.ceil(math.log10(max(values)))
    hi = max(hi, lo + 1)

    def x(v):
        return left + (right - left) * (math.log10(v) - lo) / (hi - lo)

    y = top + 40
    for e in range(lo, hi + 1):
        out.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#ddd"/>' % (x(10 ** e), x(10 ** e), y - 8, top + height))
        out.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%s</text>' % (x(10 ** e), y - 12, _si(10 ** e)))
    previous = None
    for scenario, tool, value in bars:
        if scenario != previous:
            y += 10
            out.append('<text x="%d" y="%d" text-anchor="end">%s</text>' % (left - 8, y + 11, html.escape(scenario)))
            previous = scenario
        colour = COLOURS.get(tool, "#999")
        out.append('<rect x="%d" y="%d" width="%.1f" height="13" fill="%s"/>' % (left, y, max(1, x(value) - left), colour))
        out.append('<text x="%.1f" y="%d" fill="#333">%s %s</text>' % (x(value) + 4, y + 10, html.escape(tool), _si(value)))
        y += 16
    return out


# The memory panel keeps a few series, one marker shape per task, one colour per tool.
MEMORY_TASKS = {"map ttn": "circle", "map csv": "square", "bulk load": "triangle",
                "ingest csv, 4 clients": "diamond", "serving queries": "cross"}


def _memory_series(rows):
    """{(task, tool): {size: MB}} for the peak-memory rows of MEMORY_TASKS."""
    series = {}
    for r in rows:
        if r["metric"] != "peak MB":
            continue
        task = r["task"].split(" (")[0].replace("HTTP ingest", "ingest").replace("serving the queries", "serving queries")
        task = re.sub(r", \d+ records a request", "", task)
        if task not in MEMORY_TASKS:
            continue
        if r["citykg"]:
            series.setdefault((task, "citykg"), {})[r["size"]] = r["citykg"]
        if r["peer"] and r["peer_name"] != "citykg load":
            series.setdefault((task, r["peer_name"]), {})[r["size"]] = r["peer"]
    return series


def _marker(shape, x, y, colour):
    if shape == "square":
        return '<rect x="%.1f" y="%.1f" width="7" height="7" fill="%s"/>' % (x - 3.5, y - 3.5, colour)
    if shape == "triangle":
        return '<polygon points="%.1f,%.1f %.1f,%.1f %.1f,%.1f" fill="%s"/>' % (x, y - 4.5, x - 4.5, y + 3.5, x + 4.5, y + 3.5, colour)
    if shape == "diamond":
        return '<polygon points="%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f" fill="%s"/>' % (x, y - 5, x + 5, y, x, y + 5, x - 5, y, colour)
    if shape == "cross":
        return ('<path d="M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f" stroke="%s" stroke-width="2.5"/>'
                % (x - 4, y - 4, x + 4, y + 4, x - 4, y + 4, x + 4, y - 4, colour))
    return '<circle cx="%.1f" cy="%.1f" r="4" fill="%s"/>' % (x, y, colour)


def _memory_panel(series, top, width, height):
    out = ['<text x="10" y="%d" font-size="14" font-weight="bold">Peak memory against input size '
           '(observations; log-log, lower is better)</text>' % (top + 18)]
    if not series:
        return out
    sizes = sorted({s for points in series.values() for s in points})
    mbs = [v for points in series.values() for v in points.values()]
    left, right, y0, y1 = 80, width - 420, top + height - 30, top + 40
    lo, hi = math.floor(math.log10(min(mbs))), math.ceil(math.log10(max(mbs)))
    hi = max(hi, lo + 1)
    xs = {s: left + (right - left) * (i + 0.5) / len(sizes) for i, s in enumerate(sizes)}

    def y(v):
        return y0 - (y0 - y1) * (math.log10(v) - lo) / (hi - lo)

    for e in range(lo, hi + 1):
        out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>' % (left, right, y(10 ** e), y(10 ** e)))
        out.append('<text x="%d" y="%.1f" text-anchor="end" fill="#555">%s MB</text>' % (left - 6, y(10 ** e) + 4, _si(10 ** e)))
    for s, xv in xs.items():
        out.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%s</text>' % (xv, y0 + 18, size_label(s)))
    legend_y = y1
    for (task, tool), points in sorted(series.items()):
        colour = COLOURS.get(tool, "#999")
        dash = "" if tool == "citykg" else ' stroke-dasharray="5,3"'
        ordered = sorted(points.items())
        if len(ordered) > 1:
            path = " ".join("%.1f,%.1f" % (xs[s], y(v)) for s, v in ordered)
            out.append('<polyline points="%s" fill="none" stroke="%s" stroke-width="1.5"%s/>' % (path, colour, dash))
        for s, v in ordered:
            out.append(_marker(MEMORY_TASKS[task], xs[s], y(v), colour))
        label = "%s: %s (%s)" % (task, tool, ", ".join("%s %s MB" % (size_label(s), fmt(v, "MB")) for s, v in ordered))
        out.append(_marker(MEMORY_TASKS[task], right + 20, legend_y - 4, colour))
        out.append('<text x="%d" y="%d">%s</text>' % (right + 30, legend_y, html.escape(label)))
        legend_y += 15
    return out


def _si(v):
    for unit, scale in (("M", 1e6), ("k", 1e3)):
        if v >= scale:
            return ("%.3g" % (v / scale)) + unit
    return "%.3g" % v
