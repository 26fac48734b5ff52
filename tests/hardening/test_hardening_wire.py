"""Raw frames at the transport: malformed packets, oversize messages, cross-origin connects.

A raw websocket (wire.Wire) sends what no socket.io library would: broken JSON, JSON nested 30,000 deep,
binary packets, events that are not lists, a second namespace connect.  Each is answered (an ``error`` naming
``packet`` or ``event``) or ignored, never a traceback in the server log, and the session answers ``predict``
exactly as before.  Messages over 64 KB close that connection only, without the server buffering them first.
"""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest

from tests.hardening.harness import wait_until
from tests.hardening.wire import Wire
from tests.support.letters import LETTER_A

pytestmark = pytest.mark.live


DEEP = 30_000  # 60 KB of brackets: under the message limit, far over the JSON parser's recursion limit

# (label, frame, what the server does): "packet"/"event" = an ``error`` naming that field; "refused" = a
# connect error; "ignored" = nothing, and the session works on.
FRAMES = [
    ("broken JSON", '420["predict",{', "packet"),
    ("JSON nested 30,000 deep", '420["predict",' + "[" * DEEP + "]" * DEEP + "]", "packet"),
    ("an integer of 5,000 digits", '420["predict",{"input":1' + "0" * 5000 + "}]", "packet"),
    ("unknown packet type", "49", "packet"),
    ("an event that is an object", '420{"a":1}', "packet"),
    ("an event that is an empty list", "420[]", "packet"),
    ("an event named by an object", '420[{"a":1}]', "packet"),
    ("an event without JSON", "42", "packet"),
    ("an empty Engine.IO message", "4", "packet"),
    ("a binary event header", '451-["predict",{"_placeholder":true,"num":0}]', "packet"),
    ("a binary ack header", '461-3[{"_placeholder":true,"num":0}]', "packet"),
    ("an ack id of 101 digits", "42" + "9" * 101 + '["pause",{}]', "packet"),
    ("an event named by a number", "420[5]", "event"),
    ("an event named null", "420[null]", "event"),
    ("an event named disconnect", '420["disconnect"]', "event"),
    ("an event named disconnect, 4 args", '420["disconnect",1,2,3]', "event"),
    ("an event named connect", '420["connect",{}]', "event"),
    ("an event named *", '420["*"]', "event"),
    ("an event named * with a payload", '420["*",{"a":[1]}]', "event"),
    ("an event named * (escaped)", '420["\\u002a",[]]', "event"),
    ("a second namespace connect", "40", "refused"),
    ("another namespace", "40/admin,", "refused"),
    ("an ack nobody asked for", "4399[]", "ignored"),
    ("an unsolicited pong", "3", "ignored"),
    ("an upgrade packet", "5", "ignored"),
    ("a noop packet", "6", "ignored"),
]


@pytest.mark.parametrize("label,frame,answer", FRAMES, ids=[f[0] for f in FRAMES])
def test_a_malformed_frame_is_answered_and_the_session_works_on(strict_server, letters, no_new_tracebacks,
                                                               label, frame, answer):
    before = letters.call("predict", {"input": LETTER_A})
    errors = letters.count("error")
    refusals = len(letters.events.get("_connect_error", []))
    with no_new_tracebacks(strict_server):
        assert letters.send_raw(frame)
        if answer in ("packet", "event"):
            error = letters.wait_for("error", lambda p: letters.count("error") > errors)
            assert error is not None, f"no error event for {label}"
            error = letters.events["error"][errors]
            assert error["field"] == answer and re.match(rf"^([^:]+ \()?{re.escape(answer)}\)?: ", error["message"])
        after = letters.call("predict", {"input": LETTER_A})
    assert after == before
    assert not letters.closed.is_set() and letters.bad_frames == []
    if answer == "refused":
        assert len(letters.events["_connect_error"]) == refusals + 1
    if answer == "ignored":
        assert letters.count("error") == errors


