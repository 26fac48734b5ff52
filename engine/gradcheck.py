"""Gradient checking: backprop (or a mistake-lab rule) against central differences.

``gradcheck(net, X, Y, variant)`` nudges each parameter by ±eps, takes
(C(θ+eps) − C(θ−eps)) / 2eps of the network's own reduced cost, and compares it
with the rule's ∂C/∂W and ∂C/∂b layer by layer.  The relative error of one
entry is |g − n| / max(|g|, |n|, floor), where ``floor`` = 1e-3·max(1, |C|)
keeps round-off in nearly-zero entries from counting as a mistake (any real
difference above ~1e-8·|C| still fails the check).

It answers one question — is this rule's step the true gradient? — and says so
in a sentence.  A rule can pass and still train badly (η/epoch, an all-positive
start); the verdict then says the problem is the step size or the start.
Large layers are checked on at most ``max_entries`` evenly spaced entries.
With L1 or L2 regularisation the cost includes the penalty, so the check
covers its λw or λ·sign(w) term as well.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import losses as _loss
from .network import backprop, forward, penalty
from .variants import CORRECT, Variant

THRESHOLD = 1e-5


@dataclass
class LayerCheck:
    layer: int  # 1 = the first weight layer (inputs → first hidden)
    weights: float
    biases: float | None  # None: no biases, or a gradient of the wrong shape (see reason)
    ok: bool
    reason: str = ""

    def as_dict(self):
        d = {"layer": self.layer, "weights": _finite(self.weights), "biases": _finite(self.biases), "ok": self.ok}
        if self.reason:
            d["reason"] = self.reason
        return d


@dataclass
class GradcheckResult:
    layers: list
    ok: bool
    verdict: str
    variant: Variant
    eps: float
    threshold: float
    max_error: float
    extra: dict = field(default_factory=dict)

    def as_dict(self):
        return {"layers": [c.as_dict() for c in self.layers], "ok": self.ok, "verdict": self.verdict,
                "variant": self.variant.as_dict(), "eps": self.eps, "threshold": self.threshold,
                "max_error": _finite(self.max_error)}


def _finite(x):
    return None if x is None or not np.isfinite(x) else float(x)


def _cost(net, X, Y, loss_name):
    """The reduced cost with the regularisation penalty, exactly what ``net.loss`` computes."""
    return _loss.total(loss_name, net.reduction, forward(net, X).activations[-1], Y) + penalty(net)


def numerical_gradient(net, X, Y, param, eps=1e-6, loss_name=None, max_entries=None):
    """Central differences of the reduced cost for the entries of ``param`` (an array of ``net``, changed
    in place and restored bit for bit); returns (flat indices, estimates)."""
    loss_name = loss_name or net.loss_name
    flat = param.reshape(-1)  # a view: the network's own array
    idx = np.arange(flat.size)
    if max_entries is not None and flat.size > max_entries:
        idx = np.unique(np.linspace(0, flat.size - 1, max_entries).round().astype(int))
    est = np.empty(idx.size)
    for k, i in enumerate(idx):
        old = flat[i]
        flat[i] = old + eps
        up = _cost(net, X, Y, loss_name)
        flat[i] = old - eps
        down = _cost(net, X, Y, loss_name)
        flat[i] = old
        est[k] = (up - down) / (2 * eps)
    return idx, est


def _rel_error(g, n, floor):
    if not (np.isfinite(g).all() and np.isfinite(n).all()):
        return np.inf
    return float((np.abs(g - n) / np.maximum(np.maximum(np.abs(g), np.abs(n)), floor)).max(initial=0.0))


def _compare(net, X, Y, analytic, eps, floor, loss_name, max_entries):
    """Per-layer LayerCheck of ``analytic`` (a Gradients) against central differences of ``loss_name``."""
    checks = []
    for l, W in enumerate(net.weights):
        idx, est = numerical_gradient(net, X, Y, W, eps, loss_name, max_entries)
        w_err = _rel_error(analytic.weights[l].reshape(-1)[idx], est, floor)
        b_err, reason = None, ""
        if net.bias:
            b, gb = net.biases[l], analytic.biases[l]
            if gb.shape != b.shape:
                reason = (f"the bias gradient has shape {gb.shape} but the bias has shape {b.shape}: "
                          "it was not summed over the batch")
            elif np.ndim(b) == 2:
                reason = (f"the bias has grown to one row per training sample (shape {b.shape}) because its "
                          "gradient was not summed over the batch: each sample now has an offset of its own, "
                          "which no new input can use")
            else:
                idx, est = numerical_gradient(net, X, Y, b, eps, loss_name, max_entries)
                b_err = _rel_error(gb.reshape(-1)[idx], est, floor)
        ok = not reason and w_err < THRESHOLD and (b_err is None or b_err < THRESHOLD)
        checks.append(LayerCheck(l + 1, w_err, b_err, ok, reason))
    return checks


@dataclass
class StepComparison:
    """How a rule's step compares with the true descent step −η∇C at the same weights."""

    cosine: float  # 1: the same direction; 0: at right angles (no descent to first order); −1: straight uphill
    angle: float  # in degrees, 0 – 180
    size_ratio: float  # |the rule's step| / |−η∇C|
    parts: str  # what was compared: "weights and biases", "weights" (no biases) or
    # "weights; the biases are per sample" (the bias-not-summed mistake: no bias step to compare)

    def as_dict(self):
        return {"cosine": _finite(self.cosine), "angle": _finite(self.angle), "size_ratio": _finite(self.size_ratio),
                "parts": self.parts}


