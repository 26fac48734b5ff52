"""``add_point``: a point clicked on the plane joins the training set without a restart — checked against the
dataset (coordinates on the plane, a class or a finite value), refused by the engine mid-epoch or under the
bias-not-summed rule, capped — with Flask-SocketIO's test client and a live server."""
from __future__ import annotations

import numpy as np
import pytest
from server_cases import NAN, configured, names

from app import frames, points
from app.schema import APP_FIELDS
from engine import presets


def stepped(sio, config, epochs=2):
    got = configured(sio, config)
    for _ in range(epochs):
        sio.ack_snapshots()
        assert sio.call("step", {"unit": "epoch"})["ok"] is True
    sio.received()
    sio.ack_snapshots()
    return got


@pytest.mark.parametrize("config, payload, features, row", [
    ({"preset": "spiral"}, {"x": [0.5, -1.25], "label": 1}, ("x1", "x2"), [1.0]),
    ({"preset": "spiral", "loss": "ce", "output_activation": "softmax"}, {"x": [-1.5, 1.5], "label": 0},
     ("x1", "x2"), [1.0, 0.0]),
    ({"preset": "circle-features"}, {"x": [0.25, 0.75], "label": 0}, None, [0.0]),
    ({"preset": "regression-bumps"}, {"x": [0.0, 0.5], "value": -1.75}, ("x1", "x2"), [-1.75]),
    ({"preset": "sine-curve"}, {"x": [-0.75], "value": 1.25}, ("x1",), [1.25]),  # a click on the 1-D plot
])
def test_a_point_joins_the_training_set_and_the_run_goes_on(sio, config, payload, features, row):
    got = stepped(sio, config)
    n = got["network"]["dataset"]["n_samples"]
    ack = sio.call("add_point", payload)
    assert ack == {"ok": True, "samples": n + 1, "added": 1, "epoch": 2, "training": False}
    received = sio.received()
    assert names(received) == ["dataset", "snapshot", "runs"]
    ds, snap = received[0][1]["dataset"], received[1][1]
    assert received[2][1]["runs"][0]["edits"] == [{"epoch": 2, **payload}]  # for the page's link
    assert received[0][1]["epoch"] == snap["epoch"] == 2 and ds["n_samples"] == n + 1 and ds["added"] == 1
    assert "added" not in got["network"]["dataset"]
    setup = presets.build(config, APP_FIELDS)  # the same two epochs by hand, then the point
    setup.trainer.run(2)
    X = setup.dataset.inputs(np.array([payload["x"]]))
    assert ds["X"][-1] == X[0].tolist() and ds["Y"][-1] == row
    if features is None:  # the inputs are features of the coordinates: the dataset sends those too
        assert ds["points"][-1] == payload["x"]
    else:
        assert setup.dataset.features == features and ds["X"][-1] == payload["x"]
    assert snap["weights"] == [w.tolist() for w in setup.net.weights]  # weights kept: no restart
    setup.trainer.add_points(X, np.array([row]))
    assert snap["loss"] == setup.trainer.state().loss
    sio.ack_snapshots()
    sio.call("step", {"unit": "epoch"})
    setup.trainer.run(1)
    last = [p for n_, p in sio.received() if n_ == "snapshot"][-1]
    assert last["epoch"] == 3 and last["weights"] == [w.tolist() for w in setup.net.weights]
    assert last["curve"]["data_changes"] == [2]


