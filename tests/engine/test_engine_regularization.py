"""L1 and L2 regularisation: a penalty on the weights only, added once per batch after the reduction.

L2 adds λ/2·Σw² to the cost and λ·w to ∂C/∂W; L1 adds λ·Σ|w| and λ·sign(w).  Central differences of
``net.loss`` (which includes the penalty) must agree with ``net.gradients`` for every hidden activation, every
valid output and loss, and both reductions; the fast path and per-sample stepping must make the same steps.
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest

import engine
from engine import Network, Trainer, fastpath
from engine.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from engine.losses import LOSSES, REDUCTIONS, fits


def valid(output, loss):
    return fits(loss, output)  # the engine's own rule (engine/losses.py), which Network enforces


COMBOS = [c for c in itertools.product(("l1", "l2"), HIDDEN_ACTIVATIONS, ACTIVATIONS, LOSSES, REDUCTIONS)
          if valid(c[2], c[3])]


def regularised(reg, rate=0.05, **kw):
    return Network([3, 4, 3, 2], regularization=reg, reg_rate=rate, init="xavier", seed=3, **kw)


@pytest.mark.parametrize("reg, activation, output, loss, reduction", COMBOS)
def test_regularised_backprop_matches_central_differences(batch, reg, activation, output, loss, reduction):
    X, Y, one_hot = batch
    net = regularised(reg, 0.3, activation=activation, output_activation=output, loss=loss, reduction=reduction)
    net.biases = [np.linspace(-0.3, 0.3, b.size) for b in net.biases]
    result = engine.gradcheck(net, X, one_hot if loss == "ce" else Y)
    assert result.ok, result.verdict
    assert result.max_error < 1e-5


@pytest.mark.parametrize("reg, expected", [
    ("l2", lambda ws, lam: lam / 2 * sum((W ** 2).sum() for W in ws)),
    ("l1", lambda ws, lam: lam * sum(np.abs(W).sum() for W in ws)),
    ("none", lambda ws, lam: 0.0),
])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_the_loss_is_the_data_cost_plus_the_penalty_once(batch, reg, expected, reduction):
    X, Y, _ = batch
    net = regularised(reg, 0.2, reduction=reduction)
    plain = regularised("none", reduction=reduction)
    assert net.penalty() == pytest.approx(expected(net.weights, 0.2), rel=1e-15)
    assert net.loss(X, Y) == pytest.approx(plain.loss(X, Y) + expected(net.weights, 0.2), rel=1e-15)


@pytest.mark.parametrize("reg, term", [("l2", lambda W: 0.2 * W), ("l1", lambda W: 0.2 * np.sign(W))])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("rows", [1, 5])
def test_the_penalty_joins_the_weight_gradients_once_per_batch_and_never_the_biases(batch, reg, term, reduction,
                                                                                    rows):
    X, Y, _ = batch
    net, plain = regularised(reg, 0.2, reduction=reduction), regularised("none", reduction=reduction)
    g, h = net.gradients(X[:rows], Y[:rows]), plain.gradients(X[:rows], Y[:rows])
    for gw, hw, W in zip(g.weights, h.weights, net.weights, strict=True):
        np.testing.assert_array_equal(gw, hw + term(W))
    for gb, hb in zip(g.biases, h.biases, strict=True):
        np.testing.assert_array_equal(gb, hb)
    for gd, hd in zip(g.deltas, h.deltas, strict=True):
        np.testing.assert_array_equal(gd, hd)


@pytest.mark.parametrize("reg", ["l1", "l2"])
@pytest.mark.parametrize("batch_mode, shuffle", [("full", False), (2, False), (2, True), ("sample", True)])
def test_the_fast_path_regularises_bit_for_bit_like_the_general_path(monkeypatch, batch, reg, batch_mode, shuffle):
    X, Y, _ = batch
    fast = Trainer(regularised(reg), X, Y, eta=0.4, batch=batch_mode, shuffle=shuffle, shuffle_seed=9)
    assert fastpath.applies(fast)
    fast.run(30)
    monkeypatch.setattr(fastpath, "applies", lambda trainer: False)
    slow = Trainer(regularised(reg), X, Y, eta=0.4, batch=batch_mode, shuffle=shuffle, shuffle_seed=9)
    slow.run(30)
    for p, q in zip(fast.net.weights + fast.net.biases, slow.net.weights + slow.net.biases, strict=True):
        np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize("reg", ["l1", "l2"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_step_sample_adds_the_penalty_once_when_the_batch_is_applied(batch, reg, reduction):
    X, Y, _ = batch
    stepped = Trainer(regularised(reg, 0.2, reduction=reduction), X, Y, eta=0.2)
    whole = Trainer(regularised(reg, 0.2, reduction=reduction), X, Y, eta=0.2)
    for _ in range(5):
        stepped.step_sample()
    whole.run(1)
    for p, q in zip(stepped.net.weights + stepped.net.biases, whole.net.weights + whole.net.biases, strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-15)


def test_l2_pulls_weights_towards_zero_where_the_data_does_not_care():
    X = np.zeros((4, 2))  # the inputs are 0, so the first layer's data gradient is exactly 0
    Y = np.full((4, 1), 0.5)
    net = Network([2, 3, 1], regularization="l2", reg_rate=0.5, seed=1)
    W0 = net.weights[0].copy()
    Trainer(net, X, Y, eta=0.1).run(10)
    np.testing.assert_allclose(net.weights[0], W0 * (1 - 0.1 * 0.5) ** 10, rtol=1e-12)


def test_the_config_reports_the_regularisation():
    net = Network([2, 1], regularization="l1", reg_rate=0.01)
    assert net.config()["regularization"] == "l1" and net.config()["reg_rate"] == 0.01
    assert Network([2, 1]).config()["regularization"] == "none"


@pytest.mark.parametrize("kwargs, message", [
    ({"regularization": "l3"}, "regularization: 'l3' is not one of none, l1, l2"),
    ({"regularization": "l2", "reg_rate": -1}, "reg_rate: -1.0 must be finite and between 0 and 10"),
    ({"regularization": "l2", "reg_rate": 11}, "reg_rate: 11.0 must be finite and between 0 and 10"),
    ({"regularization": "l2", "reg_rate": "a"}, "reg_rate: must be a number, got 'a'"),
])
def test_bad_regularisation_names_the_field_and_range(kwargs, message):
    with pytest.raises(ValueError, match="^" + message):
        Network([2, 1], **kwargs)
