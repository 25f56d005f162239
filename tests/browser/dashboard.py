"""The city operators' page, /dashboard, in a real browser (Chromium driven by Playwright).

Usage: dashboard.py --bin PATH_TO_CITYKG [--artifacts DIR]

1. Generates the synthetic city of ../shared/bench/gen.py (1,000 observations; CITYKG_SHARED
   names another shared folder), starts `citykg serve` on a free port of 127.0.0.1, uploads the
   city profile (tests/fixtures/city/profile.ttl), ingests the city's readings and the fixture's
   extra ones (water inflow, noise) and computes the KPIs of 2025.
2. Opens /dashboard in Debian's Chromium (/usr/bin/chromium; CITYKG_CHROMIUM names another) and
   checks what a person sees: the heading, the 12 KPI tiles with their values (water supply loss
   20 %), status, data capture and sparklines, the SVG map with its 20 named areas and the
   sensors, the latest readings with readable times, the data capture table; the page sends a
   Content-Security-Policy, has no script, and logs no console error and no failed request.
3. Follows links as a person would (a property of the map, then the U4SSC self-assessment with
   its 91 KPIs) and reaches the header links with the keyboard.

Exits 0 when every check holds, 1 with the failed check's message otherwise; the server is
stopped (SIGTERM, then wait) in every case. With --artifacts DIR, a failure leaves a screenshot
and the HTML of the page there.
"""

import argparse
import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

REPO = Path(__file__).resolve().parents[2]
TOKEN = "s3cret"
YEAR = 2025
KPI_TILES = 12
AREAS = 20
REPORT_ROWS = 91
READABLE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
HEADER_LINKS = ["/", "/dashboard", "/kpis", "/query", "/metrics"]


