"""A link holds the learner's own edits (points added by clicking, weights and biases typed in) and ``open_runs``
replays them: each run made again from its link equals the one made by hand, bit for bit; a bad edit is refused
naming its field and range, and the network stays as ``configure`` left it."""
from __future__ import annotations

import numpy as np
import pytest
from server_cases import events, link_of, open_link, step

from app.rebuild import MAX_EDITS
from engine import presets

CONFIG = {"preset": "spiral", "n_points": 60, "batch": 10, "shuffle": True, "momentum": 0.5, "lr": 0.1}
POINT_A = {"x": [0.5, -0.25], "label": 1}
POINT_B = {"x": [-1.0, 1.25], "label": 0}
WEIGHT = {"layer": 0, "row": 1, "col": 2, "value": 1.5}
BIAS = {"layer": 1, "bias": 0, "value": -0.5}
N = CONFIG["n_points"]


def call(sio, event, payload):
    ack = sio.call(event, payload)
    assert ack["ok"] is True, ack
    return ack


LAB = {**CONFIG, "variant": "flipped-sign", "compare": True}  # the mistake lab: a companion network beside it
CONFIGS = pytest.mark.parametrize("config", [CONFIG, LAB], ids=["plain", "mistake-lab"])


def edited_by_hand(sio, config=CONFIG):
    """Two points and a weight on the original (epochs 5, 10, 13), trained on to 17: its last ``runs``."""
    call(sio, "configure", config)
    step(sio, 5)
    call(sio, "add_point", POINT_A)
    step(sio, 5)
    call(sio, "set_weight", WEIGHT)
    step(sio, 3)
    call(sio, "add_point", POINT_B)
    step(sio, 4)
    return events(sio, "runs")[-1]


def branched_by_hand(sio, config=CONFIG):
    """Edits and branches mixed: the original gets a point at 5 and a weight at 10; branch 1 leaves it at 10 (η 0.5)
    and gets a point at 13; branch 2 leaves it at 10 again after it trained on to 15 (no momentum) and gets a bias
    at 10; branch 3 leaves it at 3, before its point (batch 5). Ends with the original live."""
    call(sio, "configure", config)
    step(sio, 5)
    call(sio, "add_point", POINT_A)
    step(sio, 5)
    call(sio, "set_weight", WEIGHT)
    call(sio, "branch", {"epoch": 10, "changes": {"lr": 0.5}})
    step(sio, 3)
    call(sio, "add_point", POINT_B)
    step(sio, 2)
    call(sio, "switch_run", {"id": 0})
    step(sio, 5)
    call(sio, "branch", {"epoch": 10, "changes": {"momentum": 0}})
    call(sio, "set_weight", BIAS)
    step(sio, 2)
    call(sio, "switch_run", {"id": 0})
    call(sio, "branch", {"epoch": 3, "changes": {"batch": 5}})
    call(sio, "switch_run", {"id": 0})
    return events(sio, "runs")[-1]


def tree(app, client):
    hub = app.extensions["playground_hub"]
    session = hub.get(client.sid)
    return session.branches._live(session)[0]


def assert_same_runs(made, rebuilt):
    """Bit for bit: weights, biases, training set, history, data changes and edits of every run (and of the
    mistake lab's companion network)."""
    assert len(made) == len(rebuilt)
    for a, b in zip(made, rebuilt, strict=True):
        assert (a.companion is None) == (b.companion is None)
        for ta, tb in [(a.setup.trainer, b.setup.trainer)] + (
                [(a.companion.trainer, b.companion.trainer)] if a.companion is not None else []):
            assert_same_trainer(ta, tb)
        assert (a.edits, a.added_at) == (b.edits, b.added_at)
        assert np.array_equal(a.setup.dataset.points, b.setup.dataset.points)


def assert_same_trainer(ta, tb):
    assert (ta.epoch, ta.data_changes) == (tb.epoch, tb.data_changes)
    for x, y in zip(ta.net.weights + ta.net.biases + [ta.X, ta.Y], tb.net.weights + tb.net.biases + [tb.X, tb.Y],
                    strict=True):
        assert np.array_equal(x, y)
    ha, hb = ta.history, tb.history
    assert ha.keys() == hb.keys()
    for key in ha:
        assert (ha[key] is None and hb[key] is None) or np.array_equal(ha[key], hb[key], equal_nan=True), key


