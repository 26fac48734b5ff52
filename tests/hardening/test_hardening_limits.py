"""Size limits: layers, neurons, epochs, dataset and frame sizes, stored examples and models; a predict flood.

A flood of events from one tab meets its rate limit (app/ratelimit.py) while a second tab's predicts all
succeed; bench/soak.py measures the second tab's latency with and without the flood.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time

import pytest

from app import frames
from app.store import MAX_EXAMPLES, MAX_MODELS, MAX_RUN_ROWS, Store
from engine import datasets, presets
from tests.support.letters import LETTER_A

pytestmark = pytest.mark.live



@pytest.fixture(scope="module")
def short_runs(server_factory):
    """A server whose runs end at epoch 50 (the real limit is 1,000,000)."""
    return server_factory(MAX_EPOCHS=50)


@pytest.mark.parametrize("layers,field,words", [
    ([4] * 7, "layers", "0 to 6"),
    ([65], "layers[0]", "1 to 64"),
    ([8, 0], "layers[1]", "1 to 64"),
    ([10**6], "layers[0]", "1 to 64"),
    ([64] * 6 + [1], "layers", "0 to 6"),
])
def test_layers_and_neurons_have_limits(letters, layers, field, words):
    ack = letters.call("configure", {"preset": "letters", "layers": layers})
    assert ack["ok"] is False and ack["error"]["field"] == field and words in ack["error"]["message"]
    assert letters.call("predict", {"input": LETTER_A})["ok"] is True


def test_the_limits_are_published_and_the_largest_network_works(strict_server, wire):
    limits = strict_server.get("/api/presets")["limits"]
    assert (limits["hidden_layers"], limits["width"]) == (presets.MAX_HIDDEN_LAYERS, presets.MAX_HIDDEN_WIDTH)
    assert (limits["hidden_layers"], limits["width"]) == (6, 64)
    w = wire(strict_server)
    ack = w.call("configure", {"preset": "binary-2-5-5-1", "layers": [64] * 6})
    assert ack["ok"] is True
    assert w.call("step", {"unit": "sample"})["ok"] is True
    assert w.wait_for("trace") is not None and w.bad_frames == []


def test_a_run_stops_at_the_epoch_limit(short_runs, wire):
    w = wire(short_runs)
    w.call("configure", {"preset": "letters"})
    assert w.call("start", {"speed": "max", "until": 51})["error"]["field"] == "until"
    w.call("start", {"speed": "max"})
    done = w.wait_for("status", lambda p: p["state"] == "done", timeout=30)
    assert done["epoch"] == 50 and done["reason"] == "reached the limit of 50 epochs"
    for event, payload in (("start", {}), ("step", {"unit": "epoch"})):
        refused = w.call(event, payload)
        assert refused["ok"] is False and refused["error"]["field"] == "epoch"
    assert w.call("seek", {"epoch": 49})["ok"] is True
    assert w.call("reset", {})["ok"] is True and w.call("start", {})["ok"] is True


def test_datasets_and_frames_are_bounded():
    """Datasets hold at most MAX_POINTS points; a frame carries at most 64 samples, whatever the network."""
    for name in datasets.NAMES:
        assert datasets.load(name).n_samples <= datasets.MAX_POINTS
    setup, _ = frames.build({"preset": "binary-2-5-5-1", "layers": [64] * 6})
    frame = frames.live(setup, curve=True, boundary=True)
    assert len(frame["samples"]) == 64 and len(frame["activations"][0]) == 64
    assert len(json.dumps(frame)) < 4 * 2**20  # the largest frame the server builds (about 2.4 MB)


def test_an_http_body_over_the_limit_gets_413_and_the_server_carries_on(strict_server, letters):
    status, body = strict_server.post("/api/models", b'{"name": "x", "pad": "' + b"x" * (2**20 + 10) + b'"}')
    assert status == 413 and body["error"]["field"] == "body"
    assert strict_server.get("/api/models")["models"] == []
    assert letters.call("predict", {"input": LETTER_A})["ok"] is True


def test_stored_examples_have_a_limit(strict_server):
    with sqlite3.connect(Store(strict_server.data_dir).path) as db:  # fill the store directly: 10,000 POSTs are slow
        db.executemany("INSERT INTO examples (created, dataset, label, input) VALUES (0, 'letters', 'A', ?)",
                       [(json.dumps(LETTER_A),)] * (MAX_EXAMPLES - len(strict_server.get("/api/examples")["examples"])))
    status, body = strict_server.post("/api/examples", {"dataset": "letters", "label": "B", "input": LETTER_A})
    assert status == 400 and body["error"]["field"] == "input"
    assert f"{MAX_EXAMPLES} examples" in body["error"]["message"]
    assert len(strict_server.get("/api/examples")["examples"]) == MAX_EXAMPLES


def test_saved_models_have_a_limit_but_one_can_still_be_replaced(strict_server, letters):
    assert letters.call("save_model", {"name": "keep"})["ok"] is True
    body = strict_server.get("/api/models/keep")
    with sqlite3.connect(Store(strict_server.data_dir).path) as db:
        db.executemany("INSERT INTO models (name, created, body) VALUES (?, 0, ?)",
                       [(f"filler {i}", json.dumps({**body, "name": f"filler {i}"})) for i in range(MAX_MODELS - 1)])
    refused = letters.call("save_model", {"name": "one too many"})
    assert refused["ok"] is False and refused["error"]["field"] == "name"
    assert f"{MAX_MODELS} models" in refused["error"]["message"]
    status, _ = strict_server.post("/api/models", {**body, "name": "imported one too many"})
    assert status == 400
    assert letters.call("save_model", {"name": "keep"}) == {"ok": True, "name": "keep", "run": 2, "replaced": True}
    assert len(strict_server.get("/api/models")["models"]) == MAX_MODELS


def test_a_stored_run_history_has_a_limit():
    n = 3 * MAX_RUN_ROWS + 7
    epochs, body = Store._run_body({k: [0.5] * n for k in ("loss", "error", "accuracy")})
    assert epochs == n and len(body["epochs"]) <= MAX_RUN_ROWS + 1 and body["epochs"][-1] == n - 1


# -- floods ----------------------------------------------------------------------------------------------
FLOODS = {  # event, payload, how many to send at once
    "predict": ("predict", {"input": LETTER_A}, 600),
    "control": ("pause", {}, 500),
    "heavy": ("configure", {"preset": "letters"}, 160),
}


@pytest.mark.parametrize("kind", FLOODS)
def test_a_flood_from_one_tab_meets_its_rate_limit_and_the_other_tab_is_served(strict_server, wire, kind):
    event, payload, count = FLOODS[kind]
    flooder, other = wire(strict_server), wire(strict_server)
    for w in (flooder, other):
        assert w.call("configure", {"preset": "letters"})["ok"] is True
    expected = other.call("predict", {"input": LETTER_A})
    answers = []

    def flood():
        ids = [flooder.emit(event, payload) for _ in range(count)]
        answers.extend(flooder.wait_ack(i, timeout=60) for i in ids)

    t = threading.Thread(target=flood)
    t.start()
    served = [other.call("predict", {"input": LETTER_A}) for _ in range(100)]
    t.join(90)
    assert served == [expected] * 100  # every predict of the other tab answered, and right
    assert all(a is not None for a in answers) and len(answers) == count
    fields = [None if a[0]["ok"] else a[0]["error"]["field"] for a in answers]
    assert set(fields) <= {None, "rate"} and fields.count("rate") > 0 and fields.count(None) > 0
    rate_events = [e for e in flooder.events.get("error", []) if e["field"] == "rate"]
    assert 1 <= len(rate_events) < fields.count("rate")  # the ack says it every time; the error event seldom
    assert other.count("error") == 0
    time.sleep(0.1)  # a few tokens back
    assert flooder.call("predict", {"input": LETTER_A})["ok"] is True  # the flooder's own session survives
