"""A playground server in a subprocess on a free loopback port, and small polling helpers.

One launcher for every suite, benchmark and script that needs a real server: ``tests/conftest.py``'s
``live_server``, the classroom's ``ClassServer`` and the hardening ``Server`` subclass it and change only the
command line, the environment or what "ready" means; ``bench/`` and ``scripts/`` use ``serving()``.
Nothing here talks Socket.IO.
"""
from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, timeout=10.0, interval=0.05):
    """Poll ``check()`` until it returns a truthy value (returned) or ``timeout`` passes (None)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(interval)
    return None


class LiveServer:
    """``backprop-playground serve`` with its store in ``data_dir`` and everything it prints in ``log_path``."""

    timeout = 20.0
    root = ROOT  # the checkout served (bench/bench_page.py serves an older commit's tree beside this one)

    def __init__(self, data_dir, log_path, *extra):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir, self.log_path, self.extra = Path(data_dir), Path(log_path), list(extra)
        self.proc = None

    def command(self):
        return [sys.executable, "-m", "app.cli", "serve", "--port", str(self.port), "--data", str(self.data_dir),
                *self.extra]

    def environment(self):
        return {**os.environ, "PYTHONPATH": str(self.root) + os.pathsep + os.environ.get("PYTHONPATH", "")}

    def ready(self):
        """Raises OSError until the server answers."""
        self.health()

    def start(self, timeout=None):
        timeout = self.timeout if timeout is None else timeout
        self._log = open(self.log_path, "a")
        self.proc = subprocess.Popen(self.command(), cwd=self.root, env=self.environment(), stdout=self._log,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}: {self.log()}")
            try:
                self.ready()
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

    def restart(self):
        self.stop()
        return self.start()

    def get(self, path, timeout=10, headers=None):
        req = urllib.request.Request(self.url + path, headers=headers or {})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read())

    def health(self):
        return self.get("/api/health", timeout=5)

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@contextlib.contextmanager
def serving(*extra, data_dir=None, log_path=None, cls=LiveServer):
    """A started ``cls`` (``LiveServer``) for the ``with`` block, stopped after it; ``extra``: more ``serve`` options.

    Without ``data_dir`` the store is a temporary folder removed afterwards; without ``log_path`` the server's
    output goes to ``server.log`` in that folder (``server.log()`` reads it).
    """
    with tempfile.TemporaryDirectory(prefix="playground-") as tmp:
        server = cls(data_dir or Path(tmp) / "data", log_path or Path(tmp) / "server.log", *extra)
        server.start()
        try:
            yield server
        finally:
            server.stop()
