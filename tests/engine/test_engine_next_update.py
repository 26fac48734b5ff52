"""Trainer.next_update: the step the UPDATE card prints is the step ``run(1)`` takes, in every mode."""
from __future__ import annotations

import numpy as np
import pytest

from engine import Network, Trainer, presets, variants
from engine.inspect import _accuracy_rows

X = np.random.default_rng(1).normal(size=(5, 3))
Y = np.eye(2)[[0, 1, 1, 0, 1]]

MODES = {
    "full batch": dict(batch="full"),
    "per sample": dict(batch="sample"),
    "mini-batch of 2": dict(batch=2),
    "shuffled mini-batch": dict(batch=2, shuffle=True, shuffle_seed=3),
    "momentum, full batch": dict(batch="full", momentum=0.9),
    "momentum, per sample": dict(batch="sample", momentum=0.9),
    "1/epoch schedule": dict(batch="sample", schedule="inverse"),
    **{f"variant {name}": dict(batch="full", variant=v) for name, v in variants.VARIANTS.items()},
}


def make(**kw):
    net = Network([3, 4, 2], bias=True, init="xavier", seed=5)
    return Trainer(net, X, Y, eta=0.5, **kw)


def params(t):
    return [p.copy() for p in t.net.weights + t.net.biases]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("warmup", [0, 3])
def test_next_update_reaches_bit_for_bit_the_weights_of_the_next_epoch(mode, warmup):
    t = make(**MODES[mode])
    t.run(warmup)
    before = params(t)
    nxt = t.next_update()
    assert all(np.array_equal(p, q) for p, q in zip(params(t), before, strict=True)), "the trainer is untouched"
    assert nxt.epoch == warmup and nxt.eta == t.eta_at(warmup)
    t.run(1)
    for p, q in zip(nxt.weights + nxt.biases, t.net.weights + t.net.biases, strict=True):
        np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize("batch, steps", [("full", 1), ("sample", 5), (2, 3), (4, 2)])
def test_the_steps_of_an_epoch_add_up_to_its_change(batch, steps):
    t = make(batch=batch)
    t.run(2)
    w0 = t.net.weights[1].copy()
    nxt = t.next_update()
    assert nxt.steps == steps and len(nxt.step_weights) == steps
    np.testing.assert_allclose(w0 + sum(s[1] for s in nxt.step_weights), nxt.weights[1], rtol=0, atol=1e-15)


def test_an_epoch_begun_one_sample_at_a_time_is_finished_by_the_next_update():
    t = make(batch="sample", shuffle=True, shuffle_seed=7)
    t.run(1)
    t.step_sample()
    t.step_sample()
    nxt = t.next_update()
    assert nxt.steps == 3 and nxt.order == [int(i) for i in t._order[2:]]
    t.run(1)
    for p, q in zip(nxt.weights, t.net.weights, strict=True):
        np.testing.assert_array_equal(p, q)


def test_momentum_reports_the_velocity_before_and_after():
    t = make(batch="full", momentum=0.9)
    t.run(2)
    w, v = t.net.weights[0].copy(), t._velocity[0][0].copy()
    g = t.state().nabla_w[0]
    nxt = t.next_update()
    np.testing.assert_array_equal(nxt.velocity[0][0], v)
    np.testing.assert_allclose(nxt.velocity_after[0][0], 0.9 * v - 0.5 * g, rtol=1e-12)
    np.testing.assert_allclose(nxt.weights[0], w + 0.9 * v - 0.5 * g, rtol=1e-12)


@pytest.mark.parametrize("mode", ["per sample", "shuffled mini-batch", "momentum, per sample"])
def test_many_steps_are_summed_but_not_kept_one_by_one(mode):
    t = make(**MODES[mode])
    t.run(2)
    nxt = t.next_update(keep_steps=1)
    assert nxt.steps > 1 and nxt.step_weights == []
    t.run(1)
    for p, q in zip(nxt.weights, t.net.weights, strict=True):
        np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize("outputs, correct", [
    ([[0.0, 0.0]], [False]),  # a tie at the top is not an answer
    ([[0.9, 0.1]], [True]),
    ([[0.1, 0.9]], [False]),
])
def test_accuracy_does_not_count_a_tie_as_right(outputs, correct):
    assert _accuracy_rows(np.array(outputs), np.array([[1.0, 0.0]])).tolist() == correct


def test_one_sample_at_a_time_works_once_the_bias_not_summed_has_grown_a_row_per_sample():
    t = make(batch="full", variant=variants.VARIANTS["bias-not-summed"])
    t.run(2)
    assert t.net.biases[0].shape == (5, 4)
    traces = [t.step_sample() for _ in range(5)]
    assert [tr.applied for tr in traces] == [False] * 4 + [True] and t.epoch == 3
    assert traces[1].nabla_b[0][[0, 2, 3, 4]].tolist() == [[0.0] * 4] * 4  # only sample 1's own row moves


def test_next_update_leaves_a_held_out_test_sets_history_untouched():
    setup, twin = (presets.build({"preset": "spiral", "test_fraction": 0.25}) for _ in range(2))
    setup.trainer.run(3)
    setup.trainer.next_update()  # works on a copy: the buffered test outputs are this trainer's alone
    setup.trainer.run(2)
    twin.trainer.run(5)
    for k in ("loss", "test_loss", "test_error"):
        np.testing.assert_array_equal(setup.trainer.history[k], twin.trainer.history[k])
