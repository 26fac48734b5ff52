"""The 2-D playground over the socket: its config fields, the test figures in every snapshot, the boundary
through input features, and ``set_weight`` — with Flask-SocketIO's test client and a live server."""
from __future__ import annotations

import json

import numpy as np
import pytest
from server_cases import NAN, configured, names, wait_until

from app.schema import APP_FIELDS
from engine import config, presets

TEST_FIGURES = ("test_loss", "test_error", "test_accuracy")


@pytest.mark.parametrize("config", [
    {"preset": "overfitting"},
    {"preset": "spiral", "test_fraction": 0.25, "regularization": "l1", "reg_rate": 0.001},
    {"preset": "regression-bumps"},
])
def test_a_split_run_sends_the_engines_test_figures_in_snapshots_and_curves(sio, config):
    got = configured(sio, config)
    setup = presets.build(config, APP_FIELDS)
    network, first = got["network"], got["snapshot"]
    assert network["config"] == setup.config
    assert network["test"]["n_samples"] == setup.test.n_samples == round(setup.config["n_points"]
                                                                         * setup.config["test_fraction"])
    assert network["dataset"]["n_samples"] == setup.dataset.n_samples
    st = setup.trainer.state()
    assert first["test_loss"] == st.test_loss and first["test_error"] == st.test_error
    assert first["test_accuracy"] == (None if np.isnan(st.test_accuracy) else st.test_accuracy)
    for _ in range(3):
        sio.ack_snapshots()  # flow control: the next snapshot waits for the last one's ack
        assert sio.call("step", {"unit": "epoch"})["ok"] is True
    setup.trainer.run(3)
    last = [p for n, p in sio.received() if n == "snapshot"][-1]
    h = setup.trainer.history
    assert last["curve"]["test_loss"] == h["test_loss"].tolist()
    assert last["curve"]["test_error"] == h["test_error"].tolist()
    assert last["test_loss"] == setup.trainer.state().test_loss
    json.dumps(last, allow_nan=False)


def test_without_a_split_the_test_figures_are_null(sio):
    got = configured(sio, {"preset": "binary-2-5-5-1"})
    assert got["network"]["test"] is None
    assert all(got["snapshot"][k] is None for k in TEST_FIGURES)
    assert all(got["snapshot"]["curve"][k] is None for k in TEST_FIGURES)


def test_the_boundary_is_drawn_through_the_input_features(sio):
    got = configured(sio, {"preset": "circle-features"})
    b = got["snapshot"]["boundary"]
    setup = presets.build({"preset": "circle-features"})
    xs = np.linspace(-1.5, 1.5, b["n"])
    gx, gy = np.meshgrid(xs, xs)
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    expected = setup.net.predict(np.column_stack([grid[:, 0] ** 2, grid[:, 1] ** 2]))[:, 0].reshape(b["n"], b["n"])
    np.testing.assert_allclose(np.array(b["values"]), expected, rtol=1e-12)
    assert got["network"]["dataset"]["features"] == ["x1^2", "x2^2"]
    assert len(got["network"]["dataset"]["points"]) == setup.dataset.n_samples


@pytest.mark.parametrize("override, field", [
    ({"noise": 60}, "noise"),
    ({"n_points": 10}, "n_points"),
    ({"data_seed": -1}, "data_seed"),
    ({"test_fraction": 1}, "test_fraction"),
    ({"regularization": "dropout"}, "regularization"),
    ({"reg_rate": NAN}, "reg_rate"),
    ({"features": ["x9"]}, "features"),
    ({"features": "x1"}, "features"),
    ({"dataset": "sine", "features": ["x1x2"]}, "features"),
    ({"dataset": "reg-plane", "loss": "bce"}, "loss"),
])
def test_bad_playground_fields_are_refused_naming_the_field(sio, override, field):
    configured(sio, {"preset": "spiral"})
    ack = sio.call("configure", {"preset": "spiral", **override})
    assert ack["ok"] is False and ack["error"]["field"] == field
    assert ack["error"]["message"].startswith(f"{config.BY_NAME[field].label} ({field}): ")
    assert names(sio.received()) == ["error"]


@pytest.mark.parametrize("payload, where", [
    ({"layer": 0, "row": 1, "col": 2, "value": 1.5}, ("weights", 0, 1, 2)),
    ({"layer": 2, "row": 7, "col": 0, "value": -3}, ("weights", 2, 7, 0)),
    ({"layer": 1, "bias": 4, "value": 0.25}, ("biases", 1, 4)),
])
def test_set_weight_changes_one_number_and_the_next_epoch_starts_from_it(sio, payload, where):
    configured(sio, {"preset": "spiral"})
    assert sio.call("step", {"unit": "epoch"})["ok"] is True
    sio.received()
    sio.ack_snapshots()
    ack = sio.call("set_weight", payload)
    assert ack == {"ok": True, "epoch": 1}
    got = sio.received()
    assert names(got) == ["snapshot", "runs"]
    assert got[1][1]["runs"][0]["edits"] == [{"epoch": 1, **payload}]  # for the page's link
    snap = got[0][1]
    kind, layer, *idx = where
    value = snap[kind][layer]
    for i in idx:
        value = value[i]
    assert value == payload["value"]
    setup = presets.build({"preset": "spiral"})  # the same change by hand in the engine
    setup.trainer.run(1)
    (setup.net.weights if kind == "weights" else setup.net.biases)[layer][tuple(idx)] = payload["value"]
    assert snap["weights"] == [w.tolist() for w in setup.net.weights]
    assert snap["loss"] == setup.trainer.state().loss
    sio.ack_snapshots()
    sio.call("step", {"unit": "epoch"})
    setup.trainer.run(1)
    last = [p for n, p in sio.received() if n == "snapshot"][-1]
    assert last["weights"] == [w.tolist() for w in setup.net.weights]


