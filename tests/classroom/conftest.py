"""Classroom fixtures: a classroom app with test clients per role, live classroom servers, and a real Redis.

* ``classroom`` — the ``Classroom`` (teacher token ``TOKEN``); ``class_app`` — an app in classroom mode on a
  temporary ``DATA_DIR``; ``join(role, **auth)`` — Flask-SocketIO test clients (``Member``) as teacher or
  student, each able to ack its snapshots (as a browser does once it has drawn them).
* ``ClassServer`` — ``backprop-playground --classroom`` in a subprocess (optionally ``--message-queue``);
  ``class_server`` is one shared by a module; ``clients(url, auth)`` makes real python-socketio clients
  (``Client``) that record every event.
* ``redis_url`` — Debian's ``redis-server`` started by the test session on a free loopback port (skips if missing).
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
from class_cases import TOKEN, ClassServer, make_class_app, wait_until

from tests.support.browser import watched_page
from tests.support.clients import CLASSROOM, Recorder
from tests.support.fixtures import each_closed
from tests.support.liveserver import free_port


# -- in-process ---------------------------------------------------------------------------------------
@pytest.fixture
def classroom():
    from app.classroom.identity import Classroom

    return Classroom.make(TOKEN, teacher_base="http://127.0.0.1:5000/", student_base="http://10.0.0.5:5000/")


@pytest.fixture
def class_app(tmp_path, classroom):
    app = make_class_app(tmp_path / "data", classroom)
    yield app
    app.extensions["playground_hub"].close_all()


class Member:
    """A Flask-SocketIO test client in the class: ``events(name)``, ``call``, and ``ack()`` for snapshots."""

    def __init__(self, app, auth):
        from app.extensions import socketio

        self.server = socketio.server
        self.raw = socketio.test_client(app, auth=auth)
        self.seen = []

    @property
    def connected(self):
        return self.raw.is_connected()

    @property
    def sid(self):
        return self.server.manager.sid_from_eio_sid(self.raw.eio_sid, "/")

    def call(self, event, data=None):
        return self.raw.emit(event, {} if data is None else data, callback=True)

    def events(self, name=None):
        """Everything received so far (kept across calls), as payloads of ``name`` or (name, payload) pairs."""
        self.seen += [(m["name"], m["args"][0] if m["args"] else None) for m in self.raw.get_received()]
        return [p for n, p in self.seen if n == name] if name else list(self.seen)

    def ack(self):
        """Acknowledge every snapshot in flight (what a page does once it has drawn them)."""
        callbacks = self.server.manager.callbacks.get(self.sid, {})
        for ack_id in [k for k in callbacks if k != 0]:
            self.server.manager.trigger_callback(self.sid, ack_id, [])

    def wait_for(self, name, predicate=lambda p: True, timeout=10.0, ack=False):
        def found():
            if ack:
                self.ack()
            return next((p for p in self.events(name) if predicate(p)), None)
        hit = wait_until(found, timeout)
        assert hit is not None, f"no matching {name!r} within {timeout} s; got {[n for n, _ in self.seen][-20:]}"
        return hit


@pytest.fixture
def join(class_app):
    """``join("teacher")`` / ``join("student", name="Ana")`` / ``join(auth=anything)`` → a ``Member``."""
    made = []

    def make(role=None, auth=None, **extra):
        if role == "teacher":
            auth = {"token": TOKEN}
        elif role == "student":
            auth = {"code": class_app.config["CLASSROOM"].code, **extra}
        m = Member(class_app, auth)
        made.append(m)
        return m

    yield make
    for m in made:
        if m.connected:
            m.raw.disconnect()


@pytest.fixture
def hub(class_app):
    return class_app.extensions["playground_hub"]


# -- live servers -------------------------------------------------------------------------------------
class Client(Recorder):
    """``tests.support.clients.Recorder`` with the classroom's events, ``auth`` first and a longer wait."""

    NAMES = CLASSROOM
    wait_timeout = 15.0

    def __init__(self, url, auth, on_snapshot=None):
        super().__init__(url, on_snapshot, auth)


@pytest.fixture
def clients():
    """``clients(url, auth)`` → a connected ``Client``; all are closed after the test."""
    with each_closed(Client) as make:
        yield make


@pytest.fixture(scope="module")
def class_server(tmp_path_factory):
    base = tmp_path_factory.mktemp("class")
    server = ClassServer(base / "data", base / "server.log").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    exe = shutil.which("redis-server")
    if exe is None:
        pytest.skip("redis-server is missing (scripts/test installs Debian's redis-server)")
    pytest.importorskip("redis", reason="the redis package is missing (pip install -e '.[test]')")
    port = free_port()
    base = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(base), "--protected-mode", "yes"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            time.sleep(0.05)
    else:  # pragma: no cover
        proc.kill()
        raise RuntimeError("redis-server did not answer")
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def open_page(browser, class_server):  # ``browser``: tests/conftest.py's, shared with tests/browser
    """``open_page(path)`` → a page in its own context (its own sessionStorage), 1280×720, errors collected."""
    contexts = []

    def make(path):
        context = browser.new_context(viewport={"width": 1280, "height": 720}, base_url=class_server.url)
        contexts.append(context)
        page = watched_page(context, timeout=20_000)
        page.goto(path)
        return page

    yield make
    for c in contexts:
        c.close()
