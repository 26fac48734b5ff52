"""The 2-D presets that learn from their defaults, and the playground's config fields in ``build``.

Each claim a preset's description makes is checked here on the engine's own numbers: the spiral and the
circle reach 95 % training accuracy, the overfitting demo's test loss rises while its training loss falls and
L2 cures it, and the regression presets' mean absolute error falls to the noise level.
"""
from __future__ import annotations

import re

import numpy as np
import pytest

from engine import config, presets

NEW = ["spiral", "circle-features", "overfitting", "regression-bumps", "sine-curve"]


def trained(config, epochs=None):
    s = presets.build(config)
    s.trainer.run(epochs if epochs is not None else s.preset["epochs"])
    return s, s.trainer.history


def test_the_playground_presets_follow_the_seed_presets():
    assert [p["name"] for p in presets.list_presets()][5:] == NEW


@pytest.mark.parametrize("name", NEW)
def test_a_playground_preset_speaks_plain_words(name):
    p = presets.meta(name)
    assert p["origin"] == "" and len(p["description"]) > 200
    assert not re.search(r"\bseed (file|00\d)|asker|Nielsen", p["description"])


@pytest.mark.parametrize("data_seed", [0, 1])
def test_the_spiral_reaches_95_percent_on_its_training_points(data_seed):
    s, h = trained({"preset": "spiral", "data_seed": data_seed})
    assert s.net.sizes == [2, 8, 8, 1] and s.dataset.n_samples == 300
    assert h["accuracy"][0] < 0.7
    assert s.trainer.state().accuracy >= 0.95


def test_the_circle_needs_its_squared_features():
    s, _ = trained({"preset": "circle-features"})
    assert s.net.sizes == [2, 1] and s.dataset.features == ("x1^2", "x2^2")
    assert s.trainer.state().accuracy >= 0.95
    raw, _ = trained({"preset": "circle-features", "features": ["x1", "x2"]})
    assert raw.trainer.state().accuracy <= 0.65  # a straight line through a ring


@pytest.fixture(scope="module")
def overfit():
    return trained({"preset": "overfitting"})[1], trained({"preset": "overfitting", "regularization": "l2"})[1]


def test_overfitting_test_loss_rises_while_the_training_loss_falls(overfit):
    h, _ = overfit
    best = int(np.argmin(h["test_loss"]))
    assert 0 < best < len(h["test_loss"]) // 4
    assert h["test_loss"][-1] > 3 * h["test_loss"][best]
    assert h["loss"][-1] < 0.01 < h["loss"][best]
    assert h["accuracy"][-1] == 1.0 > h["test_accuracy"][-1]


def test_l2_cures_the_overfitting(overfit):
    plain, l2 = overfit
    assert l2["test_loss"][-1] < 1.1 * l2["test_loss"].min()
    assert l2["test_loss"][-1] < plain["test_loss"][-1] / 4
    assert l2["loss"][-1] > 0.2  # the penalty keeps it from memorising


def test_the_overfitting_preset_holds_out_half_its_points():
    s = presets.build({"preset": "overfitting"})
    assert (s.dataset.n_samples, s.test.n_samples) == (30, 30)
    np.testing.assert_array_equal(s.trainer.X_test, s.test.X)


@pytest.mark.parametrize("name, sizes, error", [("regression-bumps", [2, 8, 8, 1], 0.15),
                                                ("sine-curve", [1, 8, 8, 1], 0.08)])
def test_the_regression_presets_fit_down_to_the_noise(name, sizes, error):
    s, h = trained({"preset": name})
    assert s.net.sizes == sizes and s.dataset.task == "regression" and s.trainer.task == "regression"
    assert np.isnan(h["accuracy"]).all()
    assert h["error"][-1] < h["error"][0] / 3
    assert h["test_error"][-1] < error


def test_the_sine_with_its_own_feature_has_little_left_to_learn():
    plain = trained({"preset": "sine-curve"}, 100)[1]
    with_sine = trained({"preset": "sine-curve", "features": ["x1", "sin_x1"]}, 100)[1]
    assert with_sine["error"][-1] < plain["error"][-1] / 2


@pytest.mark.parametrize("override, expected", [
    ({"noise": 0, "n_points": 50, "data_seed": 7}, {"noise": 0.0, "n_points": 50, "data_seed": 7}),
    ({"test_fraction": 0.3}, {"test_fraction": 0.3}),
    ({"regularization": "l1", "reg_rate": 0.5}, {"regularization": "l1", "reg_rate": 0.5}),
    ({"features": ["x1x2"]}, {"features": ["x1x2"]}),
])
def test_the_playground_fields_reach_the_network_and_the_data(override, expected):
    s = presets.build({"preset": "spiral", **override})
    for k, v in expected.items():
        assert s.config[k] == v
    n = s.config["n_points"]
    n_test = round(n * s.config["test_fraction"])
    assert s.dataset.n_samples == n - n_test
    assert (s.test is None) == (n_test == 0)
    assert s.net.sizes[0] == len(s.config["features"])
    assert (s.net.regularization, s.net.reg_rate) == (s.config["regularization"], s.config["reg_rate"])


def test_the_seed_presets_keep_their_data_and_get_the_neutral_playground_defaults():
    s = presets.build({"preset": "binary-2-5-5-1"})
    playground = ("noise", "n_points", "data_seed", "test_fraction", "regularization", "reg_rate", "features")
    assert {k: s.config[k] for k in playground} == {k: config.BY_NAME[k].default for k in playground}
    assert s.test is None and s.net.regularization == "none" and s.trainer.X_test is None
    letters = presets.build({"preset": "letters", "noise": 30})
    assert letters.dataset.X.shape == (3, 30)  # the tables take no noise


@pytest.mark.parametrize("override, message", [
    ({"noise": 51}, "Noise (noise): 51 is not a number from 0 to 50"),
    ({"noise": "10"}, "Noise (noise): '10' is not a number from 0 to 50"),
    ({"n_points": 40}, "Points (n_points): 40 is not a whole number from 50 to 1000"),
    ({"n_points": 100.0}, "Points (n_points): 100.0 is not a whole number from 50 to 1000"),
    ({"data_seed": -3}, "Data seed (data_seed): -3 is not a whole number from 0 to 4294967295"),
    ({"test_fraction": 0.95}, "Test share (test_fraction): 0.95 is not a number from 0 to 0.9"),
    ({"regularization": "l3"}, "Regularization (regularization): 'l3' is not one of none, l1, l2"),
    ({"reg_rate": 10.5}, "Regularization rate (reg_rate): 10.5 is not a number from 0 to 10"),
    ({"features": "x1"}, "Input features (features): need a list of 1 to 7 of x1, x2"),
    ({"features": ["x1", "z"]}, "Input features (features): 'z' is not one of x1, x2, x1^2"),
    ({"dataset": "sine", "features": ["x2"]}, "Input features (features): 'x2' needs a second coordinate"),
    ({"dataset": "reg-plane"},
     "Loss (loss): 'reg-plane' is a regression dataset (real targets, no classes), so it needs 'mse'"),
    ({"preset": "letters", "features": ["x1^2"]},
     "Input features (features): only the generated datasets take input features"),
    ({"batch": 300}, "Batch (batch): 300 is not 'full', 'sample' or a whole number from 1 to 240"),
])
def test_bad_playground_fields_name_the_field_and_the_range(override, message):
    config = {"preset": "spiral", "test_fraction": 0.2, **override}
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        presets.build(config)
