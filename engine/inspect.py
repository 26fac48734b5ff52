"""Inspecting a network on a dataset: the full picture at its current weights, and the one class rule.

``inspect(net, X, Y)`` makes one forward and one backward pass of the whole set and returns an ``EpochState``:
every z, a, δ and ∂C/∂W, the loss, error and accuracy (and the same figures on a test set).  ``predicted`` is
the class rule the accuracy counts by (the argmax, or for one output the midpoint of the targets); ``figures``
computes a run's curves (``FIGURES``) from many epochs' outputs at once, for the trainer's history.  Nothing here
trains: a network goes in, numbers come out.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import losses as _loss
from .network import Network, backprop, forward, penalty_grads
from .variants import CORRECT, Variant

FIGURES = ("loss", "error", "accuracy", "test_loss", "test_error", "test_accuracy")  # the curves a run shows and keeps


@dataclass
class EpochState:
    """Everything about the network at the start of ``epoch``, on the whole training set."""

    epoch: int
    weights: list
    biases: list
    zs: list
    activations: list
    deltas: list
    nabla_w: list
    nabla_b: list
    loss: float  # the data term; the whole cost is loss + penalty
    error: float  # mean |y − a|: for regression, the mean absolute error
    accuracy: float  # NaN for regression
    penalty: float = 0.0
    test_loss: float | None = None  # None without a test set
    test_error: float | None = None
    test_accuracy: float | None = None
    cost_derivative: np.ndarray | None = None  # ∂C/∂aᴸ per sample, before the reduction (``losses.grad_a``)
    penalty_grad: list | None = None  # the regulariser's term in nabla_w, per layer; None without one

    @property
    def outputs(self):
        return self.activations[-1]


def midpoint(Y):
    """The threshold of a one-output classifier: halfway between its two target values (0.5 for one value)."""
    return 0.5 * (Y.min() + Y.max()) if Y.min() != Y.max() else 0.5


def predicted(A, Y):
    """Which class each row of outputs ``A`` says, as the accuracy counts it (the one class rule): the argmax for
    several outputs, -1 when the top outputs tie (a tie is no answer); for one output, 1 above the midpoint of
    the targets ``Y`` (``midpoint``), else 0."""
    A = np.asarray(A)
    if A.shape[-1] > 1:
        top = A.max(axis=-1, keepdims=True)
        return np.where((A == top).sum(axis=-1) == 1, A.argmax(axis=-1), -1)
    return (A[..., 0] > midpoint(Y)).astype(int)


def target_class(Y):
    """The class of each target row: its argmax, or for one output 1 above the midpoint."""
    return predicted(Y, Y) if Y.shape[-1] == 1 else Y.argmax(axis=-1)


def _accuracy_rows(A, Y):
    """Per-row correctness: ``predicted`` equals the target's class (a tie for the top is never correct)."""
    return predicted(A, Y) == target_class(Y)


def figures(net, outs, Y, task="classification"):
    """(loss, error, accuracy) of each of the k epochs' outputs ``outs`` (k, n, m) against ``Y``: the reduced
    data term of the cost, the mean |y − a| and the share of rows whose ``predicted`` class is right (NaN for
    regression)."""
    k, (n, m) = outs.shape[0], Y.shape
    per = _loss.per_sample(net.loss_name, outs.reshape(k * n, m), np.tile(Y, (k, 1))).reshape(k, n)
    loss = per.sum(axis=1) if net.reduction == "sum" else per.mean(axis=1)
    accuracy = _accuracy_rows(outs, Y).mean(axis=1) if task == "classification" else np.full(k, np.nan)
    return loss, np.abs(Y - outs).mean(axis=(1, 2)), accuracy


def inspect(net: Network, X, Y, variant: Variant = CORRECT, *, X_test=None, Y_test=None, task="classification",
            epoch=0) -> EpochState:
    """The full picture of ``net`` on (X, Y) at its current weights, without a trainer: every z, a, δ and
    ∂C/∂W by ``variant``'s rule, the two pieces of it the loss and the regulariser give (∂C/∂aᴸ per sample and
    the penalty's term), the loss, error and accuracy (and the same figures on a test set)."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        trace = forward(net, X)
        g = backprop(net, trace, Y, variant)
        out = trace.activations[-1]
        cost_derivative = _loss.grad_a(net.loss_name, out, Y)
        loss, error, accuracy = (float(v[0]) for v in figures(net, out[None], Y, task))
        test = {}
        if X_test is not None:
            t = figures(net, forward(net, X_test).activations[-1][None], Y_test, task)
            test = {f"test_{k}": float(v[0]) for k, v in zip(("loss", "error", "accuracy"), t, strict=True)}
    return EpochState(
        epoch=int(epoch), weights=[w.copy() for w in net.weights], biases=[b.copy() for b in net.biases],
        zs=trace.zs, activations=trace.activations, deltas=g.deltas, nabla_w=g.weights, nabla_b=g.biases,
        loss=loss, error=error, accuracy=accuracy, penalty=net.penalty(), cost_derivative=cost_derivative,
        penalty_grad=penalty_grads(net), **test)
