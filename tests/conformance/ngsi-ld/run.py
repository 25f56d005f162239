#!/usr/bin/env python3
"""Run the ETSI NGSI-LD conformance suite (Robot Framework) against a citykg server, offline.

The script copies the suite to a temporary folder, points it at loopback (resources/variables.py
and the suite's JSON-LD context URLs), serves the suite's contexts on loopback, starts
`citykg serve --memory`, runs robot over the applicable folders of TP/NGSI-LD and prints a
summary. Standard library only; it installs nothing.

Setup, once: a virtualenv with the suite's requirements. requirements.txt has
`-e ./libraries/robotframework-httpctrl`, a path relative to the suite folder, so run pip there:

    cd ../shared/conformance/ngsi-ld && /work/main/target/py/bin/pip install -r requirements.txt

Run (from the repository root):

    target/py/bin/python tests/conformance/ngsi-ld/run.py --bin target/release/citykg
    target/py/bin/python tests/conformance/ngsi-ld/run.py --bin ... --include ContextInformation/Provision/Entities
    target/py/bin/python tests/conformance/ngsi-ld/run.py --bin ... --check      # CI gate on passing.txt
    target/py/bin/python tests/conformance/ngsi-ld/run.py --dry-run              # no server: robot --dryrun

Files next to this script:
- not-applicable.txt, suite-defects.txt: left out of the run. One entry a line, a path under
  TP/NGSI-LD (folder or .robot file) or a test-case name, then ` # reason`. A folder named by
  --include runs even if it is listed (only what is listed below it is left out).
- passing.txt: long names of the tests that pass; `--check` fails when one of them does not,
  `--write-passing` rewrites it from the run (entries of tests this run did not select are kept).

Output in --out (default target/ngsi-ld-suite): output.xml, log.html, results.tsv, citykg.log.
Exit status: 0; 1 when --check finds a regression, --dry-run finds broken test data, or on a
setup error (message on stderr); 2 when robot could not run.
"""

import argparse
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections import defaultdict
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import NamedTuple

try:  # only robot's process needs it, when it loads DropTests below as a pre-run modifier
    from robot.api import SuiteVisitor
except ImportError:
    SuiteVisitor = object

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
TP = "TP/NGSI-LD"
PASSING = HERE / "passing.txt"
LISTS = {"n/a": HERE / "not-applicable.txt", "defect": HERE / "suite-defects.txt"}
# Where the suite publishes its contexts, e.g. https://raw.githubusercontent.com/marek-mraz/
# ngsi-ld-test-suite/main/resources/jsonld-contexts/ (owner/repository/branch may vary).
REMOTE_CONTEXTS = re.compile(r"https://raw\.githubusercontent\.com/[^/\s\"']+/[^/\s\"']+/[^/\s\"']+/resources/jsonld-contexts/")
REWRITTEN_DIRS = ("data", "resources", "TP")
LIBRARIES = "robot, HttpCtrl, RequestsLibrary, JSONLibrary, deepdiff, prettydiff"


class Ports(NamedTuple):
    citykg: int
    contexts: int  # our static server of resources/jsonld-contexts
    notification: int  # the suite's mock notification receiver (HttpCtrl)
    context_source: int  # the suite's mock context source (HttpCtrl)
    context_server: int  # the suite's mock @context server (HttpCtrl), fetched by citykg


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bin", type=Path, help="the citykg binary (not needed with --dry-run)")
    default_suite = Path(os.environ["CITYKG_CONFORMANCE"]) / "ngsi-ld" if os.environ.get("CITYKG_CONFORMANCE") \
        else REPO.parent / "shared/conformance/ngsi-ld"
    p.add_argument("--suite", type=Path, default=default_suite, help="the suite folder [%(default)s]")
    p.add_argument("--python", default=sys.executable, help="python with robot and the suite's libraries [%(default)s]")
    p.add_argument("--out", type=Path, default=REPO / "target/ngsi-ld-suite", help="robot output folder [%(default)s]")
    p.add_argument("--include", action="append", metavar="PATH",
                   help=f"folder or .robot file under {TP} to run, repeatable [all applicable]")
    p.add_argument("--check", action="store_true", help="exit 1 when a test of passing.txt does not pass")
    p.add_argument("--write-passing", action="store_true", help="rewrite passing.txt with the tests that passed")
    p.add_argument("--dry-run", action="store_true",
                   help="no server: prepare the copy, serve the contexts, run robot --dryrun, print counts")
    args = p.parse_args()
    if args.dry_run and (args.check or args.write_passing):
        p.error("--check and --write-passing need a real run")
    if not args.dry_run and not (args.bin and os.access(args.bin, os.X_OK)):
        p.error("--bin must name the citykg binary")
    args.include = [i.strip("/") for i in args.include or [""]]  # "" is all of TP/NGSI-LD
    for i in args.include:
        if not (args.suite / TP / i).exists():
            p.error(f"--include {i}: not found under {args.suite / TP}")
    return args