def test_the_runs_message_lists_each_edit_of_the_run_with_its_epoch(sio):
    runs = edited_by_hand(sio)

    assert runs["runs"][0]["edits"] == [{"epoch": 5, **POINT_A}, {"epoch": 10, **WEIGHT}, {"epoch": 13, **POINT_B}]
    assert runs["runs"][0]["curve"]["data_changes"] == [5, 13]


@CONFIGS
def test_two_points_and_a_weight_rebuilt_from_the_link_equal_the_run_made_by_hand(sio, other, app, config):
    runs = edited_by_hand(sio, config)
    other.call("configure", config)
    other.received()

    ack = open_link(other, link_of(runs, epoch=17))

    assert ack == {"ok": True, "live": 0, "runs": [{"id": 0, "name": "original", "epoch": 17}]}
    shown = other.received()
    assert [n for n, _ in shown] == ["network", "snapshot", "status", "runs"]
    assert shown[3][1]["runs"][0]["edits"] == runs["runs"][0]["edits"]
    assert shown[1][1]["weights"][0][1][2] != WEIGHT["value"]  # trained on from the typed value
    assert_same_runs(tree(app, sio), tree(app, other))
    rebuilt, = tree(app, other)
    assert rebuilt.setup.trainer.X.shape[0] == N + 2
    assert (rebuilt.companion is not None) == (config is LAB)


@CONFIGS
def test_edits_and_branches_rebuilt_from_the_link_equal_the_runs_made_by_hand(sio, other, app, config):
    runs = branched_by_hand(sio, config)
    other.call("configure", config)
    other.received()

    open_link(other, link_of(runs))

    assert [p for n, p in other.received() if n == "runs"] == [runs]
    made = tree(app, sio)
    assert [r.setup.trainer.X.shape[0] for r in made] == [N + 1, N + 2, N + 1, N]  # branch 3 left before the point
    assert [r.setup.trainer.data_changes for r in made] == [[5], [5, 13], [5], []]
    assert_same_runs(made, tree(app, other))


@CONFIGS
def test_a_weight_typed_in_halfway_through_an_epoch_stepped_sample_by_sample_is_rebuilt_after_those_samples(
        sio, other, app, config):
    call(sio, "configure", config)
    step(sio, 2)
    for _ in range(3):
        call(sio, "step", {"unit": "sample"})
    call(sio, "set_weight", WEIGHT)
    for _ in range(4):
        call(sio, "step", {"unit": "sample"})
    call(sio, "set_weight", BIAS)
    step(sio, 2)
    runs = events(sio, "runs")[-1]
    assert runs["runs"][0]["edits"] == [{"epoch": 2, "sample": 3, **WEIGHT}, {"epoch": 2, "sample": 7, **BIAS}]
    other.call("configure", config)

    assert open_link(other, link_of(runs, epoch=4))["ok"]

    assert_same_runs(tree(app, sio), tree(app, other))


@pytest.mark.parametrize(("config", "point"), [
    ({"preset": "regression-bumps"}, {"x": [0.0, 0.5], "value": -1.75}),
    ({"preset": "sine-curve"}, {"x": [-0.75], "value": 1.25}),  # a click on the 1-D plot
])
def test_a_regression_point_is_rebuilt_from_the_link(sio, other, app, config, point):
    call(sio, "configure", config)
    step(sio, 2)
    call(sio, "add_point", point)
    step(sio, 3)
    runs = events(sio, "runs")[-1]
    assert runs["runs"][0]["edits"] == [{"epoch": 2, **point}]
    other.call("configure", config)

    assert open_link(other, link_of(runs, epoch=5))["ok"]

    assert_same_runs(tree(app, sio), tree(app, other))