def compare_step(net, X, Y, variant: Variant = CORRECT, eta_scale=1.0) -> StepComparison:
    """The rule's full-batch step (its gradient times ``eta_scale``, the ratio of its η to the nominal η, e.g.
    1/(epoch+1) under η/epoch) against the true gradient's, on (X, Y) at ``net``'s weights."""
    X, Y = net.check_data(X, Y)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        trace = forward(net, X)
        true = backprop(net, trace, Y, CORRECT)
        rule = backprop(net, trace, Y, variant)
        same_bias = all(r.shape == t.shape for r, t in zip(rule.biases, true.biases, strict=True))
        grown = any(np.ndim(b) == 2 for b in net.biases)
        pairs = list(zip(rule.weights, true.weights, strict=True))
        if same_bias and not grown:
            pairs += list(zip(rule.biases, true.biases, strict=True))
        r = np.concatenate([p.ravel() for p, _ in pairs]) * eta_scale
        t = np.concatenate([q.ravel() for _, q in pairs])
        nr, nt = float(np.linalg.norm(r)), float(np.linalg.norm(t))
        cos = float(r @ t) / (nr * nt) if nr > 0 and nt > 0 else np.nan
    angle = float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))) if np.isfinite(cos) else np.nan
    if not net.bias:
        parts = "weights"
    elif same_bias and not grown:
        parts = "weights and biases"
    else:
        parts = "weights; the biases are per sample"
    return StepComparison(cos, angle, nr / nt if nt > 0 else np.nan, parts)


def gradcheck(net, X, Y, variant: Variant = CORRECT, eps=1e-6, max_entries=256) -> GradcheckResult:
    """Compare ``variant``'s ∂C/∂W, ∂C/∂b with central differences of ``net``'s cost on (X, Y)."""
    X, Y = net.check_data(X, Y)
    if not (isinstance(eps, float) and 0.0 < eps <= 1e-2):
        raise ValueError(f"eps: {eps!r} is not a number in (0, 0.01]")
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        cost = _cost(net, X, Y, net.loss_name)
        floor = 1e-3 * max(1.0, abs(cost)) if np.isfinite(cost) else 1e-3
        analytic = backprop(net, forward(net, X), Y, variant)
        checks = _compare(net, X, Y, analytic, eps, floor, net.loss_name, max_entries)
        extra = {}
        if variant.drop_output_sigma_prime and net.loss_name == "mse" and net.output_activation == "sigmoid":
            bce = _compare(net, X, Y, analytic, eps, floor, "bce", max_entries)
            extra["bce_ok"] = all(c.ok for c in bce)
            extra["bce_error"] = max(max(c.weights for c in bce), 0.0)
    ok = all(c.ok for c in checks)
    errors = [e for c in checks for e in (c.weights, c.biases) if e is not None]
    max_error = max(errors, default=0.0)
    return GradcheckResult(checks, ok, _verdict(checks, ok, max_error, variant, extra), variant, eps,
                           THRESHOLD, max_error, extra)


def _verdict(checks, ok, max_error, variant, extra):
    if ok:
        head = (f"Backprop matches central differences in every layer (largest relative error {max_error:.1e}), "
                "so this step follows the true gradient")
        if variant.schedule is not None:
            return (f"{head}; what goes wrong with “{variant.title}” is the step size, not the gradient. "
                    f"{variant.explanation}")
        if variant.init is not None:
            return (f"{head}; what goes wrong with “{variant.title}” is the start, not the gradient. "
                    f"{variant.explanation}")
        if variant.wrong_gradient:  # e.g. a bias rule on a net without biases, or a linear output
            return (f"{head}: on this network “{variant.title}” computes exactly the correct step, so both "
                    "rules train the same way.")
        return f"{head}."
    bad = next(c for c in checks if not c.ok)
    if bad.reason:
        what = f"layer {bad.layer}: {bad.reason}, so it is not ∂C/∂b"
    else:
        err = bad.weights if bad.weights >= THRESHOLD or bad.biases is None else bad.biases
        what = f"layer {bad.layer} differs from central differences by a relative error of {err:.1e}"
    if variant.name == CORRECT.name or not variant.wrong_gradient:
        return (f"Backprop does not match central differences ({what}); near a ReLU kink or with saturated or "
                "non-finite outputs the finite difference itself can be wrong.")
    text = f"“{variant.title}” is not the gradient of this cost ({what}). {variant.explanation}"
    if extra.get("bce_ok"):
        text += " Checked against binary cross-entropy instead, the same step matches in every layer."
    return text