class Server:
    """`citykg serve` on a free port; `stop()` sends SIGTERM and waits."""

    def __init__(self, binary, location, log_path):
        self.log_path = log_path
        self.log = open(log_path, "wb")
        env = dict(os.environ, CITYKG_ADMIN_TOKEN=TOKEN)
        self.process = subprocess.Popen(
            [binary, "serve", "--location", str(location), "--bind", "127.0.0.1:0"],
            stdout=subprocess.PIPE,
            stderr=self.log,
            env=env,
        )
        self.lines = queue.Queue()
        # Reads stdout to the end so the server never blocks on a full pipe.
        threading.Thread(target=self._read, daemon=True).start()
        try:
            self.address = self._wait_for_address(timeout=60)
        except BaseException:
            self.stop()
            raise

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.decode("utf-8", "replace"))
        self.lines.put(None)

    def _wait_for_address(self, timeout):
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            remaining = deadline - time.monotonic()
            try:
                line = self.lines.get(timeout=max(remaining, 0.01))
            except queue.Empty:
                raise AssertionError(
                    f"citykg printed no 'listening on' line in {timeout} s: {seen}"
                ) from None
            if line is None:
                self.process.wait()
                raise AssertionError(
                    f"citykg serve exited ({self.process.returncode}) before listening: "
                    f"{seen}\n{self.stderr_tail()}"
                )
            seen.append(line.rstrip())
            match = re.search(r"listening on (http://127\.0\.0\.1:\d+)/", line)
            if match:
                return match.group(1)

    def stderr_tail(self, lines=20):
        if not self.log.closed:
            self.log.flush()
        text = ANSI.sub("", Path(self.log_path).read_text("utf-8", "replace"))
        return "\n".join(text.splitlines()[-lines:])

    def stop(self):
        """SIGTERM, then wait; returns the exit status (killed after 30 s)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode


def request(method, url, body=None, content_type=None, expected=200):
    headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}
    if content_type:
        headers["Content-Type"] = content_type
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=120) as response:
            status, text = response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode("utf-8", "replace")
    assert status == expected, f"{method} {url}: expected {expected}, got {status}: {text[:500]}"
    return text


def prepare(server, data):
    base = server.address
    profile = (REPO / "tests/fixtures/city/profile.ttl").read_bytes()
    request("PUT", f"{base}/city/profile", profile, "text/turtle", expected=201)
    for csv in [data / "readings.csv", REPO / "tests/fixtures/city/extra-readings.csv"]:
        request("POST", f"{base}/ingest/builtin/readings-csv", csv.read_bytes(), "text/csv")
    request("POST", f"{base}/kpis/compute?year={YEAR}")


def check_dashboard(page, response, summary):
    """The first view of /dashboard."""
    assert response is not None and response.status == 200, (
        f"GET /dashboard: {response.status if response else 'no response'}"
    )
    csp = response.headers.get("content-security-policy")
    assert csp, f"GET /dashboard: no Content-Security-Policy header in {response.headers}"
    assert page.locator("script").count() == 0, "the dashboard has a <script> element"
    expect(page).to_have_title(re.compile("City dashboard"))
    expect(page.locator("h1")).to_have_text("City dashboard")

    # KPI tiles.
    tiles = page.locator("li.kpi")
    expect(tiles).to_have_count(KPI_TILES)
    for i in range(KPI_TILES):
        tile = tiles.nth(i)
        code = tile.get_attribute("data-code")
        value = tile.locator(".value")
        expect(value, f"tile {code}: .value").to_be_visible()
        assert value.inner_text().strip(), f"tile {code}: empty .value"
    # The page's inline <style> is allowed by the CSP and applied.
    weight = tiles.first.locator(".value").evaluate("e => getComputedStyle(e).fontWeight")
    assert weight == "600", (
        f"li.kpi .value: font-weight {weight}, expected 600 (inline style blocked?)"
    )
    loss = page.locator('li.kpi[data-code="EC-I-WS-3C"]')
    expect(loss).to_have_count(1)
    loss_text = loss.locator(".value").inner_text().strip()
    try:
        loss_value = float(loss_text)
    except ValueError:
        raise AssertionError(f"tile EC-I-WS-3C: value {loss_text!r} is not a number") from None
    assert abs(loss_value - 20.0) < 0.5, (
        f"tile EC-I-WS-3C: water supply loss {loss_value}, expected about 20"
    )
    expect(loss.locator(".status")).to_contain_text("computed")
    expect(loss.locator(".unit")).to_have_text("PERCENT")
    air = tiles.filter(has=page.locator(".name", has_text="Air pollution"))
    air_count = air.count()
    assert air_count >= 1, "no air pollution tile (li.kpi with a .name 'Air pollution ...')"
    for i in range(air_count):
        status = air.nth(i).locator(".status")
        expect(status, f"air pollution tile {i}").to_contain_text("data capture")
    sparklines = page.locator("svg.sparkline:visible")
    assert sparklines.count() >= 1, "no visible svg.sparkline"
    points = sparklines.first.locator("polyline").get_attribute("points") or ""
    assert len(points.split()) >= 2, f"svg.sparkline polyline has points {points!r}"

    # The map.
    svg = page.locator("svg#map")
    expect(svg).to_be_visible()
    expect(page.get_by_role("group", name=re.compile("map of the areas"))).to_be_visible()
    # Each area is an image of its own for assistive technology, named with its value.
    expect(page.get_by_role("img", name=re.compile(r"^Old Town: "))).to_have_count(1)
    areas = svg.locator("path.area")
    expect(areas).to_have_count(AREAS)
    titles = [t.strip() for t in areas.locator("title").all_text_contents()]
    assert len(titles) == AREAS, f"{len(titles)} of {AREAS} path.area have a <title>"
    names = [t.split(":")[0].strip() for t in titles]
    assert all(names), f"path.area with an empty name in their <title>: {titles}"
    assert "Old Town" in names, f"no path.area titled 'Old Town': {names}"
    boxes = areas.evaluate_all(
        "ps => ps.map(p => { const b = p.getBBox(); return [b.width, b.height]; })"
    )
    flat = [i for i, (w, h) in enumerate(boxes) if w <= 0 or h <= 0]
    assert not flat, f"path.area drawn with no size: {[titles[i] for i in flat]}"
    sensors = svg.locator("circle.sensor")
    assert sensors.count() >= 1, "no circle.sensor on the map"

    # The tables.
    latest = page.locator("table#latest tbody tr")
    assert latest.count() >= 1, "table#latest has no rows"
    times = page.locator("table#latest tbody tr td:nth-child(4)").all_inner_texts()
    unreadable = [t for t in times if not READABLE_TIME.match(t.strip())]
    assert times and not unreadable, (
        f"table#latest: time cells not 'YYYY-MM-DD HH:MM UTC': {unreadable or times}"
    )
    capture = page.locator("table#capture tbody tr")
    expect(capture).to_have_count(AREAS)
    capture_areas = [
        c.strip() for c in page.locator("table#capture tbody tr td:first-child").all_inner_texts()
    ]
    assert sorted(capture_areas) == sorted(names), (
        f"table#capture areas {capture_areas} differ from the map's {names}"
    )
    summary.update(tiles=KPI_TILES, areas=AREAS, sensors=sensors.count(), latest=latest.count())


def check_navigation(page, summary):
    """Clicks the property no2, then the U4SSC self-assessment."""
    properties = page.locator("#map-section p", has_text="Property:")
    link = properties.get_by_role("link", name="no2", exact=True)
    expect(link).to_have_count(1)
    link.click()
    # The link names the property by its IRI.
    expect(page).to_have_url(re.compile(r"/dashboard\?property=https%3A%2F%2Fw3id\.org%2Fcitykg%2Fproperty%2Fno2$"))
    expect(page.locator("#map-title")).to_contain_text("no2")
    current = properties.get_by_role("link", name="no2", exact=True)
    expect(current).to_have_attribute("aria-current", "page")
    expect(page.locator("svg#map")).to_have_attribute("aria-label", re.compile("no2"))
    expect(page.locator("svg#map path.area")).to_have_count(AREAS)

    page.get_by_role("link", name=f"U4SSC self-assessment for {YEAR}").click()
    expect(page).to_have_url(re.compile(rf"/kpis/report\?year={YEAR}$"))
    expect(page.locator("h1")).to_have_text(f"U4SSC self-assessment {YEAR}")
    rows = page.locator("table#report tbody tr")
    expect(rows).to_have_count(REPORT_ROWS)
    loss = page.locator('table#report tbody tr[data-code="EC: I: WS: 3C"]')
    expect(loss).to_have_count(1)
    expect(loss.locator("td").nth(3)).to_have_text("computed")
    standings = [
        s.strip() for s in page.locator("table#report tbody tr td:nth-child(4)").all_inner_texts()
    ]
    missing = standings.count("missing")
    others = REPORT_ROWS - 1
    assert missing > others / 2, (
        f"table#report: {missing} of {others} other rows say missing, expected most"
    )
    unknown = sorted(set(standings) - {"computed", "reported", "missing"})
    assert not unknown, f"table#report: unexpected status texts {unknown}"
    summary.update(report_rows=REPORT_ROWS, computed=standings.count("computed"), missing=missing)


def check_keyboard(page, base):
    """Tab from the top of /dashboard reaches the header links, in order, with a visible focus."""
    page.goto(f"{base}/dashboard")
    reached = []
    for _ in HEADER_LINKS:
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement;
                return { tag: e.tagName, href: e.getAttribute('href'),
                         header: !!e.closest('header'),
                         outline: getComputedStyle(e).outlineStyle }; }"""
        )
        if not reached:
            assert focused["tag"] == "A", f"the first Tab focuses a {focused['tag']}, not a link"
        assert focused["header"], f"Tab {len(reached) + 1} left the header: {focused}"
        assert focused["outline"] != "none", f"focused link {focused['href']} has no outline"
        reached.append(focused["href"])
    assert reached == HEADER_LINKS, (
        f"Tab reached {reached}, expected the header links {HEADER_LINKS}"
    )