def check_python(python, suite):
    """Refuse to run when the chosen python cannot import robot and the suite's libraries."""
    r = subprocess.run([python, "-c", f"import {LIBRARIES}"], capture_output=True, text=True)
    if r.returncode != 0:
        why = (r.stderr.strip().splitlines() or ["?"])[-1]
        sys.exit(f"run.py: {python} cannot import {LIBRARIES}: {why}\n"
                 f"Install them from the suite folder (requirements.txt names ./libraries/...):\n"
                 f"  cd {suite} && {python} -m pip install -r requirements.txt")


# --- what to run --------------------------------------------------------------------------

def load_entries(path):
    """Entries of a skip list: {entry: reason}; `entry # reason` a line, `#` starts a comment."""
    entries = {}
    for line in path.read_text().splitlines() if path.exists() else []:
        entry, _, reason = line.partition(" #")
        if entry.strip() and not line.startswith("#"):
            entries[entry.strip().strip("/")] = reason.strip()
    return entries


def under(path, folder):
    return folder == "" or path == folder or path.startswith(folder + "/")


def robot_tests(tp, root):
    """(path under tp, test name) of every test below root, read roughly from the .robot files."""
    files = [tp / root] if root.endswith(".robot") else sorted((tp / root).rglob("*.robot"))
    tests = []
    for f in files:
        section = None
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.startswith("*"):
                section = line.strip("*").split("*")[0].strip().lower()
            elif section in ("test cases", "test case") and line[:1] not in ("", " ", "\t", "#", "."):
                tests.append((f.relative_to(tp).as_posix(), re.split(r"\s{2,}|\t", line)[0].strip()))
    return tests


def select(tp, roots, skips):
    """The data paths robot gets (the fewest folders and files that leave out listed paths),
    the test names to drop, and the listed tests: [(path, name, kind)] with kind "n/a"/"defect"."""
    paths, listed = [], set()
    names = {e: kind for kind, entries in skips.items() for e in entries if not (tp / e).exists()}

    def cover(rel, excluded):
        if rel in excluded:
            return
        if not any(under(e, rel) for e in excluded):
            paths.append(rel)
            return
        for child in sorted((tp / rel).iterdir()):
            if child.is_dir() or child.suffix == ".robot":
                cover(child.relative_to(tp).as_posix(), excluded)

    for root in roots:
        # A listed folder that is (or contains) an --include is run: it was asked for by name.
        excluded = {e: kind for kind, entries in skips.items() for e in entries
                    if (tp / e).exists() and not under(root, e)}
        cover(root, excluded)
        for path, name in robot_tests(tp, root):
            kind = next((k for e, k in excluded.items() if under(path, e)), names.get(name))
            if kind:
                listed.add((path, name, kind))
    return paths, sorted({name for _, name, _ in listed if name in names}), sorted(listed)


class DropTests(SuiteVisitor):
    """Robot pre-run modifier (robot imports this file): drops the tests named in a file."""

    def __init__(self, names_file):
        self.names = set(Path(names_file).read_text().splitlines())

    def start_suite(self, suite):
        suite.tests = [t for t in suite.tests if t.name not in self.names]


