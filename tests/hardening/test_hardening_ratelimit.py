"""The per-tab rate limits (app/ratelimit.py) and the reserved event names, in process.

The flood over a real socket, with a second session beside it, is in test_hardening_limits.py.
"""
from __future__ import annotations

import pytest

from app import create_app
from app.ratelimit import LIMITS, RateLimited, RateLimits, event_class


class Clock:
    def __init__(self):
        self.now = 100.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)


@pytest.fixture
def clock():
    return Clock()


@pytest.mark.parametrize("event,kind", [
    ("predict", "predict"), ("configure", "heavy"), ("load_model", "heavy"), ("save_model", "heavy"),
    ("reset", "heavy"), ("gradcheck", "heavy"), ("start", "control"), ("pause", "control"), ("step", "control"),
    ("seek", "control"), ("set", "control"), ("no-such-event", "control"),
])
def test_every_event_has_a_class(event, kind):
    assert event_class(event) == kind


def test_a_burst_passes_then_the_rate_holds(clock):
    limits = RateLimits({"predict": (10.0, 5)}, clock=clock, sleep=clock.sleep)
    for _ in range(5):
        limits.check("a", "predict")
    with pytest.raises(RateLimited) as first:
        limits.check("a", "predict")
    assert first.value.field == "rate" and first.value.tell is True
    assert first.value.message == ("rate: more than 10 predict calls per second (bursts of 5) from this tab; "
                                   "this one was dropped, wait a moment")
    assert clock.slept == [pytest.approx(0.05)]  # the flooder's own reader waits (1 token at 10/s is 0.1 s; capped)
    with pytest.raises(RateLimited) as second:
        limits.check("a", "predict")
    assert second.value.tell is False  # the ack says it every time; the ``error`` event once a second
    clock.now += 0.101  # one token back
    limits.check("a", "predict")
    with pytest.raises(RateLimited):
        limits.check("a", "predict")
    clock.now += 1.0
    for _ in range(5):  # refilled to the burst, not beyond
        limits.check("a", "predict")
    with pytest.raises(RateLimited) as later:
        limits.check("a", "predict")
    assert later.value.tell is True  # a second after the last error event
    assert limits.stats() == {"connections": 1, "rejected": 4}


def test_tabs_and_classes_have_their_own_buckets(clock):
    limits = RateLimits({"predict": (1.0, 1), "control": (1.0, 1)}, clock=clock, sleep=clock.sleep)
    limits.check("a", "predict")
    limits.check("b", "predict")  # another tab
    limits.check("a", "pause")  # another class
    with pytest.raises(RateLimited):
        limits.check("a", "predict")
    limits.check("a", "configure")  # no limit for heavy in this table
    limits.forget("a")
    limits.check("a", "predict")  # a reconnect starts full


def test_an_empty_table_turns_limits_off(clock):
    limits = RateLimits({}, clock=clock, sleep=clock.sleep)
    for _ in range(10_000):
        limits.check("a", "predict")
    assert clock.slept == []


def test_the_defaults_are_above_what_the_page_sends():
    # one predict in flight at a time (~1-2 ms each), key-repeat steps, a dragged slider, layer clicks
    assert LIMITS["predict"][0] >= 100 and LIMITS["control"][0] >= 60 and LIMITS["heavy"][0] >= 10
    assert all(burst >= rate for rate, burst in LIMITS.values())


class Limited:
    """Flask-SocketIO's test client on an app with tiny limits (1 a second; bursts of 3 predicts, 2 others)."""

    def __init__(self, tmp_path):
        from app.extensions import socketio

        self.app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data"),
                               "RATE_LIMITS": {"predict": (1.0, 3), "control": (1.0, 2), "heavy": (1.0, 2)}})
        self.raw = socketio.test_client(self.app)

    def call(self, event, *args):
        return self.raw.emit(event, *args, callback=True)

    def received(self):
        return [(m["name"], m["args"][0] if m["args"] else None) for m in self.raw.get_received()]


@pytest.fixture
def limited_sio(tmp_path):
    client = Limited(tmp_path)
    yield client
    client.raw.disconnect()
    client.app.extensions["playground_hub"].close_all()


def test_a_limited_event_is_acked_with_a_rate_error_and_one_error_event(limited_sio):
    s = limited_sio
    assert s.call("configure", {"preset": "letters"})["ok"] is True
    s.received()
    answers = [s.call("predict", {"input": [0] * 30}) for _ in range(6)]
    assert [a["ok"] for a in answers] == [True] * 3 + [False] * 3
    assert {a["error"]["field"] for a in answers[3:]} == {"rate"}
    errors = [p for n, p in s.received() if n == "error"]
    assert errors == [answers[3]["error"]]  # one error event for the three rejections within a second
    assert errors[0] == {"event": "predict", "field": "rate", "message": errors[0]["message"]}


def test_unknown_events_are_limited_too(limited_sio):
    s = limited_sio
    fields = [s.call("nope", {})["error"]["field"] for _ in range(4)]
    assert fields == ["event", "event", "rate", "rate"]


@pytest.mark.parametrize("name", ["connect", "disconnect"])
def test_a_client_event_named_connect_or_disconnect_is_unknown_and_the_session_lives_on(sio, name):
    assert sio.call("configure", {"preset": "letters"})["ok"] is True
    before = sio.call("predict", {"input": [0] * 30})
    sio.received()
    ack = sio.call(name, {"x": 1})
    assert ack["ok"] is False and ack["error"]["field"] == "event" and ack["error"]["event"] == name
    assert [n for n, _ in sio.received()] == ["error"]
    assert sio.call("predict", {"input": [0] * 30}) == before
