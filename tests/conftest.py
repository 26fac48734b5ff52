"""Shared fixtures: the Flask app and its clients, and a live server on a free loopback port.

* ``app`` / ``client`` / ``sio`` — an app on a temporary ``DATA_DIR`` with Flask's test client and
  Flask-SocketIO's test client (``sio.events(name)`` lists what it received; ``sio.ack_snapshots()``
  acknowledges the snapshots in flight, as a browser's socket.io does when its handler returns).
* ``live_server`` — ``backprop-playground serve`` in a subprocess on a free 127.0.0.1 port with a
  temporary ``--data`` dir, shared by the whole test session (the browser tests use it too);
  ``restart()`` stops and starts it on the same port and data dir.
* ``connect`` / ``open_client`` — real python-socketio clients to the live server (``tests.support.clients.Recorder``).
* ``browser`` — one headless Chromium (the system's) for the whole session: Playwright's sync API allows one
  at a time, so tests/browser and tests/classroom share it.
"""
from __future__ import annotations

import os

import pytest

from tests.support.browser import ARGS, CHROMIUM, launch  # noqa: F401  (ARGS re-exported for the suites)
from tests.support.clients import Recorder
from tests.support.fixtures import each_closed
from tests.support.liveserver import ROOT, LiveServer, free_port  # noqa: F401  (re-exported for the suites)


# -- in-process ---------------------------------------------------------------------------------------
@pytest.fixture
def app(tmp_path):
    from app import create_app

    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data")})
    yield app
    app.extensions["playground_hub"].close_all()


@pytest.fixture
def client(app):
    return app.test_client()


class SocketTestClient:
    """Flask-SocketIO's test client plus helpers to read events and ack snapshots."""

    def __init__(self, app):
        from app.extensions import socketio

        self.socketio = socketio
        self.raw = socketio.test_client(app)
        self.server = socketio.server
        # What the server says on connect (``session``: the resume token), kept apart from what events cause.
        self.hello = [(m["name"], m["args"][0]) for m in self.raw.get_received()]

    @property
    def sid(self):
        return self.server.manager.sid_from_eio_sid(self.raw.eio_sid, "/")

    def call(self, event, *args):
        return self.raw.emit(event, *args, callback=True)

    def received(self):
        """Everything received since the last call, as (name, payload) pairs."""
        return [(m["name"], m["args"][0] if m["args"] else None) for m in self.raw.get_received()]

    def ack_snapshots(self):
        """Acknowledge every snapshot in flight (the server's callbacks for this sid)."""
        callbacks = self.server.manager.callbacks.get(self.sid, {})
        for ack_id in [k for k in callbacks if k != 0]:
            self.server.manager.trigger_callback(self.sid, ack_id, [])


@pytest.fixture
def sio(app):
    c = SocketTestClient(app)
    yield c
    if c.raw.is_connected():
        c.raw.disconnect()


# -- live server --------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    base = tmp_path_factory.mktemp("live")
    server = LiveServer(base / "data", base / "server.log").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def open_client(live_server):
    """``open_client(on_snapshot=None, auth=None)`` → a ``Recorder`` connected to the live server; the caller
    closes it."""
    return lambda on_snapshot=None, auth=None: Recorder(live_server.url, on_snapshot, auth)


@pytest.fixture
def connect(open_client):
    """``connect(on_snapshot=None)`` → a connected ``Recorder``; all are disconnected after the test."""
    with each_closed(open_client) as make:
        yield make


# -- the browser --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing (scripts/test installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()
