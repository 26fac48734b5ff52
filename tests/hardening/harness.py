"""Tools the hardening tests and bench/soak.py share: a server process of their own (the raw clients are in wire.py).

* ``Server`` — ``backprop-playground serve`` (through ``serve_with.py``, so with app config overrides) in a
  subprocess on a free loopback port, its output in a log file; ``tracebacks()``, ``rss()``, ``kill9()``.
* ``wait_until`` — poll a check until it holds or the time runs out (from ``tests/liveserver.py``, like the launcher).

Nothing here asserts; the tests do.
"""
from __future__ import annotations

import json
import os
import re
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tests.support.liveserver import ROOT, LiveServer, wait_until  # noqa: F401  (ROOT, wait_until re-exported)

SERVE_WITH = "tests.hardening.serve_with"  # run as a module from the repository root
TRACEBACK = re.compile(r"^Traceback \(most recent call last\)|^\w+(Error|Exception): ", re.M)


class Server(LiveServer):
    """A server process with ``config`` overrides; ``log()`` is everything it printed."""

    timeout = 30.0

    def __init__(self, data_dir, log_path, config=None, args=(), env=None):
        super().__init__(data_dir, log_path, *args)
        self.config, self.env = dict(config or {}), dict(env or {})

    def command(self):
        return [sys.executable, "-m", SERVE_WITH, "serve", "--port", str(self.port), "--data", str(self.data_dir),
                *self.extra]

    def environment(self):
        return {**os.environ, "PYTHONPATH": str(ROOT), "PLAYGROUND_CONFIG": json.dumps(self.config), **self.env}

    def kill9(self):
        """SIGKILL: no handler runs, no transaction is finished."""
        self.proc.kill()
        self.proc.wait(10)
        self.proc = None
        self._log.close()

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
