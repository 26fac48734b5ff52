"""Backprop against central differences for every activation × output × loss × bias × reduction.

Valid combinations must agree to the gradcheck threshold; the invalid ones (ce without softmax, bce on an
output that can leave (0, 1), softmax on one unit) are refused with a ValueError naming the field.
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest

import engine
from engine.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from engine.losses import fits


def valid(output, loss):
    return fits(loss, output)  # the engine's own rule (engine/losses.py), which Network enforces


@pytest.mark.parametrize("loss, outputs", [("ce", {"softmax"}), ("bce", {"sigmoid", "softmax"}),
                                           ("mse", set(ACTIVATIONS))])
def test_each_loss_takes_exactly_these_outputs(loss, outputs):
    assert {o for o in ACTIVATIONS if fits(loss, o)} == outputs


COMBOS = list(itertools.product(HIDDEN_ACTIVATIONS, list(ACTIVATIONS), ["mse", "bce", "ce"], [True, False],
                                ["sum", "mean"]))


@pytest.mark.parametrize("activation, output, loss, bias, reduction",
                         [c for c in COMBOS if valid(c[1], c[2])])
def test_backprop_matches_central_differences(batch, activation, output, loss, bias, reduction):
    X, Y, one_hot = batch
    net = engine.Network([3, 4, 3, 2], activation=activation, output_activation=output, loss=loss,
                         reduction=reduction, bias=bias, init="xavier", seed=3)
    if bias:  # non-zero biases, so their gradient is exercised away from the start
        net.biases = [np.linspace(-0.3, 0.3, b.size) for b in net.biases]
    result = engine.gradcheck(net, X, one_hot if loss == "ce" else Y)
    assert result.ok, result.verdict
    assert result.max_error < 1e-5
    assert [c.layer for c in result.layers] == [1, 2, 3]
    assert all((c.biases is not None) == bias for c in result.layers)


@pytest.mark.parametrize("output, loss", [(o, l) for o in ACTIVATIONS for l in ("mse", "bce", "ce")
                                          if not valid(o, l)])
def test_invalid_output_and_loss_pairs_are_refused(output, loss):
    with pytest.raises(ValueError, match="^output_activation: loss '(ce|bce)'"):
        engine.Network([3, 2], output_activation=output, loss=loss)


def test_softmax_needs_two_outputs():
    with pytest.raises(ValueError, match="^output_activation: softmax needs at least 2 output neurons"):
        engine.Network([3, 1], output_activation="softmax")


def test_gradients_have_the_contract_shapes(batch):
    X, Y, _ = batch
    net = engine.Network([3, 4, 2], seed=0)
    g = net.gradients(X, Y)
    assert [w.shape for w in g.weights] == [(3, 4), (4, 2)]
    assert [b.shape for b in g.biases] == [(4,), (2,)]
    assert [d.shape for d in g.deltas] == [(5, 4), (5, 2)]
    trace = net.forward(X)
    assert trace.activations[0] is not None and np.array_equal(trace.activations[0], X)
    assert [z.shape for z in trace.zs] == [(5, 4), (5, 2)]


def test_a_gradient_step_lowers_the_cost(batch):
    X, Y, _ = batch
    net = engine.Network([3, 4, 2], seed=0)
    before = net.loss(X, Y)
    g = net.gradients(X, Y)
    for W, gw in zip(net.weights, g.weights, strict=True):
        W -= 0.1 * gw
    assert net.loss(X, Y) < before


@pytest.mark.parametrize("kwargs, message", [
    ({"sizes": [3]}, "sizes: need a list of 2 to 8 layer sizes"),
    ({"sizes": [3] * 9}, "sizes: need a list of 2 to 8"),
    ({"sizes": [3, 65]}, "sizes[1]: 65 is not a whole number from 1 to 64"),
    ({"sizes": [3, True]}, "sizes[1]: True is not a whole number"),
    ({"sizes": [3, 2], "activation": "softmax"}, "activation: 'softmax' is not one of"),
    ({"sizes": [3, 2], "loss": "l1"}, "loss: 'l1' is not one of mse, bce, ce"),
    ({"sizes": [3, 2], "reduction": "avg"}, "reduction: 'avg' is not one of sum, mean"),
    ({"sizes": [3, 2], "bias": 1}, "bias: must be true or false"),
    ({"sizes": [3, 2], "init": "zero"}, "init: 'zero' is not one of"),
    ({"sizes": [3, 2], "seed": -1}, "seed: -1 is not a whole number"),
])
def test_bad_network_arguments_name_the_field(kwargs, message):
    with pytest.raises(ValueError, match="^" + message.replace("[", r"\[").replace("]", r"\]")):
        engine.Network(**kwargs)


@pytest.mark.parametrize("X, Y, message", [
    (np.zeros((4, 2)), np.zeros((4, 1)), r"X: shape \(4, 2\) does not match \(n_samples, 3\)"),
    (np.zeros((4, 3)), np.zeros((3, 1)), "Y: 3 rows, but X has 4"),
    (np.full((4, 3), np.nan), np.zeros((4, 1)), "X: every value must be finite"),
    ([["a", "b", "c"]], [[0]], "X: must be numbers"),
])
def test_bad_data_is_refused(X, Y, message):
    net = engine.Network([3, 1], seed=0)
    with pytest.raises(ValueError, match="^" + message):
        net.loss(X, Y)
