"""A fully connected network and its backpropagation, in row layout.

Samples are rows: ``Z = A @ W + b`` with ``W`` of shape (n_in, n_out), as in
three of the four seed scripts.  ``backprop`` is one readable function whose
names follow the textbook (``zs``, ``activations``, ``deltas``, ``nabla_w``,
``nabla_b``) and whose BP1–BP4 lines say so.  The cost is reduced over the
batch by ``sum`` or ``mean``; every δ is the derivative of that reduced cost,
so ``W -= eta * nabla_w`` is a descent step.

Regularisation (``"l1"`` or ``"l2"`` with ``reg_rate`` λ) is a penalty on the
weights only, never the biases, added once per batch after the reduction:
L2 adds λ/2·Σw² to the cost and λ·w to ∂C/∂W; L1 adds λ·Σ|w| and λ·sign(w).
``net.loss`` and ``net.gradients`` include it; ``net.penalty()`` is the term
alone.

Deliberately simple: no autodiff, no layers other than dense, no GPU.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import activations as _act
from . import losses as _loss
from .checks import MAX_HIDDEN_LAYERS, MAX_WIDTH
from .init import INITS, initial_parameters
from .variants import CORRECT, Variant

MAX_LAYERS = MAX_HIDDEN_LAYERS + 2  # entries of ``sizes``, input and output included
REGULARIZATIONS = ("none", "l1", "l2")
MAX_REG_RATE = 10.0


@dataclass
class Trace:
    """What the forward pass computed: ``activations[0]`` is X."""

    zs: list
    activations: list


@dataclass
class Gradients:
    """∂C/∂W and ∂C/∂b per layer, and δˡ = ∂C/∂zˡ with shape (n_samples, size of layer l+1)."""

    weights: list
    biases: list
    deltas: list


def _check_sizes(sizes):
    if not isinstance(sizes, (list, tuple)) or not 2 <= len(sizes) <= MAX_LAYERS:
        raise ValueError(f"sizes: need a list of 2 to {MAX_LAYERS} layer sizes, got {sizes!r}")
    for i, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_WIDTH:
            raise ValueError(f"sizes[{i}]: {n!r} is not a whole number from 1 to {MAX_WIDTH}")
    return [int(n) for n in sizes]


def as_matrix(name, M, width):
    """``M`` as a finite float (n, width) array, or ValueError naming ``name``."""
    try:
        M = np.asarray(M, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: must be numbers") from None
    if M.ndim == 1 and M.size == width:
        M = M.reshape(1, width)
    if M.ndim != 2 or M.shape[1] != width or M.shape[0] < 1:
        raise ValueError(f"{name}: shape {M.shape} does not match (n_samples, {width})")
    if not np.isfinite(M).all():
        raise ValueError(f"{name}: every value must be finite")
    return M


class Network:
    """A dense network; ``weights`` and ``biases`` are plain lists of arrays you may change in place."""

    def __init__(self, sizes, activation="sigmoid", output_activation=None, loss="mse",
                 reduction="mean", bias=True, init="xavier", seed=None, regularization="none", reg_rate=0.0):
        sizes = _check_sizes(sizes)
        hidden = _act.get(activation, field="activation")
        if loss not in _loss.LOSSES:
            raise ValueError(f"loss: {loss!r} is not one of {', '.join(_loss.LOSSES)}")
        if output_activation is None:
            output_activation = "softmax" if loss == "ce" else activation
        out = _act.get(output_activation, field="output_activation", output=True)
        refusal = _loss.output_refusal(loss, out.name)
        if refusal:
            raise ValueError(f"output_activation: {refusal}")
        if out.name == "softmax" and sizes[-1] < 2:
            raise ValueError("output_activation: softmax needs at least 2 output neurons")
        if reduction not in _loss.REDUCTIONS:
            raise ValueError(f"reduction: {reduction!r} is not one of {', '.join(_loss.REDUCTIONS)}")
        if not isinstance(bias, bool):
            raise ValueError(f"bias: must be true or false, got {bias!r}")
        if init not in INITS:
            raise ValueError(f"init: {init!r} is not one of {', '.join(INITS)}")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))
                                 or not 0 <= seed < 2**32):
            raise ValueError(f"seed: {seed!r} is not a whole number from 0 to 2**32 - 1")
        if regularization not in REGULARIZATIONS:
            raise ValueError(f"regularization: {regularization!r} is not one of {', '.join(REGULARIZATIONS)}")
        reg_rate = finite_rate("reg_rate", reg_rate, upper=MAX_REG_RATE)
        self.sizes = sizes
        self.regularization, self.reg_rate = regularization, reg_rate
        self.activation, self.output_activation = hidden.name, out.name
        self.acts = [hidden] * (len(sizes) - 2) + [out]
        self.loss_name, self.reduction, self.bias = loss, reduction, bias
        self.init, self.seed = init, seed
        self.weights, self.biases = initial_parameters(sizes, init, seed, bias)

    # -- configuration ---------------------------------------------------
    def config(self):
        return {"sizes": list(self.sizes), "activation": self.activation,
                "output_activation": self.output_activation, "loss": self.loss_name,
                "reduction": self.reduction, "bias": self.bias, "init": self.init, "seed": self.seed,
                "regularization": self.regularization, "reg_rate": self.reg_rate}

    def reset(self, seed=None):
        """Fresh initial weights: the same seed gives the same start."""
        if seed is not None:
            self.seed = seed
        self.weights, self.biases = initial_parameters(self.sizes, self.init, self.seed, self.bias)

    def copy(self):
        other = object.__new__(Network)
        other.__dict__.update(self.__dict__)
        other.weights = [w.copy() for w in self.weights]
        other.biases = [b.copy() for b in self.biases]
        return other

    @property
    def n_params(self):
        return sum(w.size for w in self.weights) + sum(b.size for b in self.biases)

    # -- the maths -------------------------------------------------------
    def check_data(self, X, Y=None):
        X = as_matrix("X", X, self.sizes[0])
        if Y is None:
            return X
        Y = as_matrix("Y", Y, self.sizes[-1])
        if Y.shape[0] != X.shape[0]:
            raise ValueError(f"Y: {Y.shape[0]} rows, but X has {X.shape[0]}")
        return X, Y

    def forward(self, X):
        """zˡ = aˡ⁻¹ Wˡ + bˡ and aˡ = σ(zˡ), layer by layer."""
        return forward(self, self.check_data(X))

    def predict(self, X):
        return self.forward(X).activations[-1]

    @property
    def regularized(self):
        return self.regularization != "none" and self.reg_rate > 0.0

    def penalty(self):
        """The regularisation term of the cost: λ/2·Σw² (L2), λ·Σ|w| (L1), over the weights only."""
        return penalty(self)

    def loss(self, X, Y):
        """The reduced cost of (X, Y), plus the regularisation penalty once."""
        X, Y = self.check_data(X, Y)
        return _loss.total(self.loss_name, self.reduction, forward(self, X).activations[-1], Y) + penalty(self)

    def gradients(self, X, Y, variant: Variant = CORRECT):
        X, Y = self.check_data(X, Y)
        return backprop(self, forward(self, X), Y, variant)


def forward(net, X):
    zs, activations = [], [X]
    a = X
    for l, W in enumerate(net.weights):
        z = a @ W
        if net.bias:
            z = z + net.biases[l]
        a = net.acts[l].fn(z)
        zs.append(z)
        activations.append(a)
    return Trace(zs, activations)


def penalty(net):
    if not net.regularized:
        return 0.0
    if net.regularization == "l2":
        return 0.5 * net.reg_rate * sum(float(np.vdot(W, W)) for W in net.weights)
    return net.reg_rate * sum(float(np.abs(W).sum()) for W in net.weights)


def penalty_grad(regularization, reg_rate, W):
    """∂(penalty)/∂W for one layer: λ·w (L2) or λ·sign(w) (L1)."""
    return reg_rate * W if regularization == "l2" else reg_rate * np.sign(W)


def penalty_grads(net):
    """The regulariser's term of ∂C/∂W for every layer at the current weights (``penalty_grad``), or None
    without regularisation."""
    if not net.regularized:
        return None
    return [penalty_grad(net.regularization, net.reg_rate, W) for W in net.weights]


def add_penalty_grad(net, nabla_w):
    """∂C/∂W of the data term plus the penalty's, once per batch (a new list; the biases get none)."""
    terms = penalty_grads(net)
    if terms is None:
        return nabla_w
    return [g + p for g, p in zip(nabla_w, terms, strict=True)]