def test_a_binary_websocket_frame_is_answered(strict_server, letters, no_new_tracebacks):
    errors = letters.count("error")
    with no_new_tracebacks(strict_server):
        letters.send_binary(b"\x04\x00\xff" * 10)
        letters.wait_for("error", lambda p: letters.count("error") > errors)
    assert letters.events["error"][errors]["field"] == "packet"
    assert letters.call("predict", {"input": LETTER_A})["ok"] is True


@pytest.mark.parametrize("size", [65 * 2**10, 200 * 2**10, 20 * 2**20], ids=["65KB", "200KB", "20MB"])
def test_an_oversize_message_closes_only_its_own_connection(strict_server, letters, wire, no_new_tracebacks, size):
    before = letters.call("predict", {"input": LETTER_A})
    sessions = strict_server.health()["sessions"]
    rss = strict_server.rss()
    with no_new_tracebacks(strict_server):
        big = wire(strict_server)
        big.send_raw('420["predict",{"input":"' + "x" * size + '"}]')  # may fail half-way: the server hung up
        assert big.closed.wait(10), "the server kept a connection that sent an oversize message"
        assert letters.call("predict", {"input": LETTER_A}) == before
    assert wait_until(lambda: strict_server.health()["sessions"] == sessions), "its session was not closed"
    # refused as the bytes arrived (simple-websocket's max_message_size), not after buffering all of them
    assert strict_server.rss() - rss < 8 * 2**20


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://127.0.0.1.evil.example"])
def test_a_cross_origin_connect_is_refused(strict_server, origin):
    import websocket

    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        Wire(strict_server.port, origin=origin)
    assert refused.value.status_code == 400
    same = Wire(strict_server.port, origin=strict_server.url)  # the page's own origin connects
    assert same.call("configure", {"preset": "xor-3-4-1"})["ok"] is True
    same.close()


def test_a_cross_origin_polling_handshake_is_refused(strict_server):
    url = f"{strict_server.url}/socket.io/?EIO=4&transport=polling"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(urllib.request.Request(url, headers={"Origin": "http://evil.example"}), timeout=5)
    refused.value.close()
    assert refused.value.code == 400
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Origin": strict_server.url}), timeout=5) as r:
        assert r.status == 200 and r.read().startswith(b"0{")


def test_an_event_named_star_cannot_speak_for_another_tab(strict_server, letters, wire, no_new_tracebacks):
    """python-socketio + Flask-SocketIO would take the payload of an event named "*" for the sender's sid."""
    victim = wire(strict_server)
    assert victim.call("configure", {"preset": "letters"})["ok"] is True
    errors = letters.count("error")
    with no_new_tracebacks(strict_server):
        ack = letters.wait_ack(letters.emit("*", victim.sid, "configure"))
    assert ack[0]["ok"] is False and ack[0]["error"]["field"] == "event"
    assert letters.count("error") == errors + 1
    assert victim.call("predict", {"input": LETTER_A})["ok"] is True
    assert victim.count("error") == 0


def test_an_oversize_long_polling_post_is_refused_without_pinning_a_thread(strict_server, letters, no_new_tracebacks):
    """python-engineio's own refusal waits for the session's queue to be polled: with no poll, forever."""

    base = f"{strict_server.url}/socket.io/?EIO=4&transport=polling"
    with urllib.request.urlopen(base, timeout=5) as r:
        sid = json.loads(r.read()[1:])["sid"]
    with no_new_tracebacks(strict_server):
        statuses = []
        for body in (b"40", b'42["predict",{"input":"' + b"x" * 100_000 + b'"}]'):
            req = urllib.request.Request(f"{base}&sid={sid}", data=body, method="POST",
                                         headers={"Content-Type": "text/plain;charset=UTF-8"})
            try:
                with urllib.request.urlopen(req, timeout=10) as r:  # before: no answer, ever
                    statuses.append(r.status)
            except urllib.error.HTTPError as exc:
                exc.close()
                statuses.append(exc.code)
        assert statuses == [200, 413]
        assert letters.call("predict", {"input": LETTER_A})["ok"] is True
