"""Fixtures for the hardening tests: servers of their own (their logs are read for tracebacks) and raw clients.

* ``server_factory(args=(), env=None, **config)`` — starts a ``Server`` (harness.py) with command-line
  arguments, environment and app config overrides on a fresh data dir; stopped after the test module.  Each
  server here is used by one module only, so the thread counts, RSS and logs a test reads are its own.
* ``strict_server`` — the real defaults (64 KB messages, rate limits on, 10 s ping): the transport tests.
* ``letters`` — a raw ``Wire`` on ``strict_server`` configured with ``letters``, for a whole module.
* ``wire(server)`` — a connected raw ``Wire``; closed after the test.
* ``no_new_tracebacks(server)`` — a context manager that fails if the server's log gained a traceback.

These servers run the real command line (``serve_with.py`` only sets app config defaults first), like the shared
``live_server`` of tests/conftest.py, but each module gets its own so that one module's load, memory and log
never show up in another's figures.
"""
from __future__ import annotations

import contextlib

import pytest

from tests.hardening.harness import Server
from tests.hardening.wire import Wire
from tests.support.fixtures import each_closed


@pytest.fixture(scope="module")
def server_factory(tmp_path_factory):
    def make(args=(), env=None, **config):
        base = tmp_path_factory.mktemp("hard")
        return Server(base / "data", base / "server.log", config, args=args, env=env).start()

    with each_closed(make, Server.stop) as tracked:
        yield tracked


@pytest.fixture(scope="module")
def strict_server(server_factory):
    return server_factory()


@pytest.fixture(scope="module")
def letters(strict_server):
    """One raw client on ``strict_server`` configured with ``letters``, shared by a module's tests (each must
    leave it working)."""
    w = Wire(strict_server.port)
    assert w.call("configure", {"preset": "letters"})["ok"] is True
    yield w
    w.close()


@pytest.fixture
def wire():
    with each_closed(lambda server, **kwargs: Wire(server.port, **kwargs)) as make:
        yield make


@contextlib.contextmanager
def _no_new_tracebacks(server):
    mark = len(server.log())
    yield
    found = server.tracebacks(mark)
    assert not found, f"the server logged a traceback:\n{found[-3000:]}"


@pytest.fixture
def no_new_tracebacks():
    return _no_new_tracebacks