def run_browser(chromium, base, summary, artifacts):
    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(10_000)
            # Every console error and every failed response counts, /favicon.ico included
            # (the server answers it with 204 No Content).
            def console(message):
                if message.type == "error":
                    url = message.location.get("url") or ""
                    problems.append(f"console error: {message.text} ({url})")

            def response(r):
                if r.status >= 400:
                    problems.append(f"HTTP {r.status}: {r.request.method} {r.url}")

            page.on("console", console)
            page.on("response", response)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on(
                "requestfailed",
                lambda r: problems.append(f"request failed: {r.url}: {r.failure}"),
            )
            try:
                check_dashboard(page, page.goto(f"{base}/dashboard"), summary)
                assert not problems, f"on /dashboard: {problems}"
                check_navigation(page, summary)
                assert not problems, f"on the pages followed from /dashboard: {problems}"
                check_keyboard(page, base)
                assert not problems, f"on /dashboard (keyboard): {problems}"
            except (AssertionError, PlaywrightError):
                if artifacts:
                    save_artifacts(page, artifacts)
                raise
        finally:
            browser.close()


def save_artifacts(page, artifacts):
    try:
        artifacts.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(artifacts / "dashboard-failure.png"), full_page=True)
        (artifacts / "dashboard-failure.html").write_text(page.content())
        print(f"dashboard.py: screenshot and HTML in {artifacts}", file=sys.stderr)
    except PlaywrightError as e:
        print(f"dashboard.py: could not save artifacts: {e}", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", required=True, help="the citykg binary")
    parser.add_argument(
        "--artifacts", type=Path, help="on failure, write a screenshot and the HTML here"
    )
    args = parser.parse_args()
    binary = str(Path(args.bin).resolve())
    assert Path(binary).is_file(), f"--bin {args.bin}: no such file"
    shared = Path(os.environ.get("CITYKG_SHARED") or REPO.parent / "shared")
    gen = shared / "bench" / "gen.py"
    assert gen.is_file(), f"{gen} is missing (set CITYKG_SHARED to the shared folder)"
    chromium = os.environ.get("CITYKG_CHROMIUM", "/usr/bin/chromium")
    assert Path(chromium).is_file(), f"{chromium} is missing (apt-get install chromium)"

    started = time.monotonic()
    summary = {}
    with tempfile.TemporaryDirectory(prefix="citykg-browser-") as tmp:
        tmp = Path(tmp)
        subprocess.run(
            [sys.executable, str(gen), "--observations", "1000", "--out", str(tmp / "data")],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        server = Server(binary, tmp / "db", tmp / "server.log")
        failed = True
        try:
            prepare(server, tmp / "data")
            prepared = time.monotonic()
            run_browser(chromium, server.address, summary, args.artifacts)
            failed = False
        except (AssertionError, PlaywrightError):
            print(f"citykg's log (last lines):\n{server.stderr_tail()}", file=sys.stderr)
            raise
        finally:
            status = server.stop()
        assert status == 0 or failed, (
            f"citykg serve exited with {status} after SIGTERM:\n{server.stderr_tail()}"
        )
    elapsed = time.monotonic() - started
    print(
        f"dashboard browser test ok: {summary['tiles']} KPI tiles (water supply loss ~20 %), "
        f"map with {summary['areas']} named areas and {summary['sensors']} sensor(s), "
        f"{summary['latest']} latest readings with readable times, "
        f"{summary['areas']} capture rows, CSP and no console errors or failed requests, "
        f"property link no2, U4SSC report ({summary['report_rows']} rows: "
        f"{summary['computed']} computed, {summary['missing']} missing), "
        f"header links by keyboard; {elapsed:.1f} s ({prepared - started:.1f} s data and server, "
        f"{elapsed - (prepared - started):.1f} s browser)"
    )


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"dashboard browser test FAILED: {e}", file=sys.stderr)
        sys.exit(1)
    except PlaywrightError as e:
        print(f"dashboard browser test FAILED (browser): {e}", file=sys.stderr)
        sys.exit(1)
