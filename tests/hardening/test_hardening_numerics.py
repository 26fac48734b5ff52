"""Numerical faults: networks that blow up, and what reaches the wire when they do.

Each run trains at ``max`` over a raw websocket (wire.Wire) that parses every frame with a strict JSON
parser, so a NaN or an Infinity anywhere in any frame fails the test.  The page's words for a divergence
("Diverged — <reason>. Lower η and press reset.") are checked in tests/browser/test_page.py.
"""
from __future__ import annotations

import math

import pytest

from tests.support.letters import LETTER_A

pytestmark = pytest.mark.live


EXPLODING = {
    "ReLU, linear output, η = 2": {"preset": "letters", "activation": "relu", "output_activation": "linear",
                                   "lr": 2, "layers": [64, 64]},
    "six ReLU layers of 64, η = 100": {"preset": "letters", "activation": "relu", "lr": 100, "layers": [64] * 6},
    "linear, η = 100": {"preset": "xor-3-4-1", "activation": "linear", "lr": 100},
}


def finite_numbers(value):
    """Every number in ``value`` (nested lists/dicts) is a finite int or float; None counts as a failure."""
    if isinstance(value, dict):
        return all(finite_numbers(v) for v in value.values())
    if isinstance(value, list):
        return all(finite_numbers(v) for v in value)
    if value is None:
        return False
    return not isinstance(value, float) or math.isfinite(value)


def diverge(w, config):
    assert w.call("configure", config)["ok"] is True
    assert w.call("start", {"speed": "max"})["ok"] is True
    status = w.wait_for("status", lambda p: p["state"] == "diverged", timeout=30)
    assert status is not None, "the run did not stop as diverged"
    return status


@pytest.mark.parametrize("config", EXPLODING.values(), ids=EXPLODING.keys())
def test_an_exploding_net_stops_as_diverged_and_nan_never_reaches_the_wire(strict_server, wire, no_new_tracebacks,
                                                                          config):
    w = wire(strict_server)
    with no_new_tracebacks(strict_server):
        status = diverge(w, config)
        epoch, reason = status["epoch"], status["reason"]
        assert isinstance(epoch, int) and reason.startswith(f"epoch {epoch}: ") and len(reason) > 20
        last = w.wait_for("snapshot", lambda p: p["diverged"] is not None)
        assert last["diverged"]["epoch"] <= epoch and last["diverged"]["reason"]
        assert finite_numbers(last["weights"]) and finite_numbers(last["biases"])  # the last finite weights
        # seek back: every epoch up to the divergence replays (the last one is the live state) with finite weights
        for e in range(epoch + 1):
            ack = w.call("seek", {"epoch": e})
            assert ack["ok"] is True and ack["epoch"] <= e
            replay = w.wait_for("snapshot", lambda p, a=ack: p["replay"] == a["replay"] and p["epoch"] == a["epoch"])
            assert finite_numbers(replay["weights"])
        for event, payload in (("start", {}), ("step", {"unit": "epoch"}), ("step", {"unit": "sample"})):
            refused = w.call(event, payload)
            assert refused["ok"] is False and refused["error"]["field"] == "state"
            assert "diverged" in refused["error"]["message"]
        assert w.call("predict", {"input": [0.0] * len(last["activations"][0][0])})["ok"] is True
        assert w.call("reset", {})["ok"] is True
        assert w.wait_for("status", lambda p: p["state"] == "idle" and p["epoch"] == 0) is not None
    assert w.bad_frames == [] and w.frames > 3  # every frame was strict JSON: no NaN, no Infinity


def test_raising_the_learning_rate_while_training_diverges_cleanly(strict_server, wire, no_new_tracebacks):
    w = wire(strict_server)
    with no_new_tracebacks(strict_server):
        w.call("configure", {"preset": "letters", "activation": "linear", "lr": 0.01})
        w.call("start", {"speed": "max"})
        assert w.wait_for("snapshot", lambda p: p["epoch"] >= 50, timeout=30) is not None
        assert w.call("set", {"lr": 100})["ok"] is True
        status = w.wait_for("status", lambda p: p["state"] == "diverged", timeout=30)
    assert status is not None and status["epoch"] >= 50 and status["reason"].startswith(f"epoch {status['epoch']}: ")
    assert w.bad_frames == []


def test_a_diverging_companion_in_the_mistake_lab_stops_alone(strict_server, wire, no_new_tracebacks):
    w = wire(strict_server)
    with no_new_tracebacks(strict_server):
        diverge(w, {"preset": "xor-3-4-1", "activation": "linear", "output_activation": "linear", "lr": 0.5,
                    "variant": "flipped-sign", "compare": True})
        frames = w.events["snapshot"]
        assert any(f["companion"]["diverged"] for f in frames)
        assert all(finite_numbers(f["companion"]["weights"]) for f in frames)
    assert w.bad_frames == []


@pytest.mark.parametrize("value", [1000, 100.0001, 1e308, float("inf"), float("nan"), -1e-9],
                         ids=["1000", "just over 100", "1e308", "Infinity", "NaN", "negative"])
def test_a_learning_rate_out_of_range_is_refused_with_the_range(strict_server, wire, value):
    w = wire(strict_server)
    assert w.call("configure", {"preset": "letters"})["ok"] is True
    for event, payload in (("configure", {"preset": "letters", "lr": value}), ("set", {"lr": value})):
        ack = w.call(event, payload)
        assert ack["ok"] is False and ack["error"]["field"] == "lr"
        assert "0 to 100" in ack["error"]["message"]
    assert w.call("predict", {"input": LETTER_A})["ok"] is True
    assert w.bad_frames == []