@pytest.mark.parametrize("config, payload, field, message", [
    ({"preset": "spiral"}, {"x": [2.0, 0.0], "label": 1}, "x",
     "Point (x): x1 must be a number from -1.5 to 1.5 (the plane), got 2.0"),
    ({"preset": "spiral"}, {"x": [0.0, NAN], "label": 1}, "x",
     "Point (x): x2 must be a number from -1.5 to 1.5 (the plane), got nan"),
    ({"preset": "spiral"}, {"x": [0.0], "label": 1}, "x", "Point (x): must be a list of 2 coordinates [x1, x2]"),
    ({"preset": "spiral"}, {"x": "0,0", "label": 1}, "x", "Point (x): must be a list of 2 coordinates [x1, x2]"),
    ({"preset": "spiral"}, {"x": [0, 0], "label": 2}, "label", "Class (label): must be a class from 0 to 1, got 2"),
    ({"preset": "spiral"}, {"x": [0, 0], "label": True}, "label",
     "Class (label): must be a class from 0 to 1, got True"),
    ({"preset": "spiral"}, {"x": [0, 0]}, "label", "Class (label): is required for a classification point"),
    ({"preset": "spiral"}, {"x": [0, 0], "value": 1}, "value",
     "Value (value): a classification point has a class, not a value"),
    ({"preset": "regression-bumps"}, {"x": [0, 0], "value": 2.5}, "value",
     "Value (value): must be a number from -2 to 2, got 2.5"),
    ({"preset": "regression-bumps"}, {"x": [0, 0], "value": NAN}, "value",
     "Value (value): must be a number from -2 to 2, got nan"),
    ({"preset": "regression-bumps"}, {"x": [0, 0], "label": 1}, "label",
     "Class (label): a regression point has a value, not a class"),
    ({"preset": "sine-curve"}, {"x": [0.5, 0.5], "value": 1}, "x", "Point (x): must be a list of 1 coordinate [x1]"),
    ({"preset": "sine-curve"}, {"x": [1.75], "value": 1}, "x",
     "Point (x): x1 must be a number from -1.5 to 1.5 (the x axis), got 1.75"),
    ({"preset": "sine-curve"}, {"x": [0.5], "value": -2.5}, "value",
     "Value (value): must be a number from -2 to 2, got -2.5"),
    ({"preset": "spiral"}, {"label": 1}, "x", "x: is required"),
    ({"preset": "spiral"}, {"x": [0, 0], "label": 1, "colour": 2}, "colour",
     "colour: unknown field; allowed: x, label, value"),
    ({"preset": "letters"}, {"x": [0, 0], "label": 1}, "dataset",
     "dataset: 'letters' has no plane to click: points go with the 2-D and 1-D datasets"),
    ({"preset": "spiral", "variant": "bias-not-summed", "compare": True, "batch": "full"},
     {"x": [0, 0], "label": 1}, "points",
     "points: the bias-not-summed rule keeps one bias per sample, so none can be added"),
])
def test_a_bad_point_is_refused_naming_the_field_and_changes_nothing(sio, config, payload, field, message):
    got = stepped(sio, config, epochs=1)
    ack = sio.call("add_point", payload)
    assert ack == {"ok": False, "error": {"event": "add_point", "field": field, "message": message}}
    assert names(sio.received()) == ["error"]
    sio.call("step", {"unit": "epoch"})
    last = [p for n_, p in sio.received() if n_ == "snapshot"][-1]
    assert last["curve"]["data_changes"] == []
    setup, _ = frames.build(config)  # the mistake lab's main network follows the correct rule
    setup.trainer.run(2)
    assert last["weights"] == [w.tolist() for w in setup.net.weights]
    assert got["network"]["dataset"]["n_samples"] == setup.dataset.n_samples


def test_a_half_done_sample_by_sample_epoch_refuses_a_point(sio):
    configured(sio, {"preset": "spiral"})
    sio.ack_snapshots()
    assert sio.call("step", {"unit": "sample"})["ok"] is True
    sio.received()
    ack = sio.call("add_point", {"x": [0, 0], "label": 1})
    assert ack["ok"] is False and ack["error"]["message"] == \
        "points: finish the sample-by-sample epoch before adding points"


def test_the_mistake_lab_companion_gets_the_point_too(sio):
    stepped(sio, {"preset": "spiral", "variant": "flipped-sign", "compare": True})
    assert sio.call("add_point", {"x": [0.5, 0.5], "label": 0})["ok"] is True
    snap = [p for n_, p in sio.received() if n_ == "snapshot"][-1]
    for variant, figures in (("correct", snap), ("flipped-sign", snap["companion"])):
        setup = presets.build({"preset": "spiral", "variant": variant}, APP_FIELDS)
        setup.trainer.run(2)
        setup.trainer.add_points(np.array([[0.5, 0.5]]), np.array([[0.0]]))
        assert figures["loss"] == setup.trainer.state().loss


def test_added_points_are_capped(sio, monkeypatch):
    monkeypatch.setattr(points, "MAX_ADDED", 3)
    configured(sio, {"preset": "overfitting"})
    for i in range(3):
        sio.ack_snapshots()
        assert sio.call("add_point", {"x": [0.1 * i, 0.0], "label": i % 2})["added"] == i + 1
    ack = sio.call("add_point", {"x": [0.0, 0.0], "label": 1})
    assert ack["error"]["message"] == "Point (x): this run already has the most added points, 3; reset to start over"


def test_the_schema_gives_the_page_the_limits(client):
    limits = client.get("/api/presets").get_json()["limits"]
    assert limits["added_points"] == points.MAX_ADDED and limits["point_value"] == list(points.VALUE_RANGE)


@pytest.mark.live
def test_live_add_point_while_training_keeps_the_run(connect):
    r = connect()
    assert r.call("configure", {"preset": "overfitting"})["ok"] is True
    n = r.events["network"][-1]["dataset"]["n_samples"]
    assert r.call("start", {"speed": "max"})["ok"] is True
    r.wait_for("snapshot", lambda p: p["epoch"] >= 100, timeout=30)
    ack = r.call("add_point", {"x": [1.25, -0.5], "label": 1})
    assert ack["ok"] is True and ack["samples"] == n + 1 and ack["epoch"] >= 100 and ack["training"] is True
    data = r.wait_for("dataset", lambda p: p["dataset"]["n_samples"] == n + 1, timeout=30)
    assert data["dataset"]["X"][-1] == [1.25, -0.5] and data["dataset"]["Y"][-1] == [1.0]
    r.wait_for("snapshot", lambda p: p["epoch"] > ack["epoch"], timeout=30)
    paused = r.call("pause")
    last = r.wait_for("snapshot", lambda p: p["epoch"] == paused["epoch"] and "curve" in p, timeout=30)
    assert last["curve"]["data_changes"] == [ack["epoch"]]
    assert last["curve"]["epochs"][0] == 0  # the same run: its curve starts at epoch 0
