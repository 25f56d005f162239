"""What every scenario shares: timed child processes with their peak memory, medians, waiting for a
server, the rows of the result table, and the log on stderr (stdout carries only the table)."""

import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field


def log(message):
    print(message, file=sys.stderr, flush=True)


@dataclass
class Measured:
    """One finished process: wall seconds, peak resident set (KB, the process and the children it
    waited for, from wait4), exit code and the end of its stderr."""

    seconds: float
    peak_kb: int
    code: int
    stderr: str

    @property
    def ok(self):
        return self.code == 0


def run_measured(cmd, cwd=None, env=None, stdout=None, timeout=None):
    """Runs cmd to its end and measures it the way /usr/bin/time -v does (wall clock, ru_maxrss),
    with no dependency beyond Python. A run past timeout is killed and reported as failed."""
    err_path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "citykg-bench-%d.err" % os.getpid())
    with open(err_path, "w+b") as err, open(stdout or os.devnull, "wb") as out:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        timer = threading.Timer(timeout, proc.kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        if timer:
            timer.cancel()
        code, peak_kb = os.waitstatus_to_exitcode(status), usage.ru_maxrss
        seconds = time.monotonic() - start
        proc.returncode = code  # reaped above; keeps Popen from waiting again
        err.seek(0)
        tail = err.read()[-2000:].decode("utf-8", "replace")
    os.unlink(err_path)
    if code == -9 and timeout:
        tail = "killed after %d s (--peer-timeout)\n%s" % (timeout, tail)
    return Measured(seconds, peak_kb, code, tail)


# The base IRI of every citykg store the bench writes and serves (derived graphs are named under it).
BASE = "http://citykg.bench/"


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def p95(values):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def wait_http(url, seconds=60, proc=None):
    """Waits until url answers (any HTTP status), or the server process died, or seconds passed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            time.sleep(0.1)
    return False


def vm_hwm_kb(pid):
    """Peak resident set of a running process (VmHWM), for servers measured before they stop."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def line_count(path):
    count = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            count += block.count(b"\n")
    return count


@dataclass
class Row:
    """One line of the table. ratio = citykg / peer, always: higher is better for throughput, lower
    for latency and memory (the `better` field says which)."""

    size: int
    task: str
    metric: str
    better: str  # "higher" or "lower"
    citykg: float = None
    peer_name: str = ""
    peer: float = None
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self):
        if self.citykg is None or not self.peer:
            return None
        return self.citykg / self.peer

    def as_json(self):
        return {
            "size": self.size, "task": self.task, "metric": self.metric, "better": self.better,
            "citykg": self.citykg, "peer_name": self.peer_name, "peer": self.peer,
            "ratio": self.ratio, "note": self.note, **self.extra,
        }