@pytest.mark.parametrize(("edits", "field", "words"), [
    ([{"run": 0, "epoch": 0, "x": [2.0, 0], "label": 1}], "x",
     "Point (x): x1 must be a number from -1.5 to 1.5 (the plane), got 2.0 (edit 1 of the link)"),
    ([{"run": 0, "epoch": 0, "x": [0, 0], "label": 7}], "label",
     "Class (label): must be a class from 0 to 1, got 7 (edit 1 of the link)"),
    ([{"run": 0, "epoch": 2, "x": [0, 0], "label": 1}, {"run": 0, "epoch": 4, "layer": 0, "row": 99, "col": 0,
                                                        "value": 1}], "row",
     "row: 99 is not a whole number from 0 to 1 (edit 2 of the link)"),
    ([{"run": 0, "epoch": 3, "layer": 9, "bias": 0, "value": 1}], "layer",
     "layer: 9 is not a whole number from 0 to 2 (edit 1 of the link)"),
    ([{"run": 0, "epoch": 3, "layer": 0, "row": 0, "col": 0, "value": 5000}], "value",
     "value: 5000 is not a finite number from -1000 to 1000 (edit 1 of the link)"),
    ([{"run": 0, "epoch": 3, "layer": 0, "row": 0, "bias": 0, "value": 1}], "payload",
     "payload: send row and col for a weight, or bias for a bias, not both (edit 1 of the link)"),
    ([{"run": 1, "epoch": 3, "x": [0, 0], "label": 1}], "run",
     "run: 1 is not a whole number from 0 to 0 (edit 1 of the link)"),
    ([{"run": 0, "epoch": 11, "x": [0, 0], "label": 1}], "epoch",
     "epoch: 11 is not a whole number from 0 to 10 (edit 1 of the link)"),
    ([{"run": 0, "epoch": 5, "x": [0, 0], "label": 1}, {"run": 0, "epoch": 3, "x": [0, 0], "label": 0}], "epoch",
     "epoch: 3 is not a whole number from 5 to 10 (edit 2 of the link)"),
    ([{"run": 0, "epoch": 3, "x": [0, 0], "colour": 1}], "edits",
     "edits: must be objects of run, epoch, sample, x, label, value, layer, row, col, bias, drawings "
     "(edit 1 of the link)"),
    ([{"run": 0, "epoch": 1, "x": [0, 0], "label": 1}] * 201, "x",
     "Point (x): this run already has the most added points, 200; reset to start over (edit 201 of the link)"),
    ([{"run": 0, "epoch": 1, "layer": 0, "row": 0, "col": 0, "value": 1}] * (MAX_EDITS + 1), "edits",
     f"edits: must be a list of 0 to {MAX_EDITS} edits"),
    ("x", "edits", f"edits: must be a list of 0 to {MAX_EDITS} edits"),
    ([{"run": 0, "epoch": 2, "row": 0, "col": 0, "value": 1}], "layer",
     "layer: is required (an edit is a point's x or a weight's layer) (edit 1 of the link)"),
    ([{"run": 0, "epoch": 2, "layer": 0, "row": 0, "col": 0}], "value",
     "value: is required (an edit is a point's x or a weight's layer) (edit 1 of the link)"),
    ([{"run": 0, "epoch": 2, "x": [0, 0], "label": 1, "layer": 0}], "edits",
     "edits: an edit is a point (x) or a weight (layer), not both (edit 1 of the link)"),
    ([{"run": 0, "epoch": 2, "x": [0, 0]}], "label", "Class (label): is required for a classification point "
     "(edit 1 of the link)"),
    ([{"run": 0, "epoch": 2, "sample": 60, "layer": 0, "row": 0, "col": 0, "value": 1}], "sample",
     "sample: 60 is not a whole number from 0 to 59 (edit 1 of the link)"),
    ([{"run": 0, "epoch": 2, "sample": 5, "layer": 0, "row": 0, "col": 0, "value": 1},
      {"run": 0, "epoch": 2, "sample": 4, "layer": 0, "row": 0, "col": 0, "value": 1}], "sample",
     "sample: 4 is not a whole number from 5 to 1000000 (edit 2 of the link)"),
])
def test_a_bad_edit_is_refused_naming_its_field_and_range_and_the_network_stays_as_configured(sio, app, edits,
                                                                                               field, words):
    sio.call("configure", CONFIG)
    sio.received()

    ack = open_link(sio, {"epoch": 10, "edits": edits})

    assert ack["ok"] is False and ack["error"] == {"event": "open_runs", "field": field,
                                                   "message": words}, ack
    assert [n for n, _ in sio.received()] == ["error"]
    run, = tree(app, sio)
    fresh = presets.build(CONFIG)
    tr = run.setup.trainer
    assert (tr.epoch, tr.data_changes, run.edits, run.keeper.epochs) == (0, [], [], [0])
    assert np.array_equal(tr.X, fresh.trainer.X) and run.setup.dataset.points.shape == (N, 2)
    for x, y in zip(tr.net.weights + tr.net.biases, fresh.net.weights + fresh.net.biases, strict=True):
        assert np.array_equal(x, y)
    assert sio.call("step", {"unit": "epoch"})["ok"]
    assert [p["epoch"] for p in events(sio, "snapshot")] == [1]


