"""Trainer.set_data: new training data, same run — weights, velocity, epoch and history go on."""
from __future__ import annotations

import numpy as np
import pytest

from engine import Network, Trainer
from engine.variants import VARIANTS

RNG = np.random.default_rng(7)
X1, Y1 = RNG.normal(size=(4, 3)), RNG.uniform(size=(4, 2))
X2, Y2 = RNG.normal(size=(6, 3)), RNG.uniform(size=(6, 2))


def make_net():
    return Network([3, 4, 2], bias=True, reduction="mean", init="xavier", seed=5)


def manual_run(net, X, Y, epochs, eta, momentum, velocity):
    """Full-batch descent with momentum, written out: v ← μv − η∇C, w ← w + v."""
    for _ in range(epochs):
        g = net.gradients(X, Y)
        for params, grads, vs in ((net.weights, g.weights, velocity[0]), (net.biases, g.biases, velocity[1])):
            for i, (p, gp) in enumerate(zip(params, grads, strict=True)):
                vs[i] = momentum * vs[i] - eta * gp
                p += vs[i]


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_training_goes_on_from_the_current_weights_and_velocity_on_the_new_data(momentum):
    net, ref = make_net(), make_net()
    t = Trainer(net, X1, Y1, eta=0.2, batch="full", momentum=momentum)
    t.run(5)
    t.set_data(X2, Y2)
    t.run(5)
    velocity = ([np.zeros_like(w) for w in ref.weights], [np.zeros_like(b) for b in ref.biases])
    manual_run(ref, X1, Y1, 5, 0.2, momentum, velocity)
    manual_run(ref, X2, Y2, 5, 0.2, momentum, velocity)
    for p, q in zip(net.weights + net.biases, ref.weights + ref.biases, strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-14)
    assert t.epoch == 10


def test_the_epoch_and_the_history_are_kept_and_the_change_is_recorded():
    t = Trainer(make_net(), X1, Y1, eta=0.2)
    t.run(300)  # more than one chunk of history, some of it not flushed yet
    before = {k: v.copy() for k, v in t.history.items() if v is not None}  # no test split: test_* are None
    t.set_data(X2, Y2)
    assert t.epoch == 300 and t.data_changes == [300]
    t.run(4)
    after = t.history
    assert len(after["loss"]) == 304
    for k in ("loss", "error", "accuracy"):
        np.testing.assert_array_equal(after[k][:300], before[k])
    state = t.state()
    assert state.outputs.shape == (6, 2) and state.epoch == 304


def test_a_change_is_recorded_once_per_epoch_after_the_first_and_a_reset_forgets_them():
    t = Trainer(make_net(), X1, Y1)
    t.set_data(X2, Y2)  # before the first epoch: the starting data, no mark
    t.run(3)
    t.set_data(X1, Y1)
    t.set_data(X2, Y2)  # twice at epoch 3: one mark
    assert t.data_changes == [3]
    t.reset_history()
    assert t.data_changes == []


@pytest.mark.parametrize("batch, size", [("full", 6), ("sample", 1), (3, 3)])
def test_the_batch_follows_the_new_number_of_samples(batch, size):
    t = Trainer(make_net(), X1, Y1, batch=batch)
    t.set_data(X2, Y2)
    assert t.batch_size == size
    t.run(2)
    assert len(t.history["loss"]) == 2


def test_data_that_does_not_fit_is_refused_and_changes_nothing():
    t = Trainer(make_net(), X2, Y2, batch=5)
    t.run(2)
    with pytest.raises(ValueError, match=r"^batch: 5 is not 'full', 'sample' or a whole number from 1 to 4$"):
        t.set_data(X1, Y1)
    with pytest.raises(ValueError, match=r"^X: "):
        t.set_data(X1[:, :2], Y1)
    assert t.X is not X1 and t.X.shape == (6, 3) and t.batch_size == 5 and t.data_changes == []


def test_the_bias_not_summed_variant_cannot_change_its_number_of_samples():
    t = Trainer(make_net(), X1, Y1, variant=VARIANTS["bias-not-summed"])
    t.run(1)
    with pytest.raises(ValueError, match="^data: the bias-not-summed variant keeps one bias row per sample"):
        t.set_data(X2, Y2)
    t.set_data(X1 + 0.5, Y1)  # same number of samples: fine
    assert t.data_changes == [1]


def test_an_epoch_begun_by_step_sample_is_abandoned():
    t = Trainer(make_net(), X1, Y1, batch="sample")
    t.step_sample()
    t.step_sample()
    t.set_data(X2, Y2)
    trace = t.step_sample()
    assert (trace.epoch, trace.position, t.epoch) == (0, 0, 0)
    t.run(1)  # finishes the epoch begun on the new data: 6 samples
    assert t.epoch == 1 and len(t.history["loss"]) == 1
