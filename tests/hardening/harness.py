"""Tools the hardening tests and bench/soak.py share: a server process of their own (the raw clients are in wire.py).

* ``Server`` — ``backprop-playground serve`` (through ``serve_with.py``, so with app config overrides) in a
  subprocess on a free loopback port, its output in a log file; ``tracebacks()``, ``rss()``, ``kill9()``.
* ``wait_until`` — poll a check until it holds or the time runs out.

Nothing here asserts; the tests do.
"""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVE_WITH = Path(__file__).resolve().with_name("serve_with.py")
TRACEBACK = re.compile(r"^Traceback \(most recent call last\)|^\w+(Error|Exception): ", re.M)


def wait_until(check, timeout=10.0, interval=0.05):
    """Poll ``check()`` until it returns a truthy value (returned) or ``timeout`` passes (None)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(interval)
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server process with ``config`` overrides; ``log()`` is everything it printed."""

    def __init__(self, data_dir, log_path, config=None, args=(), env=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir, self.log_path = Path(data_dir), Path(log_path)
        self.config = dict(config or {})
        self.args, self.env = list(args), dict(env or {})
        self.proc = None

    def start(self, timeout=30.0):
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PLAYGROUND_CONFIG": json.dumps(self.config), **self.env}
        self._log = open(self.log_path, "a")
        self.proc = subprocess.Popen([sys.executable, str(SERVE_WITH), "serve", "--port", str(self.port),
                                      "--data", str(self.data_dir), *self.args],
                                     cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}: {self.log()}")
            try:
                self.health()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"the server did not answer within {timeout} s: {self.log()}")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:  # pragma: no cover
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None
        if getattr(self, "_log", None):
            self._log.close()

    def kill9(self):
        """SIGKILL: no handler runs, no transaction is finished."""
        self.proc.kill()
        self.proc.wait(10)
        self.proc = None
        self._log.close()

    def get(self, path, timeout=10, headers=None):
        req = urllib.request.Request(self.url + path, headers=headers or {})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read())

    def status(self, path, headers=None):
        """The HTTP status of a GET (errors included)."""
        req = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status
        except urllib.error.HTTPError as exc:
            exc.close()
            return exc.code

    def post(self, path, body, timeout=10):
        """(status, JSON answer) of a POST; ``body`` is bytes or a JSON-able value."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method="POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as exc:
            try:
                return exc.code, json.loads(exc.read())
            finally:
                exc.close()

    def health(self):
        return self.get("/api/health", timeout=5)

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def tracebacks(self, since=0):
        """The log from byte ``since`` if it holds a traceback or an exception line, else ''."""
        text = self.log()[since:]
        return text if TRACEBACK.search(text) else ""

    def rss(self):
        """Resident memory of the server process in bytes (Linux /proc)."""
        pid = self.proc.pid if self.proc else self.health()["pid"]
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise RuntimeError("no VmRSS")
