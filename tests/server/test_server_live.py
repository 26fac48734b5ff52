"""A live server on a loopback port driven by real python-socketio clients.

The store-across-restart test restarts the shared server, so it comes last.
"""
from __future__ import annotations

import json
import threading
import time
import urllib.request

import numpy as np
import pytest
from server_cases import BAD_EVENTS, LETTER_A, bad_id, wait_until

from engine import presets

pytestmark = pytest.mark.live


def trained(epochs, **config):
    setup = presets.build({"preset": "letters", **config})
    setup.trainer.run(epochs)
    return setup


def no_sessions(live_server):
    return wait_until(lambda: live_server.health()["sessions"] == 0, timeout=10)


def test_streaming_at_max_speed(connect, live_server):
    r = connect()
    assert r.call("configure", {"preset": "letters"})["ok"] is True
    assert r.call("start", {"speed": "max"}) == {"ok": True, "speed": "max", "epoch": 0}
    r.wait_for("snapshot", lambda p: p["epoch"] >= 1000, timeout=30)
    assert live_server.health()["training"] == 1
    paused = r.call("pause")
    assert paused["ok"] is True
    last = r.wait_for("snapshot", lambda p: p["epoch"] == paused["epoch"] and "curve" in p)  # the pause frame
    r.wait_for("status", lambda p: p["state"] == "paused" and p["epoch"] == paused["epoch"])
    epochs = [p["epoch"] for p in r.events["snapshot"]]
    assert len(set(epochs)) >= 5 and max(epochs) == paused["epoch"]
    assert live_server.health()["flow"]["max_in_flight"] <= 2
    for p in r.events["snapshot"]:
        json.dumps(p, allow_nan=False)
    assert last["curve"]["epochs"][-1] == paused["epoch"] - 1
    assert len(last["curve"]["epochs"]) <= 500


def test_a_slow_client_gets_the_newest_state_not_a_queue(connect, live_server):
    no_sessions(live_server)
    handled_after_pause = []
    paused_at = threading.Event()

    def slow(payload):
        time.sleep(0.15)
        if paused_at.is_set():
            handled_after_pause.append(payload["epoch"])

    r = connect(on_snapshot=slow)
    r.call("configure", {"preset": "letters"})
    r.call("start", {"speed": "max"})
    wait_until(lambda: len(r.events["snapshot"]) >= 6, timeout=30)
    paused_at.set()
    paused = r.call("pause")
    r.wait_for("snapshot", lambda p: p["epoch"] == paused["epoch"])  # the newest state arrives
    flow = live_server.health()["flow"]
    assert flow["max_in_flight"] == 2  # the window filled, and never more
    assert flow["skipped"] > 0  # states it had no room for were never queued
    assert len(handled_after_pause) <= 3  # in flight (2) + the newest (1): the lag is bounded


def test_disconnect_stops_the_training_thread(connect, live_server):
    warm = connect()  # a first session starts the server's lazily made, process-wide threads (they stay)
    warm.call("configure", {"preset": "letters"})
    warm.call("step", {"unit": "epoch"})
    warm.close(wait=True)
    no_sessions(live_server)
    wait_until(lambda: False, timeout=3)  # let that connection's own threads end first
    base = live_server.health()["threads"]
    r = connect()
    r.call("configure", {"preset": "letters"})
    r.call("start", {"speed": "max"})
    r.wait_for("snapshot", lambda p: p["epoch"] > 0)
    during = live_server.health()
    assert (during["training"], during["train_threads"]) == (1, 1)
    r.close()
    after = wait_until(lambda: (h := live_server.health())["train_threads"] == 0 and h, timeout=5)
    assert after and after["training"] == 0 and after["sessions"] == 0
    # the connection's own threads (engine.io's ping task sleeps one ping interval) end too
    assert wait_until(lambda: live_server.health()["threads"] <= base, timeout=15)


def test_a_slow_speed_shows_every_epoch(connect):
    r = connect()
    r.call("configure", {"preset": "letters"})
    assert r.call("start", {"speed": 10, "until": 4})["speed"] == 10.0
    r.wait_for("status", lambda p: p["state"] == "done" and p["epoch"] == 4)
    r.wait_for("snapshot", lambda p: p["epoch"] == 4)
    assert {p["epoch"] for p in r.events["snapshot"]} == {0, 1, 2, 3, 4}


@pytest.fixture(scope="module")
def after_300(open_client):
    """One client that trained ``letters`` to epoch 300 with ``until`` (module-scoped: trained once)."""
    r = open_client()
    r.call("configure", {"preset": "letters"})
    assert r.call("start", {"speed": "max", "until": 300})["ok"] is True
    r.wait_for("status", lambda p: p["state"] == "done", timeout=30)
    yield r
    r.close()


