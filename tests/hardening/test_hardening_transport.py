"""app/transport.py in process: the websocket class it installs, and which frames it looks at first."""
from __future__ import annotations

import re
import socket

import pytest

from app import compat, create_app, transport
from app.extensions import socketio


class FakeDriverWebSocket:
    """Stands in for python-engineio's SimpleWebSocketWSGI: records what it was built and called with."""

    def __init__(self, handler, server, **kwargs):
        self.kwargs = kwargs

    def __call__(self, environ, start_response):
        return "served"


class FakeEngine:
    def __init__(self):
        self._async = {"websocket": FakeDriverWebSocket, "thread": object}


@pytest.fixture
def tcp_socket():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        client = socket.create_connection(listener.getsockname())
        server_side, _ = listener.accept()
        yield server_side
        server_side.close()
        client.close()


@pytest.mark.parametrize("server_key", ["werkzeug.socket", "gunicorn.socket"])
def test_websockets_get_the_message_limit_and_no_nagle(tcp_socket, server_key):
    eio = FakeEngine()
    shared = eio._async
    transport._bound_messages(eio, 65536)
    assert shared["websocket"] is FakeDriverWebSocket  # the driver's own table is left alone
    ws = compat.driver_websocket(eio)("handler", "server")
    assert ws.kwargs == {"max_message_size": 65536}
    assert tcp_socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
    assert ws({server_key: tcp_socket}, None) == "served"
    assert tcp_socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1


def test_a_long_polling_post_over_the_limit_never_reaches_engine_io():
    seen = []

    def engine_io(environ, start_response):
        seen.append(environ["PATH_INFO"])
        start_response("200 OK", [])
        return [b"ok"]

    app = transport.refuse_long_posts(engine_io, 100)
    answers = []

    def call(method, path, length):
        body = app({"REQUEST_METHOD": method, "PATH_INFO": path, "CONTENT_LENGTH": length},
                   lambda status, headers: answers.append(status))
        return answers[-1], b"".join(body)

    assert call("POST", "/socket.io/", "101") == ("413 Request Entity Too Large", b"message larger than 100 bytes")
    assert call("POST", "/socket.io/", "nonsense")[0].startswith("413")
    assert call("POST", "/socket.io/", "100") == ("200 OK", b"ok")
    assert call("GET", "/socket.io/", "5000") == ("200 OK", b"ok")
    assert call("POST", "/api/models", "5000") == ("200 OK", b"ok")  # HTTP routes have their own 1 MB limit
    assert seen == ["/socket.io/"] * 2 + ["/api/models"]


def test_the_factory_installs_the_guard(tmp_path):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data"), "MAX_HTTP_BUFFER_SIZE": 1000})
    assert compat.driver_websocket(socketio.server.eio).__name__ == "BoundedWebSocket"
    assert compat.message_handler(socketio.server).__qualname__.startswith("_guard_packets")
    app.extensions["playground_hub"].close_all()


@pytest.mark.parametrize("frame,suspect", [
    ('2["predict",{"input":[0,1]}]', False),  # an ordinary event goes straight through
    ("20" + '["pause",{}]', False),
    ('2["*"]', True),
    ('2["\\u002a"]', True),
    ('2["predict",{"input":"*"}]', True),  # may be: checked (and then passed)
    ('5-["x",{"_placeholder":true,"num":0}]', True),
    ("6-0[]", True),
    (b"\x00\x01", True),
    ('3["a"]', False),
])
def test_which_frames_are_looked_at_before_dispatch(frame, suspect):
    assert transport._suspect(frame) is suspect


@pytest.mark.parametrize("frame,field", [
    ('2["*"]', "event"),
    ('21["\\u002a",{}]', "event"),
    ('2{"a":1}', "packet"),
    ('2[]', "packet"),
    ('2["x",', "packet"),
    ("9", "packet"),
    ('5-["x"]', "packet"),
    (b"\x00", "packet"),
])
def test_what_is_refused_and_why(tmp_path, frame, field):
    create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data")})
    refusal = transport.problem(socketio.server, frame)
    assert refusal is not None and refusal.error.field == field
    assert re.match(rf"^([^:]+ \()?{re.escape(field)}\)?: ", refusal.error.message)


@pytest.mark.parametrize("frame", ['2["predict",{"input":"*"}]', '2["configure",{}]', "3[1]", "0", "1"])
def test_good_packets_are_not_refused(tmp_path, frame):
    create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data")})
    assert transport.problem(socketio.server, frame) is None
