"""The Trainer's playground side: a held-out test set in the history, regression figures, a weight or bias
typed in by hand, and points added while the run goes on."""
from __future__ import annotations

import numpy as np
import pytest

from engine import Network, Trainer, fastpath
from engine.datasets import load, split
from engine.losses import total


def make_net(**kw):
    return Network([2, 5, 1], activation="tanh", output_activation="sigmoid", loss="bce", seed=4, **kw)


@pytest.fixture
def circles():
    return split(load("circles", n_points=60, noise=20), 0.25, seed=1)


def figures_by_hand(net, X, Y, reduction="mean"):
    out = net.predict(X)
    return total("bce", reduction, out, Y), np.abs(Y - out).mean(), ((out[:, 0] > 0.5) == (Y[:, 0] > 0.5)).mean()


@pytest.mark.parametrize("batch", ["full", 7, "sample"])
@pytest.mark.parametrize("fast", [True, False])
def test_test_figures_are_the_held_out_points_at_the_start_of_each_epoch(monkeypatch, circles, batch, fast):
    train, test = circles
    if not fast:
        monkeypatch.setattr(fastpath, "applies", lambda trainer: False)
    t = Trainer(make_net(), train.X, train.Y, eta=0.5, batch=batch, shuffle=True, shuffle_seed=2,
                X_test=test.X, Y_test=test.Y)
    expected = []
    for _ in range(4):
        expected.append(figures_by_hand(t.net, test.X, test.Y))
        t.run(1)
    h = t.history
    for e, (loss, error, accuracy) in enumerate(expected):
        assert (h["test_loss"][e], h["test_error"][e], h["test_accuracy"][e]) == (loss, error, accuracy)


@pytest.mark.parametrize("batch", ["full", 7, "sample"])
def test_test_points_are_never_trained_on(circles, batch):
    train, test = circles
    with_test = Trainer(make_net(), train.X, train.Y, eta=0.5, batch=batch, X_test=test.X, Y_test=test.Y)
    without = Trainer(make_net(), train.X, train.Y, eta=0.5, batch=batch)
    with_test.run(300)  # crosses a history chunk
    without.run(300)
    for p, q in zip(with_test.net.weights + with_test.net.biases, without.net.weights + without.net.biases,
                    strict=True):
        np.testing.assert_array_equal(p, q)
    for k in ("loss", "error", "accuracy"):
        np.testing.assert_array_equal(with_test.history[k], without.history[k])
    assert len(with_test.history["test_loss"]) == 300


def test_stepping_samples_records_the_same_test_figures_as_running(circles):
    train, test = circles
    stepped = Trainer(make_net(), train.X, train.Y, eta=0.5, batch="sample", X_test=test.X, Y_test=test.Y)
    run = Trainer(make_net(), train.X, train.Y, eta=0.5, batch="sample", X_test=test.X, Y_test=test.Y)
    for _ in range(2 * train.n_samples):
        stepped.step_sample()
    run.run(2)
    for k in ("test_loss", "test_error", "test_accuracy"):
        np.testing.assert_allclose(stepped.history[k], run.history[k], rtol=1e-12)


def test_state_carries_the_test_figures_and_the_penalty(circles):
    train, test = circles
    net = make_net(regularization="l2", reg_rate=0.1)
    t = Trainer(net, train.X, train.Y, eta=0.5, X_test=test.X, Y_test=test.Y)
    t.run(5)
    st = t.state()
    loss, error, accuracy = figures_by_hand(net, test.X, test.Y)
    assert (st.test_loss, st.test_error, st.test_accuracy) == (loss, error, accuracy)
    assert st.penalty == net.penalty() > 0
    assert st.loss + st.penalty == pytest.approx(net.loss(train.X, train.Y), rel=1e-15)
    bare = Trainer(make_net(), train.X, train.Y).state()
    assert (bare.test_loss, bare.test_error, bare.test_accuracy, bare.penalty) == (None, None, None, 0.0)


def test_a_diverging_run_keeps_train_and_test_history_the_same_length(circles):
    train, test = circles
    net = Network([2, 5, 1], activation="relu", output_activation="linear", reduction="sum", seed=1)
    t = Trainer(net, train.X, train.Y, eta=50.0, X_test=test.X, Y_test=test.Y)
    ran = t.run(500)
    assert t.diverged is not None and ran < 500
    h = t.history
    assert len(h["loss"]) == len(h["test_loss"]) == len(h["test_accuracy"]) == ran


def test_regression_has_no_accuracy_and_measures_the_mean_absolute_error():
    train, test = split(load("reg-plane", n_points=80), 0.25, seed=0)
    net = Network([2, 4, 1], activation="tanh", output_activation="linear", loss="mse", seed=0)
    t = Trainer(net, train.X, train.Y, eta=0.1, X_test=test.X, Y_test=test.Y, task="regression")
    before = net.predict(test.X)
    t.run(3)
    h = t.history
    assert np.isnan(h["accuracy"]).all() and np.isnan(h["test_accuracy"]).all()
    assert h["test_error"][0] == np.abs(test.Y - before).mean()
    assert np.isnan(t.state().accuracy)


