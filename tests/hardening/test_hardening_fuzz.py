"""Hypothesis against a live server: every event name and unknown ones, with payloads of every JSON type.

One raw client (wire.Wire, so that NaN and nesting 2,000 deep really go out) sends ``EXAMPLES`` runs of
1–4 events from payloads.py, then ``pause``.  Pass: every event is answered — an ack ``{"ok": true}``, or
``{"ok": false, "error"}`` naming a field (never ``server``) together with the same ``error`` event, or, for
a packet the JSON parser cannot read, an ``error`` naming ``packet``; what is wrong by construction (an
unknown name, a payload that is not an object) is always rejected; every frame the server sends parses as
strict JSON; the server log gains no traceback; and afterwards the same session configures, predicts and
steps as if nothing happened.

The server here lets messages of up to 4 MB through (the default is 64 KB, which the transport tests
cover), so that 200 KB strings and 100,000-number lists reach the validators; rate limits are off so that
every event is validated.  A failure prints the events as drawn (no shrinking: each would be a round
trip).  ``derandomize``: the same events every run (bench/soak.py draws new ones).
"""
from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from tests.hardening.payloads import BIG_LIST, BIG_STRING, FIELDS, NAN, deep, events, expected, frame
from tests.hardening.wire import Wire
from tests.support.letters import LETTER_A

pytestmark = pytest.mark.live

EXAMPLES = 900

WIDE = {"MAX_HTTP_BUFFER_SIZE": 4 * 2**20, "RATE_LIMITS": {}}


@pytest.fixture(scope="module")
def wide(server_factory):
    return server_factory(**WIDE)


def send_and_check(w, name, args, tally):
    """Send one event; assert it was answered as the protocol says; count what happened."""
    ack_id = w.next_id()
    errors = w.count("error")
    assert w.send_raw(frame(ack_id, name, args)), "the server closed the connection"
    tally["events"] += 1
    want = expected(name, args)
    if want == "packet":
        assert w.wait_for("error", lambda p: w.count("error") > errors, timeout=30) is not None, "no answer"
        assert w.events["error"][errors]["field"] == "packet"
        tally["rejected: packet"] += 1
        return
    got = w.wait_ack(ack_id, timeout=60)
    assert got is not None, f"no ack for {name!r}"
    ack = got[0]
    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), ack
    if ack["ok"]:
        assert want is None, f"{name!r} {args!r:.200} was accepted"
        assert w.count("error") == errors
        tally["accepted"] += 1
        return
    error = ack["error"]
    field = error["field"]
    assert isinstance(field, str) and field != "server", error
    assert re.match(rf"^([^:]+ \()?{re.escape(field)}\)?: ", error["message"]) and len(error["message"]) <= 400, error
    if want is not None:
        assert field == want, (name, error)
    assert w.count("error") == errors + 1 and w.events["error"][errors] == error  # the error event came first
    root = field.split("[")[0].split(".")[0]
    tally[f"rejected: {root if root in KNOWN_FIELDS else 'an unknown key'}"] += 1


KNOWN_FIELDS = {"payload", "event", "session", "state", "rate", "config", *(f for fs in FIELDS.values() for f in fs)}


def test_hostile_events_are_all_answered_and_the_session_survives(wide, no_new_tracebacks, capsys):
    w = Wire(wide.port)
    tally = Counter()

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=(Phase.explicit, Phase.generate),  # no shrinking against a live server: the example is printed
              suppress_health_check=list(HealthCheck))
    @given(st.lists(events(), min_size=1, max_size=4))
    @example([("configure", ({"preset": "letters", "layers": [10**6]},)), ("configure", ({"layers": [0]},))])
    @example([("predict", ({"input": BIG_LIST},)), ("set", ({"lr": BIG_STRING},)),
              ("configure", ({"layers": deep(500)},)), ("reset", ({"seed": deep(2000, breaks=True)},))])
    @example([("configure", ({"preset": "letters"},)), ("start", ({"speed": "max"},)),
              ("predict", ({"input": [NAN] * 30},)), ("seek", ({"epoch": 10**6},)), ("step", ({"unit": "sample"},))])
    def fuzz(steps):
        for name, args in steps:
            send_and_check(w, name, args, tally)
        w.call("pause")  # a run started by a valid ``start`` stops here
        tally["events"] += 1

    with no_new_tracebacks(wide):
        fuzz()
        assert not w.closed.is_set()
        assert w.bad_frames == []  # every frame strict JSON: no NaN, no Infinity
        assert w.call("configure", {"preset": "letters"})["ok"] is True
        ack = w.call("predict", {"input": LETTER_A})
        assert ack["ok"] is True and ack["label"] in ("A", "B", "C")
        assert w.call("step", {"unit": "sample"})["ok"] is True
        assert w.wait_for("trace") is not None
    w.close()
    with capsys.disabled():
        print(f"\nfuzz: {dict(sorted(tally.items()))}, {w.frames} frames received")
    assert tally["events"] >= 2 * EXAMPLES