# --- the suite copy and the context server ------------------------------------------------

def prepare_suite(src, dst, ports):
    """Copy the suite and point it at loopback; returns a description of the rewrites."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".git", "__pycache__"))
    for p in [dst, *dst.rglob("*")]:  # the source may be read-only; copytree keeps modes
        p.chmod(p.stat().st_mode | stat.S_IWUSR)
    local = f"http://127.0.0.1:{ports.contexts}/"
    found = defaultdict(lambda: [0, 0])  # (remote prefix, top folder) -> [occurrences, files]
    for top in REWRITTEN_DIRS:
        for f in (dst / top).rglob("*"):
            try:
                text = f.read_text(encoding="utf-8") if f.is_file() else ""
            except UnicodeDecodeError:
                continue
            for prefix in set(REMOTE_CONTEXTS.findall(text)):
                found[prefix, top][0] += text.count(prefix)
                found[prefix, top][1] += 1
            if REMOTE_CONTEXTS.search(text):
                f.write_text(REMOTE_CONTEXTS.sub(local, text), encoding="utf-8")
    rewrites = [f"{n} x {prefix} -> {local} in {top}/ ({files} files)"
                for (prefix, top), (n, files) in sorted(found.items())]

    api = f"http://127.0.0.1:{ports.citykg}/ngsi-ld/v1"
    variables = {
        "url": api,
        "temporal_api_url": api,
        "ngsild_test_suite_context": f"{local}ngsi-ld-test-suite-compound.jsonld",
        "notification_server_host": "127.0.0.1",
        "notification_server_port": ports.notification,
        "mqtt_broker_host": "127.0.0.1",
        "context_source_host": "127.0.0.1",
        "context_source_port": ports.context_source,
        "context_server_host": "127.0.0.1",
        "context_server_port": ports.context_server,
    }
    path = dst / "resources/variables.py"
    text = path.read_text()
    for name, value in variables.items():
        text, n = re.subn(rf"^{name}\s*=.*$", f"{name} = {value!r}", text, flags=re.M)
        if n != 1:
            sys.exit(f"run.py: resources/variables.py has {n} assignments of {name}, expected 1")
        rewrites.append(f"variables.py: {name} = {value!r}")
    path.write_text(text)
    return rewrites


def serve_contexts(folder, port):
    """Serve folder on 127.0.0.1:port in a thread, quietly, .jsonld as application/ld+json."""
    class Handler(SimpleHTTPRequestHandler):
        extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".jsonld": "application/ld+json"}

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), partial(Handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def free_ports(n):
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return Ports(*ports)


# --- citykg -------------------------------------------------------------------------------

def start_citykg(binary, ports, log_path):
    cmd = [str(Path(binary).resolve()), "serve", "--memory", "--bind", f"127.0.0.1:{ports.citykg}",
           # what citykg may fetch: the context files, the suite's mock @context server
           # (jsonldContext, VerifyLdContextNotAvailable) and, should notifications be gated, its receiver
           "--allow-hosts", ",".join(f"127.0.0.1:{p}" for p in (ports.contexts, ports.context_server, ports.notification)),
           "--ngsi-ld-open-writes"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITYKG_")}  # no stray settings
    log = open(log_path, "wb")
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=env)
    log.close()
    no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            if no_proxy.open(f"http://127.0.0.1:{ports.citykg}/health", timeout=2).status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    why = f"exited with status {proc.returncode}" if proc.poll() is not None else "gave no 200 on GET /health in 60 s"
    stop(proc)
    tail = log_path.read_text(errors="replace").splitlines()[-20:]
    sys.exit(f"run.py: citykg {why}; end of {log_path}:\n" + "\n".join(tail))


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- robot --------------------------------------------------------------------------------

def run_robot(args, copy, out, paths, drop, dry_run, only=None, output="output.xml"):
    cmd = [args.python, "-m", "robot", "--outputdir", str(out), "--output", output,
           "--log", "NONE" if dry_run else "log.html", "--report", "NONE", "--name", "NGSI-LD"]
    if dry_run:
        cmd += ["--dryrun", "--console", "dotted"]
    for name in only or []:  # a rerun of these tests alone
        cmd += ["--test", name]
    if paths != [""]:  # run over all of TP/NGSI-LD (stable long names), parse only these
        for p in paths:
            cmd += ["--parseinclude", str(copy / TP / p)]
    if drop:
        names = out / "dropped-tests.txt"
        names.write_text("\n".join(drop) + "\n")
        cmd += ["--pythonpath", str(HERE), "--prerunmodifier", f"{Path(__file__).stem}.DropTests:{names}"]
    cmd.append(TP)
    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    # The suite prints every request and response (megabytes): kept in a file beside the log.
    with open(out / f"{Path(output).stem}-console.txt", "w") as console:
        return subprocess.run(cmd, cwd=copy, env=env, stdout=console).returncode  # ${EXECDIR}


def read_results(output_xml, tp):
    """[(long name, status, first message line, path under tp)] from robot's output.xml."""
    results = []

    def walk(suite, parents):
        names = parents + [suite.get("name")]
        for test in suite.findall("test"):
            status = test.find("status")
            message = (status.text or "").strip().split("\n")[0].replace("\t", " ")
            path = Path(suite.get("source")).relative_to(tp).as_posix()
            results.append((".".join(names + [test.get("name")]), status.get("status"), message, path))
        for child in suite.findall("suite"):
            walk(child, names)

    walk(ET.parse(output_xml).getroot().find("suite"), [])
    return results