@pytest.mark.parametrize("layer, row, col", [(0, 0, 0), (0, 1, 4), (1, 4, 0)])
def test_set_weight_changes_one_entry_and_the_run_goes_on(circles, layer, row, col):
    train, _ = circles
    t = Trainer(make_net(), train.X, train.Y, eta=0.5)
    t.run(10)
    before = [w.copy() for w in t.net.weights]
    t.set_weight(layer, row, col, -2.5)
    assert t.net.weights[layer][row, col] == -2.5
    before[layer][row, col] = -2.5
    for w, v in zip(t.net.weights, before, strict=True):
        np.testing.assert_array_equal(w, v)
    t.run(5)
    assert t.epoch == 15 and len(t.history["loss"]) == 15


def test_the_next_epoch_starts_from_the_edited_weight(circles):
    train, _ = circles
    edited, fresh = Trainer(make_net(), train.X, train.Y, eta=0.5), Trainer(make_net(), train.X, train.Y, eta=0.5)
    edited.set_weight(1, 2, 0, 3.0)
    fresh.net.weights[1][2, 0] = 3.0
    edited.run(1)
    fresh.run(1)
    np.testing.assert_array_equal(edited.net.weights[0], fresh.net.weights[0])


def test_set_bias_changes_one_bias(circles):
    train, _ = circles
    t = Trainer(make_net(), train.X, train.Y)
    t.set_bias(0, 3, 0.75)
    assert t.net.biases[0].tolist() == [0.0, 0.0, 0.0, 0.75, 0.0]


@pytest.mark.parametrize("call, message", [
    (lambda t: t.set_weight(2, 0, 0, 1.0), "layer: 2 is not a whole number from 0 to 1"),
    (lambda t: t.set_weight(0, 2, 0, 1.0), "row: 2 is not a whole number from 0 to 1"),
    (lambda t: t.set_weight(1, 0, 1, 1.0), "col: 1 is not a whole number from 0 to 0"),
    (lambda t: t.set_weight(0, 0, True, 1.0), "col: True is not a whole number"),
    (lambda t: t.set_weight(0, 0, 0, float("nan")), "value: nan is not a finite number from -1000 to 1000"),
    (lambda t: t.set_weight(0, 0, 0, 1e4), "value: 10000.0 is not a finite number from -1000 to 1000"),
    (lambda t: t.set_weight(0, 0, 0, "1"), "value: '1' is not a finite number"),
    (lambda t: t.set_bias(0, 5, 1.0), "bias: 5 is not a whole number from 0 to 4"),
])
def test_bad_edits_name_the_field_and_range_and_change_nothing(circles, call, message):
    train, _ = circles
    t = Trainer(make_net(), train.X, train.Y)
    before = [w.copy() for w in t.net.weights + t.net.biases]
    with pytest.raises(ValueError, match="^" + message):
        call(t)
    for w, v in zip(t.net.weights + t.net.biases, before, strict=True):
        np.testing.assert_array_equal(w, v)


def test_set_bias_on_a_network_without_biases_says_so(circles):
    train, _ = circles
    t = Trainer(make_net(bias=False), train.X, train.Y)
    with pytest.raises(ValueError, match="^bias: this network has no biases"):
        t.set_bias(0, 0, 1.0)


@pytest.mark.parametrize("batch", ["full", 4])
def test_added_points_join_training_without_a_restart(circles, batch):
    train, _ = circles
    extra_X, extra_Y = np.array([[0.0, 0.0], [1.2, -1.2]]), np.array([[1.0], [0.0]])
    t = Trainer(make_net(), train.X, train.Y, eta=0.5, batch=batch)
    t.run(20)
    start = [w.copy() for w in t.net.weights + t.net.biases]
    t.add_points(extra_X, extra_Y)
    t.run(3)
    assert t.epoch == 23 and len(t.history["loss"]) == 23
    assert t.X.shape == (train.n_samples + 2, 2)
    ref_net = make_net()
    ref_net.weights[:], ref_net.biases[:] = start[:2], start[2:]
    ref = Trainer(ref_net, np.vstack([train.X, extra_X]), np.vstack([train.Y, extra_Y]), eta=0.5, batch=batch)
    ref.run(3)
    for p, q in zip(t.net.weights + t.net.biases, ref.net.weights + ref.net.biases, strict=True):
        np.testing.assert_array_equal(p, q)
    np.testing.assert_array_equal(t.history["loss"][20:], ref.history["loss"])


def test_points_wait_for_a_sample_by_sample_epoch_to_finish(circles):
    train, _ = circles
    t = Trainer(make_net(), train.X, train.Y, batch="sample")
    t.step_sample()
    with pytest.raises(ValueError, match="^points: finish the sample-by-sample epoch"):
        t.add_points([[0.0, 0.0]], [[1.0]])
    assert t.X.shape[0] == train.n_samples


def test_added_points_must_fit_the_network(circles):
    train, _ = circles
    t = Trainer(make_net(), train.X, train.Y)
    with pytest.raises(ValueError, match=r"^X: shape \(1, 3\) does not match \(n_samples, 2\)"):
        t.add_points([[0.0, 0.0, 0.0]], [[1.0]])
