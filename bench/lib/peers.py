"""The tools citykg is compared with: found where they are, installed when missing (Morph-KGC from PyPI
in a virtual environment, RocketRML from npm, oxigraph-cli with cargo, Virtuoso and wrk from Debian),
and skipped with a reason when neither works. Versions are the ones ../shared/bench/PEERS.md used."""

import json
import os
import shutil
import subprocess

from .common import log

MORPH_VERSION = "2.10.0"
ROCKETRML_VERSION = "2.1.2"
OXIGRAPH_VERSION = "0.5.13"


class Peers:
    """Each attribute is the tool's command (or folder), or None; skipped[name] says why."""

    def __init__(self, folder, enabled, install):
        self.folder = folder
        self.enabled = enabled
        self.install = install
        self.skipped = {}
        self.versions = {}
        self.morph = self.rocketrml = self.oxigraph = self.virtuoso = self.isql = None
        self.wrk = None
        if not enabled:
            for name in ("Morph-KGC", "RocketRML", "oxigraph", "Virtuoso"):
                self.skipped[name] = "peers disabled (CITYKG_BENCH_PEERS=0)"
        else:
            self._morph()
            self._rocketrml()
            self._oxigraph()
            self._virtuoso()
        self._wrk()

    def reason(self, name):
        return self.skipped.get(name, "")

    def _skip(self, name, why):
        self.skipped[name] = why
        log("skipping %s: %s" % (name, why))

    def _morph(self):
        python = os.environ.get("CITYKG_BENCH_MORPH") or os.path.join(self.folder, "morph/bin/python")
        if not _morph_version(python) and self.install:
            venv = os.path.dirname(os.path.dirname(python))
            log("installing Morph-KGC %s into %s (pip)" % (MORPH_VERSION, venv))
            ok = _quiet([_python3(), "-m", "venv", venv]) and _quiet(
                [os.path.join(venv, "bin/python"), "-m", "pip", "install", "--quiet", "morph-kgc==" + MORPH_VERSION])
            python = os.path.join(venv, "bin/python")
            if not ok:
                return self._skip("Morph-KGC", "pip install morph-kgc==%s into %s failed" % (MORPH_VERSION, venv))
        version = _morph_version(python)
        if not version:
            return self._skip("Morph-KGC", "no morph_kgc in %s (set CITYKG_BENCH_MORPH to a Python that has it)" % python)
        self.morph, self.versions["Morph-KGC"] = python, version

    def _rocketrml(self):
        folder = os.environ.get("CITYKG_BENCH_ROCKETRML") or os.path.join(self.folder, "rocketrml")
        node = shutil.which("node")
        if not node:
            return self._skip("RocketRML", "node is not installed (Debian: nodejs)")
        package = os.path.join(folder, "node_modules/rocketrml/package.json")
        if not os.path.exists(package) and self.install and shutil.which("npm"):
            log("installing RocketRML %s into %s (npm)" % (ROCKETRML_VERSION, folder))
            os.makedirs(folder, exist_ok=True)
            _quiet(["npm", "install", "--silent", "--prefix", folder, "rocketrml@" + ROCKETRML_VERSION])
        if not os.path.exists(package):
            return self._skip("RocketRML", "no rocketrml under %s (npm install rocketrml@%s there)" % (folder, ROCKETRML_VERSION))
        with open(package) as f:
            self.versions["RocketRML"] = json.load(f)["version"]
        self.versions["node"] = _output([node, "--version"]).strip()
        self.rocketrml = folder

    def _oxigraph(self):
        wheel = os.path.join(self.folder, "oxigraph-venv/bin/oxigraph")
        candidates = [os.environ.get("CITYKG_BENCH_OXIGRAPH"), os.path.join(self.folder, "bin/oxigraph"), wheel,
                      shutil.which("oxigraph")]
        found = [c for c in candidates if c and os.access(c, os.X_OK)]
        if not found and self.install:
            # PyPI's `oxigraph` package is the same server binary, prebuilt: seconds instead of the
            # 20 minutes of a RocksDB build.
            venv = os.path.dirname(os.path.dirname(wheel))
            log("installing oxigraph %s into %s (pip)" % (OXIGRAPH_VERSION, venv))
            if _quiet([_python3(), "-m", "venv", venv]) and _quiet(
                    [os.path.join(venv, "bin/python"), "-m", "pip", "install", "--quiet", "oxigraph==" + OXIGRAPH_VERSION]):
                found = [wheel] if os.access(wheel, os.X_OK) else []
        if not found and self.install and shutil.which("cargo"):
            log("installing oxigraph-cli %s into %s (cargo install, several minutes)" % (OXIGRAPH_VERSION, self.folder))
            _quiet(["cargo", "install", "--locked", "--quiet", "oxigraph-cli", "--version", OXIGRAPH_VERSION,
                    "--no-default-features", "--features", "geosparql,rdf-12", "--root", self.folder])
            found = [c for c in candidates[1:2] if os.access(c, os.X_OK)]
        if not found:
            return self._skip("oxigraph", "no oxigraph-cli (cargo install oxigraph-cli --version %s)" % OXIGRAPH_VERSION)
        self.oxigraph = found[0]
        self.versions["oxigraph-cli"] = _output([self.oxigraph, "--version"]).split()[-1]

    def _virtuoso(self):
        if not (shutil.which("virtuoso-t") and shutil.which("isql-vt")):
            _apt(["virtuoso-opensource"], self.install)
        if not (shutil.which("virtuoso-t") and shutil.which("isql-vt")):
            return self._skip("Virtuoso", "virtuoso-t / isql-vt missing and apt-get could not install "
                              "virtuoso-opensource (needs root or passwordless sudo)")
        self.virtuoso, self.isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
        text = _output([self.virtuoso, "-?"], stderr=True)
        version = [w for line in text.splitlines() if "Version" in line for w in line.split() if w[:1].isdigit()]
        self.versions["Virtuoso"] = version[0] if version else "?"

    def _wrk(self):
        if not shutil.which("wrk") and self.enabled:
            _apt(["wrk"], self.install)
        self.wrk = shutil.which("wrk")
        if self.wrk:
            self.versions["wrk"] = _output([self.wrk, "-v"], stderr=True).split()[1]
        else:
            log("wrk not found: requests/s come from the bounded Python load generator instead")


def _python3():
    return shutil.which("python3") or "python3"


def _morph_version(python):
    if not os.access(python, os.X_OK):
        return None
    out = _output([python, "-c", "import importlib.metadata as m, morph_kgc; print(m.version('morph-kgc'))"])
    return out.strip() or None


def _apt(packages, install):
    if not install or not shutil.which("apt-get"):
        return
    prefix = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if prefix is None:
        return
    log("installing %s (apt-get)" % " ".join(packages))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if not _quiet(prefix + ["apt-get", "install", "-y", "-qq"] + packages, env=env):
        _quiet(prefix + ["apt-get", "update", "-qq"], env=env)
        _quiet(prefix + ["apt-get", "install", "-y", "-qq"] + packages, env=env)


def _quiet(cmd, env=None):
    try:
        return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env).returncode == 0
    except OSError:
        return False


def _output(cmd, stderr=False):
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout + (done.stderr if stderr else "")