def group(path):
    """Summary group of a test file: ContextInformation/<api>/<resource>, else the top folder."""
    parts = path.split("/")[:-1]
    return "/".join(parts[:3] if parts[0] == "ContextInformation" else parts[:1])


def summarize(results, listed, dry_run):
    rows = defaultdict(lambda: defaultdict(int))
    for _, status, _, path in results:
        rows[group(path)][status] += 1
    for path, _, kind in listed:
        rows[group(path)][kind] += 1
    ok = "parsed" if dry_run else "passed"
    w = max(map(len, rows), default=5) + 2
    print(f"\n{'group':<{w}}{ok:>7}{'failed':>7}{'skip':>6}{'total':>7}{'n/a':>6}{'defect':>7}")
    for g in sorted(rows):
        r = rows[g]
        run = r["PASS"] + r["FAIL"] + r["SKIP"]
        print(f"{g:<{w}}{r['PASS']:>7}{r['FAIL']:>7}{r['SKIP']:>6}{run:>7}{r['n/a']:>6}{r['defect']:>7}")
    total = {s: sum(r[s] for r in rows.values()) for s in ("PASS", "FAIL", "SKIP", "n/a", "defect")}
    run = total["PASS"] + total["FAIL"] + total["SKIP"]
    print(f"\ntotal {run}, {ok} {total['PASS']}, failed {total['FAIL']}, skipped {total['SKIP']}; "
          f"not run: {total['n/a']} not applicable, {total['defect']} suite defects")
    if run and not dry_run:
        print(f"pass rate of the applicable tests: {100 * total['PASS'] / run:.1f} %")


def read_passing():
    if not PASSING.exists():
        return set()
    return {l.strip() for l in PASSING.read_text().splitlines() if l.strip() and not l.startswith("#")}


MAX_RERUN = 40


def regressions(out, copy):
    """Tests of passing.txt that failed in `out/output.xml`."""
    if not (out / "output.xml").exists():
        return []
    listed = read_passing()
    return sorted(n for n, s, _, _ in read_results(out / "output.xml", copy / TP) if n in listed and s != "PASS")


def check(results, full_run):
    status = {name: s for name, s, _, _ in results}
    # A listed test that did not run counts only when everything applicable ran (no --include).
    bad = sorted(n for n in read_passing() if status.get(n, "not run") != "PASS" and (n in status or full_run))
    for n in bad:
        print(f"REGRESSION: {n}: {status.get(n, 'not run')}")
    print(f"--check: {len(bad)} tests of passing.txt did not pass" if bad else "--check: passing.txt holds")
    return not bad