@pytest.mark.parametrize("payload, field", [
    ({"layer": 3, "row": 0, "col": 0, "value": 1}, "layer"),
    ({"layer": 0, "row": 2, "col": 0, "value": 1}, "row"),
    ({"layer": 0, "row": 0, "col": 8, "value": 1}, "col"),
    ({"layer": 0, "row": 0, "col": 0, "value": NAN}, "value"),
    ({"layer": 0, "row": 0, "col": 0, "value": "1"}, "value"),
    ({"layer": 0, "row": 0, "col": 0, "value": 1e9}, "value"),
    ({"layer": 0, "row": 0, "value": 1}, "payload"),
    ({"layer": 0, "bias": 0, "row": 0, "col": 0, "value": 1}, "payload"),
    ({"layer": 0, "bias": 8, "value": 1}, "bias"),
    ({"layer": 0, "row": 0, "col": 0}, "value"),
    ({"row": 0, "col": 0, "value": 1}, "layer"),
    ({"layer": 0, "row": 0, "col": 0, "value": 1, "colour": 2}, "colour"),
])
def test_bad_set_weight_names_the_field_and_changes_nothing(sio, payload, field):
    got = configured(sio, {"preset": "spiral"})
    ack = sio.call("set_weight", payload)
    assert ack["ok"] is False and ack["error"]["field"] == field, ack
    assert names(sio.received()) == ["error"]
    sio.ack_snapshots()
    sio.call("step", {"unit": "epoch"})
    setup = presets.build({"preset": "spiral"})
    setup.trainer.run(1)
    last = [p for n, p in sio.received() if n == "snapshot"][-1]
    assert last["weights"] == [w.tolist() for w in setup.net.weights]
    assert got["snapshot"]["epoch"] == 0


def test_set_bias_on_a_network_without_biases_says_so(sio):
    configured(sio, {"preset": "letters"})
    ack = sio.call("set_weight", {"layer": 0, "bias": 0, "value": 1.0})
    assert ack["ok"] is False and ack["error"] == {"event": "set_weight", "field": "bias",
                                                   "message": "bias: this network has no biases"}


def test_set_weight_in_the_mistake_lab_changes_both_networks(sio):
    got = configured(sio, {"preset": "spiral", "variant": "flipped-sign", "compare": True})
    assert got["snapshot"]["companion"]["weights"] == got["snapshot"]["weights"]
    sio.ack_snapshots()
    sio.call("set_weight", {"layer": 0, "row": 0, "col": 0, "value": 2.0})
    snap = [p for n, p in sio.received() if n == "snapshot"][-1]
    assert snap["weights"][0][0][0] == snap["companion"]["weights"][0][0][0] == 2.0


@pytest.mark.live
def test_live_set_weight_while_training_and_test_curves_over_a_real_socket(connect):
    r = connect()
    assert r.call("configure", {"preset": "overfitting"})["ok"] is True
    assert r.call("start", {"speed": "max"})["ok"] is True
    r.wait_for("snapshot", lambda p: p["epoch"] >= 200, timeout=30)
    ack = r.call("set_weight", {"layer": 3, "row": 0, "col": 0, "value": 7.5})
    assert ack["ok"] is True
    r.wait_for("snapshot", lambda p: p["weights"][3][0][0] == 7.5 and p["epoch"] == ack["epoch"], timeout=30)
    paused = r.call("pause")
    last = r.wait_for("snapshot", lambda p: p["epoch"] == paused["epoch"] and "curve" in p, timeout=30)
    assert wait_until(lambda: r.events["status"] and r.events["status"][-1]["state"] == "paused", timeout=10)
    curve = last["curve"]
    assert len(curve["test_loss"]) == len(curve["loss"]) == len(curve["epochs"])
    assert all(isinstance(v, float) for v in curve["test_loss"])
    assert isinstance(last["test_loss"], float) and isinstance(last["test_accuracy"], float)


def test_a_1d_dataset_gets_its_fitted_curve_as_the_engine_computes_it(sio):
    got = configured(sio, {"preset": "sine-curve"})
    b = got["snapshot"]["boundary"]
    setup = presets.build({"preset": "sine-curve"})
    assert (b["dims"], b["n"], b["extent"]) == (1, 121, [-1.5, 1.5, -1.5, 1.5])
    xs = np.linspace(-1.5, 1.5, 121).reshape(-1, 1)
    np.testing.assert_array_equal(b["values"], setup.net.predict(xs)[:, 0])
    assert got["network"]["dataset"]["kind"] == "1d" and got["network"]["test"]["n_samples"] == 40
