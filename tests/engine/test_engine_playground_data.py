"""The playground's data: named 2-D and 1-D sets with noise in percent, a point count, a data seed, input features
as in TensorFlow Playground, and a seeded train/test split."""
from __future__ import annotations

import json

import numpy as np
import pytest

from engine import datasets
from engine.datasets import load, split

PLAYGROUND = (*datasets.CLASSIFICATION, *datasets.REGRESSION)


@pytest.mark.parametrize("name", PLAYGROUND)
def test_a_set_is_the_same_for_the_same_name_noise_count_and_data_seed(name):
    a, b = load(name, noise=20, n_points=120, data_seed=4), load(name, noise=20, n_points=120, data_seed=4)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.Y, b.Y)
    assert a.params == {"noise": 20.0, "n_points": 120, "data_seed": 4}


@pytest.mark.parametrize("name", PLAYGROUND)
@pytest.mark.parametrize("change", [{"data_seed": 5}, {"noise": 30}])
def test_a_new_data_seed_or_noise_gives_new_points(name, change):
    a, b = load(name, noise=20, data_seed=4), load(name, **{"noise": 20, "data_seed": 4, **change})
    assert not (np.array_equal(a.X, b.X) and np.array_equal(a.Y, b.Y))


@pytest.mark.parametrize("name", PLAYGROUND)
@pytest.mark.parametrize("n_points", [50, 333, 1000])
def test_n_points_is_the_number_of_rows(name, n_points):
    d = load(name, n_points=n_points)
    assert d.X.shape[0] == d.Y.shape[0] == d.n_samples == n_points


@pytest.mark.parametrize("name", datasets.CLASSIFICATION)
def test_classification_sets_are_two_balanced_classes_in_the_plane(name):
    d = load(name, n_points=200, noise=50)
    assert (d.kind, d.task, d.X.shape, d.labels) == ("2d", "classification", (200, 2), ["0", "1"])
    assert d.Y.sum() == 100 and set(np.unique(d.Y)) == {0.0, 1.0}
    assert np.abs(d.X).max() <= 1.5


@pytest.mark.parametrize("name, kind, truth", [
    ("reg-plane", "2d", lambda P: (P[:, 0] + P[:, 1]) / 3),
    ("sine", "1d", lambda P: np.sin(np.pi * P[:, 0])),
])
def test_noise_0_regression_targets_are_the_function_itself(name, kind, truth):
    d = load(name, noise=0, n_points=80)
    assert (d.kind, d.task, d.labels) == (kind, "regression", [])
    np.testing.assert_array_equal(d.Y[:, 0], truth(d.points))


@pytest.mark.parametrize("noise", [10, 40])
def test_regression_noise_is_a_percent_of_the_targets_scale(noise):
    clean, noisy = load("reg-plane", noise=0, n_points=1000), load("reg-plane", noise=noise, n_points=1000)
    residual = noisy.Y - clean.Y  # the same seed draws the same points, then the noise
    np.testing.assert_array_equal(noisy.points, clean.points)
    assert residual.std() == pytest.approx(noise / 100 * datasets.SCALE, rel=0.1)


def test_noise_0_circles_sit_on_their_rings():
    d = load("circles", noise=0, n_points=400)
    r = np.hypot(d.X[:, 0], d.X[:, 1])
    assert r[d.Y[:, 0] == 1].max() <= 0.5 and r[d.Y[:, 0] == 0].min() >= 0.8


def test_the_defaults_keep_seed_003s_moons():
    np.testing.assert_array_equal(load("moons").X, datasets.generate("moons", n=100, noise=0.1, seed=0).X)


@pytest.mark.parametrize("features, columns", [
    (["x1", "x2"], lambda P: [P[:, 0], P[:, 1]]),
    (["x1^2", "x2^2"], lambda P: [P[:, 0] ** 2, P[:, 1] ** 2]),
    (["x1x2"], lambda P: [P[:, 0] * P[:, 1]]),
    (["sin_x1", "sin_x2", "x1"], lambda P: [np.sin(np.pi * P[:, 0]), np.sin(np.pi * P[:, 1]), P[:, 0]]),
    (list(datasets.FEATURES), lambda P: [P[:, 0], P[:, 1], P[:, 0] ** 2, P[:, 1] ** 2, P[:, 0] * P[:, 1],
                                         np.sin(np.pi * P[:, 0]), np.sin(np.pi * P[:, 1])]),
])
def test_features_are_the_network_inputs_one_column_each(features, columns):
    d = load("circles", features=features)
    assert d.X.shape == (100, len(features)) and d.features == tuple(features)
    np.testing.assert_array_equal(d.X, np.stack(columns(d.points), axis=1))
    np.testing.assert_array_equal(d.inputs(d.points), d.X)