def test_until_stops_at_that_epoch(after_300):
    done = after_300.wait_for("status", lambda p: p["state"] == "done")
    assert done == {"state": "done", "epoch": 300, "reason": "reached epoch 300", "speed": "max", "until": 300}
    assert after_300.wait_for("snapshot", lambda p: p["epoch"] == 300)["replay"] is False


def test_predict_round_trip(after_300):
    ack = after_300.call("predict", {"input": LETTER_A})
    expected = trained(300).net.predict([LETTER_A])[0]
    assert ack["ok"] is True and ack["label"] == "A"
    assert ack["outputs"] == expected.tolist()


@pytest.mark.parametrize("epoch", [50, 99, 250, 299])
def test_seek_replays_the_kept_epoch_at_or_before(after_300, epoch):
    ack = after_300.call("seek", {"epoch": epoch})
    kept = ack["epoch"]
    assert ack["ok"] is True and ack["replay"] is True
    if epoch < 100:
        assert kept == epoch  # the first hundred epochs are all kept
    else:
        assert 100 <= kept <= epoch  # later ones are spaced (about one chunk apart at max)
    snap = after_300.wait_for("snapshot", lambda p: p["replay"] and p["epoch"] == kept)
    setup = trained(kept)
    for got, expected in zip(snap["weights"], setup.net.weights, strict=True):
        np.testing.assert_array_equal(np.array(got), expected)
    assert snap["loss"] == setup.trainer.state().loss


def test_divergence_stops_with_the_epoch_and_reason(connect):
    r = connect()
    r.call("configure", {"preset": "xor-3-4-1", "activation": "linear", "lr": 100})
    r.call("start", {"speed": "max"})
    status = r.wait_for("status", lambda p: p["state"] == "diverged")
    assert status["epoch"] == 4 and "overflow" in status["reason"]
    final = r.wait_for("snapshot", lambda p: p["diverged"] is not None)
    json.dumps(final, allow_nan=False)
    assert r.call("seek", {"epoch": 3})["replay"] is True
    assert r.call("start", {})["error"]["field"] == "state"


@pytest.fixture(scope="module")
def letters_client(open_client):
    r = open_client()
    r.call("configure", {"preset": "letters"})
    yield r
    r.close()


@pytest.mark.parametrize("case", BAD_EVENTS, ids=bad_id)
def test_bad_input_over_a_real_socket(letters_client, case):
    event, payload, field = case
    r = letters_client
    before = r.call("predict", {"input": LETTER_A})
    errors = len(r.events["error"])
    ack = r.call(event, payload)
    assert ack["ok"] is False and ack["error"]["field"] == field
    assert r.wait_for("error", lambda p: len(r.events["error"]) > errors) is not None
    assert r.events["error"][errors] == ack["error"]
    assert r.call("predict", {"input": LETTER_A}) == before


def _post(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as resp:
        return resp.status, json.loads(resp.read())


def test_the_store_survives_a_restart(connect, live_server):
    r = connect()
    r.call("configure", {"preset": "letters"})
    r.call("start", {"speed": "max", "until": 40})
    r.wait_for("status", lambda p: p["state"] == "done")
    saved = r.call("save_model", {"name": "survivor"})
    assert saved["ok"] is True
    status, example = _post(live_server.url + "/api/examples", {"dataset": "letters", "label": "B", "input": LETTER_A})
    assert status == 201 and (example["dataset"], example["label"]) == ("letters", "B")
    r.close()
    old_pid = live_server.health()["pid"]
    live_server.restart()  # the server is shared: other tests may have stored things too
    assert live_server.health()["pid"] != old_pid
    models = {m["name"]: m for m in live_server.get("/api/models")["models"]}
    assert (models["survivor"]["epoch"], models["survivor"]["run"]) == (40, saved["run"])
    examples = {e["id"]: e for e in live_server.get("/api/examples")["examples"]}
    assert (examples[example["id"]]["label"], examples[example["id"]]["input"]) == ("B", [float(v) for v in LETTER_A])
    with urllib.request.urlopen(f"{live_server.url}/api/runs/{saved['run']}.csv", timeout=5) as resp:
        assert len(resp.read().decode().splitlines()) == 41  # header + epochs 0..39
    fresh = connect()
    assert fresh.call("load_model", {"name": "survivor"})["ok"] is True
    snap = fresh.wait_for("snapshot")
    expected = trained(40)
    assert snap["weights"] == [w.tolist() for w in expected.net.weights]