def _sigma_prime(act, z, a, variant):
    if variant.sigma_prime_on_activation:
        return act.der(a, act.fn(a))  # the mistake: σ′(σ(z))
    return act.der(z, a)


def backprop(net, trace, Y, variant: Variant = CORRECT, with_penalty=True):
    """Gradients of the reduced cost for the batch in ``trace``, by the rule ``variant``; the regularisation
    term joins ∂C/∂W after BP4 unless ``with_penalty`` is false (one sample of a batch)."""
    zs, activations = trace.zs, trace.activations
    L = len(net.weights)
    act = net.acts[-1]
    a, z = activations[-1], zs[-1]
    if variant.drop_output_sigma_prime:
        delta = _loss.grad_a(net.loss_name, a, Y)
    elif variant.sigma_prime_on_activation and act.elementwise:
        delta = _loss.grad_a(net.loss_name, a, Y) * _sigma_prime(act, z, a, variant)
    else:
        delta = _loss.output_delta(net.loss_name, act, z, a, Y)  # BP1: δᴸ = ∇ₐC ⊙ σ′(zᴸ)
    if net.reduction == "mean":
        delta = delta * (1.0 / a.shape[0])
    deltas = [None] * L
    deltas[-1] = delta
    for l in range(L - 2, -1, -1):
        # BP2: δˡ = (δˡ⁺¹ Wˡ⁺¹ᵀ) ⊙ σ′(zˡ)
        deltas[l] = (deltas[l + 1] @ net.weights[l + 1].T) * _sigma_prime(
            net.acts[l], zs[l], activations[l + 1], variant)
    nabla_w = [activations[l].T @ deltas[l] for l in range(L)]  # BP4: ∂C/∂Wˡ = aˡ⁻¹ᵀ δˡ
    if with_penalty:
        nabla_w = add_penalty_grad(net, nabla_w)  # + λw (L2) or + λ·sign(w) (L1), once per batch
    if not net.bias:
        nabla_b = []
    elif variant.bias_per_sample:
        nabla_b = [d.copy() for d in deltas]  # the mistake: one bias row per sample
    else:
        nabla_b = [d.sum(axis=0) for d in deltas]  # BP3: ∂C/∂bˡ = Σₙ δˡ
    if variant.sign != 1.0:
        nabla_w = [-g for g in nabla_w]
        nabla_b = [-g for g in nabla_b]
    return Gradients(nabla_w, nabla_b, deltas)


def finite_rate(name, value, *, upper=math.inf):
    """A learning-rate-like number: finite, ≥ 0, ≤ upper."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise ValueError(f"{name}: must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value) or not 0.0 <= value <= upper:
        raise ValueError(f"{name}: {value!r} must be finite and between 0 and {upper:g}")
    return value