def write_passing(results):
    ran = {name for name, _, _, _ in results}
    passed = {name for name, s, _, _ in results if s == "PASS"}
    keep = {n for n in read_passing() if n not in ran}  # tests this run did not select
    header = ("# ETSI NGSI-LD suite tests that pass against citykg: `run.py --check` fails when one does not.\n"
              "# Written by `run.py --write-passing` (sorted robot long names).\n")
    PASSING.write_text(header + "".join(f"{n}\n" for n in sorted(passed | keep)))
    print(f"wrote {PASSING.relative_to(REPO)}: {len(passed | keep)} tests")


def main():
    args = parse_args()
    # robot runs from the suite's copy: paths given relative to here must not break there.
    if os.sep in args.python:
        args.python = os.path.abspath(args.python)
    if args.bin:
        args.bin = os.path.abspath(args.bin)
    suite = args.suite.resolve()
    check_python(args.python, suite)
    skips = {kind: load_entries(path) for kind, path in LISTS.items()}
    paths, drop, listed = select(suite / TP, args.include, skips)
    if not paths:
        sys.exit("run.py: every selected test is listed as not applicable or a suite defect")
    known = {name for _, name, _ in listed}
    for kind, entries in skips.items():  # a typo would silently run the test
        for e in entries:
            if args.include == [""] and not (suite / TP / e).exists() and e not in known:
                print(f"warning: {LISTS[kind].name}: {e!r} is neither a path under {TP} nor a test name")
    ports = free_ports(len(Ports._fields))
    with tempfile.TemporaryDirectory(prefix="citykg-ngsi-ld-") as tmp:
        copy = Path(tmp) / "suite"
        rewrites = prepare_suite(suite, copy, ports)
        print("rewrites in the suite copy:", *rewrites, sep="\n  ")
        print(f"robot data ({TP}/...):", *paths, sep="\n  ")
        if drop:
            print("dropped tests:", *drop, sep="\n  ")
        contexts = serve_contexts(copy / "resources/jsonld-contexts", ports.contexts)
        out = Path(tmp) / "dryrun" if args.dry_run else args.out.resolve()
        out.mkdir(parents=True, exist_ok=True)
        (out / "output.xml").unlink(missing_ok=True)  # no stale results if robot fails early
        (out / "rerun.xml").unlink(missing_ok=True)
        citykg = None
        try:
            if not args.dry_run:
                citykg = start_citykg(args.bin, ports, out / "citykg.log")
            rc = run_robot(args, copy, out, paths, drop, args.dry_run)
            rerun = regressions(out, copy) if args.check and not args.dry_run else []
            if 0 < len(rerun) <= MAX_RERUN:
                # Tests that wait for notifications can lose a race on a busy machine: a test of
                # passing.txt that failed runs once more, alone, and its second result counts.
                print(f"rerunning {len(rerun)} tests of passing.txt that failed:", *rerun, sep="\n  ")
                run_robot(args, copy, out, paths, drop, False, rerun, "rerun.xml")
        finally:
            if citykg:
                stop(citykg)
            contexts.shutdown()
        if rc >= 252 or not (out / "output.xml").exists():  # 252: bad data or options, 253: interrupted
            print(f"run.py: robot failed (exit status {rc})", file=sys.stderr)
            return 2
        results = read_results(out / "output.xml", copy / TP)
        if (out / "rerun.xml").exists():
            again = {name: r for name, *r in read_results(out / "rerun.xml", copy / TP)}
            results = [(name, *again[name]) if name in again else (name, *r) for name, *r in results]

    summarize(results, listed, args.dry_run)
    if args.dry_run:
        return 1 if rc else 0  # robot --dryrun fails on broken test data
    with open(out / "results.tsv", "w") as f:
        f.writelines(f"{name}\t{status}\t{message}\n" for name, status, message, _ in results)
    if args.write_passing:
        write_passing(results)
    if args.check and not check(results, args.include == [""]):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
