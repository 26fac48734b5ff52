"""The socket events through Flask-SocketIO's test client: what each answers, and every rejection."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest
from server_cases import BAD_EVENTS, LETTER_A, bad_id, names, only

from engine import presets


@pytest.fixture
def letters(sio):
    """A test client whose session is configured with ``letters`` (its first events already read)."""
    ack = sio.call("configure", {"preset": "letters"})
    assert ack["ok"] is True
    sio.received()
    return sio


def test_configure_answers_network_snapshot_status_in_order(sio):
    ack = sio.call("configure", {"preset": "letters"})
    got = sio.received()
    assert names(got) == ["network", "snapshot", "status"]
    network, snapshot, status = (p for _, p in got)
    assert ack == {"ok": True, "config": network["config"], "undo": None}
    assert network["sizes"] == [30, 5, 3]
    assert network["dataset"]["labels"] == ["A", "B", "C"]
    assert network["dataset"]["image_shape"] == [5, 6]
    assert network["preset"]["name"] == "letters" and network["compare"] is None
    setup = presets.build({"preset": "letters"})
    assert snapshot["epoch"] == 0 and snapshot["replay"] is False
    assert snapshot["weights"] == [w.tolist() for w in setup.net.weights]
    assert snapshot["samples"] == [0, 1, 2]
    assert len(snapshot["activations"]) == 3 and len(snapshot["zs"]) == len(snapshot["deltas"]) == 2
    assert snapshot["curve"] == {"epochs": [], "loss": [], "error": [], "accuracy": [],
                                 "test_loss": None, "test_error": None, "test_accuracy": None,
                                 "data_changes": []}  # no test split
    assert "boundary" not in snapshot  # 30 inputs: no decision boundary
    assert status == {"state": "idle", "epoch": 0, "reason": "", "speed": "max", "until": None}


def test_every_payload_is_strict_json(letters):
    letters.call("step", {"unit": "sample"})
    letters.call("step", {"unit": "epoch"})
    for _, payload in letters.received():
        json.dumps(payload, allow_nan=False)  # raises on NaN or inf


@pytest.mark.parametrize("preset", ["xor-3-4-1", "binary-2-5-5-1"])
def test_two_input_and_table_presets(sio, preset):
    sio.call("configure", {"preset": preset})
    network, snapshot, _ = (p for _, p in sio.received())
    kind = {"xor-3-4-1": "table", "binary-2-5-5-1": "2d"}[preset]
    assert network["dataset"]["kind"] == kind
    if kind == "2d":
        boundary = snapshot["boundary"]
        assert boundary["n"] == 40 and boundary["extent"] == network["dataset"]["extent"]
        assert len(boundary["values"]) == 40 and all(len(r) == 40 for r in boundary["values"])
        assert snapshot["samples"] == list(range(64))  # 100 points, the first 64 sent
        assert len(snapshot["activations"][0]) == 64
    else:
        assert "boundary" not in snapshot


def test_step_epoch_matches_the_engine(letters):
    ack = letters.call("step", {"unit": "epoch"})
    got = letters.received()
    assert ack == {"ok": True, "epoch": 1}
    assert names(got) == ["snapshot", "status"]
    setup = presets.build({"preset": "letters"})
    setup.trainer.run(1)
    snap = only(got, "snapshot")
    assert snap["epoch"] == 1
    np.testing.assert_array_equal(np.array(snap["weights"][0]), setup.net.weights[0])
    assert only(got, "status")["state"] == "paused"


def test_step_sample_sends_the_trace_then_the_snapshot(letters):
    ack = letters.call("step", {"unit": "sample"})
    got = letters.received()
    assert ack == {"ok": True, "epoch": 0}
    assert names(got) == ["trace", "snapshot", "status"]
    trace = only(got, "trace")
    assert trace["index"] == 0 and trace["position"] == 0 and trace["batch_size"] == 1
    assert trace["x"] == LETTER_A and trace["y"] == [1.0, 0.0, 0.0]
    assert trace["applied"] is True  # per-sample SGD: every sample completes its batch
    assert [len(a) for a in trace["activations"]] == [30, 5, 3]
    assert any(d != 0 for d in trace["deltas"][0])
    assert trace["weights_after"] != trace["weights_before"]


def test_reset_gives_the_same_start_and_a_new_seed_another(letters):
    first = letters.call("predict", {"input": LETTER_A})
    letters.call("step", {"unit": "epoch"})
    letters.ack_snapshots()
    assert letters.call("reset", {}) == {"ok": True, "seed": 2, "epoch": 0, "undo": None}
    assert letters.call("predict", {"input": LETTER_A})["outputs"] == first["outputs"]
    assert letters.call("reset", {"seed": 7})["seed"] == 7
    assert letters.call("predict", {"input": LETTER_A})["outputs"] != first["outputs"]


def test_predict_answers_outputs_label_and_activations(letters):
    ack = letters.call("predict", {"input": LETTER_A})
    setup = presets.build({"preset": "letters"})
    expected = setup.net.predict([LETTER_A])[0]
    assert ack["ok"] is True
    assert ack["outputs"] == expected.tolist()
    assert ack["label"] == "ABC"[int(np.argmax(expected))]
    assert [len(a) for a in ack["activations"]] == [30, 5, 3]
    assert letters.received() == []  # an ack only, no events


def test_set_changes_the_learning_rate(letters):
    assert letters.call("set", {"lr": 0.5}) == {"ok": True, "lr": 0.5, "speed": "max"}
    letters.call("step", {"unit": "epoch"})
    assert only(letters.received(), "snapshot")["eta"] == 0.5


def test_seek_replays_a_kept_epoch(letters):
    for _ in range(5):
        letters.call("step", {"unit": "epoch"})
        letters.ack_snapshots()
    letters.received()
    assert letters.call("seek", {"epoch": 2}) == {"ok": True, "epoch": 2, "replay": True, "kept": 6}
    snap = only(letters.received(), "snapshot")
    setup = presets.build({"preset": "letters"})
    setup.trainer.run(2)
    assert snap["replay"] is True and snap["epoch"] == 2
    np.testing.assert_array_equal(np.array(snap["weights"][1]), setup.net.weights[1])
    assert letters.call("seek", {"epoch": 5})["replay"] is False  # the live epoch


def test_flow_control_holds_two_snapshots_and_keeps_only_the_newest(letters):
    letters.ack_snapshots()
    for _ in range(6):
        letters.call("step", {"unit": "epoch"})
    got = [p["epoch"] for p in (p for n, p in letters.received() if n == "snapshot")]
    assert got == [1, 2]  # two unacknowledged; epochs 3..5 wait, newest wins
    letters.ack_snapshots()
    got = [p["epoch"] for p in (p for n, p in letters.received() if n == "snapshot")]
    assert got == [6]


def test_mistake_lab_trains_the_variant_beside_the_correct_rule(sio):
    sio.call("configure", {"preset": "letters", "variant": "flipped-sign", "compare": True})
    network, snapshot, _ = (p for _, p in sio.received())
    assert network["variant"]["name"] == "correct"
    assert network["compare"]["name"] == "flipped-sign"
    assert network["config"]["variant"] == "flipped-sign" and network["config"]["compare"] is True
    assert snapshot["companion"]["variant"] == "flipped-sign"
    assert snapshot["companion"]["weights"] == snapshot["weights"]  # the same start
    sio.ack_snapshots()
    sio.call("step", {"unit": "epoch"})
    snap = only(sio.received(), "snapshot")
    assert snap["companion"]["epoch"] == snap["epoch"] == 1
    assert snap["companion"]["loss"] > snap["loss"]  # climbing the cost
    check = sio.call("gradcheck", {})
    assert check["ok"] is True and check["passed"] is False
    assert check["variant"]["name"] == "flipped-sign"


def test_gradcheck_passes_the_correct_rule(letters):
    check = letters.call("gradcheck", {})
    assert check["ok"] is True and check["passed"] is True
    assert [layer["layer"] for layer in check["layers"]] == [1, 2]
    assert all(layer["ok"] for layer in check["layers"])


def test_events_before_configure_are_rejected(sio):
    for event, payload in [("start", {}), ("step", {"unit": "epoch"}), ("predict", {"input": LETTER_A}),
                           ("seek", {"epoch": 0}), ("gradcheck", {})]:
        ack = sio.call(event, payload)
        assert ack == {"ok": False, "error": {"event": event, "field": "session",
                                              "message": "session: no network yet: send configure first"}}
        assert sio.received() == [("error", ack["error"])]


@pytest.mark.parametrize("case", BAD_EVENTS, ids=bad_id)
def test_bad_input_is_rejected_and_changes_nothing(letters, case):
    event, payload, field = case
    before = letters.call("predict", {"input": LETTER_A})
    ack = letters.call(event, payload)
    assert ack["ok"] is False
    assert ack["error"]["event"] == event and ack["error"]["field"] == field
    assert re.match(rf"^([^:]+ \()?{re.escape(field)}\)?: ", ack["error"]["message"])  # "key: " or "Label (key): "
    assert letters.received() == [("error", ack["error"])]
    assert letters.call("predict", {"input": LETTER_A}) == before
    assert letters.call("seek", {"epoch": 0})["epoch"] == 0  # still epoch 0 of the same run


def test_the_companion_gets_the_variants_own_start_and_schedule(sio):
    sio.call("configure", {"preset": "letters", "variant": "all-positive-init", "compare": True})
    network, snapshot, _ = (p for _, p in sio.received())
    assert network["config"]["init"] == "randn"  # the main network keeps the preset's init
    assert min(min(row) for row in snapshot["weights"][0]) < 0
    assert min(min(row) for row in snapshot["companion"]["weights"][0]) >= 0  # rand in [0, 1)
    sio.call("configure", {"preset": "letters", "variant": "one-over-epoch", "compare": True})
    sio.ack_snapshots()
    sio.call("step", {"unit": "epoch"})
    snap = [p for n, p in sio.received() if n == "snapshot"][-1]
    assert (snap["eta"], snap["companion"]["eta"]) == (0.1, 0.05)  # η and η/(epoch + 1) at epoch 1
