"""A private Virtuoso instance (Debian's virtuoso-opensource 7): its own database folder and ports on
loopback, buffers sized for a few GB as Virtuoso's own ini advises, the workload loaded with the bulk
loader into one graph that queries name with `default-graph-uri`."""

import os
import shutil
import socket
import subprocess
import time

from .common import Measured, log, vm_hwm_kb, wait_http

GRAPH = "urn:citykg:bench"

INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql}
NumberOfBuffers = 340000
MaxDirtyBuffers = 250000
DirsAllowed = ., {d}
CheckpointInterval = 0
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 8
MaxClientConnections = 8
KeepAliveTimeout = 10

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 600
MaxQueryCostEstimationTime = 0
DefaultQuery = ASK {{}}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Virtuoso:
    def __init__(self, ctx, folder):
        self.ctx = ctx
        self.folder = os.path.abspath(folder)
        os.makedirs(self.folder, exist_ok=True)
        self.isql_port, self.http_port = free_port(), free_port()
        with open(os.path.join(self.folder, "virtuoso.ini"), "w") as f:
            f.write(INI.format(d=self.folder, isql=self.isql_port, http=self.http_port))
        self.proc = subprocess.Popen([ctx.peers.virtuoso, "+foreground", "+configfile", "virtuoso.ini"],
                                     cwd=self.folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = "http://127.0.0.1:%d/sparql" % self.http_port
        self.started = wait_http(self.url, 120, self.proc) and self._isql_ready()

    def _isql_ready(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.sql("status();", quiet=True) is not None:
                return True
            time.sleep(0.5)
        return False

    def sql(self, statements, quiet=False):
        done = subprocess.run([self.ctx.peers.isql, "127.0.0.1:%d" % self.isql_port, "dba", "dba",
                               "exec=" + statements], capture_output=True, text=True)
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            if not quiet:
                log("  isql: %s" % (done.stdout + done.stderr).strip()[-500:])
            return None
        return done.stdout

    def load(self, nt):
        """Bulk-loads nt; a Measured of the load alone (server start not counted), its peak memory
        the server's VmHWM after the checkpoint."""
        if not self.started:
            return None
        folder = os.path.join(self.folder, "input")
        os.makedirs(folder, exist_ok=True)
        target = os.path.join(folder, "city.nt")
        try:
            os.link(nt, target)
        except OSError:
            shutil.copyfile(nt, target)
        start = time.monotonic()
        out = self.sql("ld_dir('%s', 'city.nt', '%s'); rdf_loader_run(); checkpoint;" % (folder, GRAPH))
        seconds = time.monotonic() - start
        return Measured(seconds, vm_hwm_kb(self.proc.pid) or 0, 0 if out is not None else 1, out or "isql failed")

    def count(self):
        out = self.sql("SPARQL SELECT COUNT(*) FROM <%s> WHERE { ?s ?p ?o };" % GRAPH)
        numbers = [line.strip() for line in (out or "").splitlines() if line.strip().isdigit()]
        return int(numbers[-1]) if numbers else None

    def peak_kb(self):
        return vm_hwm_kb(self.proc.pid)

    def stop(self):
        if self.proc.poll() is None:
            self.sql("shutdown();", quiet=True)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