@pytest.mark.parametrize("features, width", [(None, 1), (["x1", "x2"], 1), (["x1", "x1^2", "sin_x1"], 3)])
def test_the_1d_sine_takes_the_features_of_x1(features, width):
    d = load("sine", features=features)
    assert d.X.shape == (100, width) and d.points.shape == (100, 1)


@pytest.mark.parametrize("name, kwargs, message", [
    ("swirl", {}, "dataset: 'swirl' is not one of xor-table, letters, xor, circles, gauss"),
    ("moons", {"noise": 51}, "noise: 51 is not a number from 0 to 50"),
    ("moons", {"noise": -1}, "noise: -1 is not a number from 0 to 50"),
    ("moons", {"noise": True}, "noise: True is not a number from 0 to 50"),
    ("moons", {"n_points": 49}, "n_points: 49 is not a whole number from 50 to 1000"),
    ("moons", {"n_points": 1001}, "n_points: 1001 is not a whole number from 50 to 1000"),
    ("moons", {"n_points": 60.0}, "n_points: 60.0 is not a whole number from 50 to 1000"),
    ("moons", {"data_seed": -1}, "data_seed: -1 is not a whole number from 0 to 4.29497e\\+09"),
    ("moons", {"features": []}, "features: need a list of 1 to 7 of x1, x2"),
    ("moons", {"features": "x1"}, "features: need a list of 1 to 7"),
    ("moons", {"features": ["x3"]}, "features: 'x3' is not one of x1, x2, x1\\^2"),
    ("moons", {"features": ["x1", "x1"]}, "features: \\['x1', 'x1'\\] names a feature twice"),
    ("sine", {"features": ["x1", "x1x2"]}, "features: 'x1x2' needs a second coordinate; this dataset has only x1"),
    ("letters", {"features": ["x1^2"]}, "features: only the generated datasets take input features"),
])
def test_bad_data_settings_name_the_field_and_the_allowed_range(name, kwargs, message):
    with pytest.raises(ValueError, match="^" + message):
        load(name, **kwargs)


@pytest.mark.parametrize("fraction, n_test", [(0.1, 20), (0.5, 100), (0.9, 180), (0.0025, 0)])
def test_split_holds_out_a_fraction_and_never_shares_a_point(fraction, n_test):
    d = load("spirals", n_points=200)
    train, test = split(d, fraction, seed=3)
    if n_test == 0:
        assert train is d and test is None
        return
    assert (train.n_samples, test.n_samples) == (200 - n_test, n_test)
    rows = {tuple(x) for x in train.X} | {tuple(x) for x in test.X}
    assert len(rows) == 200 and not {tuple(x) for x in train.X} & {tuple(x) for x in test.X}
    assert train.features == test.features == d.features


def test_split_is_seeded_and_leaves_one_point_to_train_on():
    d = load("xor", n_points=50)
    a, b, c = split(d, 0.3, 1), split(d, 0.3, 1), split(d, 0.3, 2)
    np.testing.assert_array_equal(a[1].X, b[1].X)
    assert not np.array_equal(a[1].X, c[1].X)
    assert split(datasets.xor_table(), 0.9, 0)[0].n_samples == 1


@pytest.mark.parametrize("fraction", [-0.1, 0.91, "0.5", None])
def test_a_bad_test_fraction_names_the_field(fraction):
    with pytest.raises(ValueError, match="^test_fraction: .* is not a number from 0 to 0.9"):
        split(load("xor"), fraction)


def test_one_hot_leaves_regression_targets_alone():
    d = load("reg-gauss")
    assert d.one_hot() is d


@pytest.mark.parametrize("features, has_points", [(None, False), (["x1", "x1^2"], True)])
def test_as_dict_carries_the_points_only_when_the_inputs_are_not_the_points(features, has_points):
    d = load("sine", features=features).as_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["task"] == "regression" and d["kind"] == "1d"
    assert ("points" in d) == has_points and d["features"] == (features or ["x1"])