def test_a_branch_s_edit_before_it_leaves_its_parent_is_refused(sio):
    sio.call("configure", CONFIG)
    sio.received()

    ack = open_link(sio, {"epoch": 10, "branches": [{"parent": 0, "from_epoch": 5, "epoch": 9}],
                                 "edits": [{"run": 1, "epoch": 3, "x": [0, 0], "label": 1}]})

    assert ack["error"]["message"] == "epoch: 3 is not a whole number from 5 to 9 (edit 1 of the link)"


def test_an_edit_after_the_run_diverged_is_refused(sio):
    sio.call("configure", {"preset": "xor-3-4-1", "activation": "linear", "lr": 100})  # overflows at epoch 4
    sio.received()

    ack = open_link(sio, {"epoch": 9, "edits": [{"run": 0, "epoch": 8, "layer": 0, "row": 0, "col": 0,
                                                        "value": 1}]})

    assert ack["error"] == {"event": "open_runs", "field": "epoch", "message": "epoch: original diverged at epoch 4, "
                            "before epoch 8 where edit 1 of the link was made"}


def test_over_a_real_socket_edits_made_while_training_at_max_speed_are_rebuilt_from_the_link(connect):
    """The live loop (chunks sized by time) applies each edit at whatever epoch it has reached; the link replays
    it at that epoch: the same weights, the same curve with the same marks."""
    first, second = connect(), connect()
    first.call("configure", CONFIG)
    first.call("start", {"speed": "max"})
    first.wait_for("snapshot", lambda p: p["epoch"] >= 50)
    assert first.call("add_point", POINT_A)["ok"]
    assert first.call("set_weight", WEIGHT)["ok"]
    assert first.call("add_point", POINT_B)["ok"]
    runs = first.wait_for("runs", lambda p: len(p["runs"][0]["edits"]) == 3)
    paused = first.call("pause")
    last = first.wait_for("snapshot", lambda p: p["epoch"] == paused["epoch"] and "curve" in p)

    second.call("configure", CONFIG)
    assert second.call("open_runs", link_of(runs, epoch=paused["epoch"]))["ok"]
    ack = second.wait_for("link", lambda p: p["state"] == "opened")

    assert ack["runs"] == [{"id": 0, "name": "original", "epoch": paused["epoch"]}]
    rebuilt = second.wait_for("snapshot", lambda p: p["epoch"] == paused["epoch"] and "curve" in p)
    assert (rebuilt["weights"], rebuilt["biases"]) == (last["weights"], last["biases"])
    assert rebuilt["curve"] == last["curve"] and len(rebuilt["curve"]["data_changes"]) == 2
    assert second.wait_for("runs")["runs"][0]["edits"] == runs["runs"][0]["edits"]


def test_a_link_with_the_most_edits_opens(sio):
    sio.call("configure", CONFIG)
    sio.received()
    points = [{"run": 0, "epoch": 1, "x": [i / 200, -i / 200], "label": i % 2} for i in range(200)]
    weights = [{"run": 0, "epoch": 2, "layer": 0, "row": 1, "col": i % 8, "value": i / 10} for i in range(100)]
    assert len(points + weights) == MAX_EDITS

    ack = open_link(sio, {"epoch": 3, "edits": points + weights})

    assert ack == {"ok": True, "live": 0, "runs": [{"id": 0, "name": "original", "epoch": 3}]}
    assert [len(r["edits"]) for r in events(sio, "runs")[-1]["runs"]] == [MAX_EDITS]
