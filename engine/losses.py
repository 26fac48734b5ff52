"""Cost functions, per sample, and their gradient with respect to the output.

``mse`` = ½‖a − y‖², ``bce`` = −Σ[y ln a + (1−y) ln(1−a)], ``ce`` = −Σ y ln a
with a = softmax(z).  The reduction over samples is ``sum`` or ``mean``.

``output_delta`` is BP1, δᴸ = ∇ₐC ⊙ σ′(zᴸ).  For BCE after a sigmoid and CE
after a softmax the σ′ cancels exactly and δᴸ = a − y; we use that form, which
is both the textbook simplification and numerically stable.
"""
from __future__ import annotations

import numpy as np

# Outputs that saturate to exactly 0 or 1 would make ln a or ln(1 − a) infinite.  They are moved to the
# nearest representable value inside (0, 1), so every output that is not exactly saturated is left
# untouched and the cost equals the seeds' unclipped formula wherever that is finite.
_LO = np.finfo(float).tiny
_HI = np.nextafter(1.0, 0.0)

LOSSES = ("mse", "bce", "ce")
REDUCTIONS = ("sum", "mean")


def per_sample(loss: str, a, y):
    """The cost of each row (shape (n_samples,))."""
    if loss == "mse":
        d = a - y
        return 0.5 * np.einsum("ij,ij->i", d, d)
    if loss == "bce":
        a = np.clip(a, _LO, _HI)
        return -(y * np.log(a) + (1 - y) * np.log(1 - a)).sum(axis=1)
    if loss == "ce":
        return -(y * np.log(np.maximum(a, _LO))).sum(axis=1)
    raise ValueError(f"loss: {loss!r} is not one of {', '.join(LOSSES)}")


_OUTPUTS = {  # the outputs a loss needs, and why; any output suits ``mse``
    "ce": (("softmax",), "loss 'ce' is −Σ y ln softmax(z), so it needs 'softmax'"),
    "bce": (("sigmoid", "softmax"),
            "loss 'bce' takes ln a and ln(1 − a), so it needs outputs in (0, 1): 'sigmoid' or 'softmax'"),
}


def output_refusal(loss: str, output_activation: str) -> str | None:
    """Why ``loss`` cannot follow the output ``output_activation`` (one sentence), or None when it can."""
    allowed, why = _OUTPUTS.get(loss, (None, ""))
    return None if allowed is None or output_activation in allowed else why


def fits(loss: str, output_activation: str) -> bool:
    """True when ``loss`` can follow the output ``output_activation`` (``output_refusal`` says why not)."""
    return output_refusal(loss, output_activation) is None


def total(loss: str, reduction: str, a, y) -> float:
    c = per_sample(loss, a, y)
    return float(c.sum() if reduction == "sum" else c.mean())


def grad_a(loss: str, a, y):
    """∇ₐC, the cost's derivative with respect to the output (Nielsen's ``cost_derivative``): one row per sample,
    for each sample's own cost, before the reduction's 1/n.  (At an output saturated to exactly 0 or 1 it is
    taken at the nearest value inside (0, 1), as the cost is.)"""
    if loss == "mse":
        return a - y
    if loss == "bce":
        a = np.clip(a, _LO, _HI)
        return (a - y) / (a * (1 - a))
    return -y / np.maximum(a, _LO)


def cancels(loss: str, output_activation: str) -> bool:
    """True where σ′ cancels in BP1 and δᴸ = a − y exactly."""
    return (loss, output_activation) in (("bce", "sigmoid"), ("ce", "softmax"))


def output_delta(loss: str, act, z, a, y):
    """BP1 for one sample per row, before the reduction's 1/n."""
    if cancels(loss, act.name):
        return a - y
    g = grad_a(loss, a, y)
    if not act.elementwise:
        return act.jvp(a, g)
    return g * act.der(z, a)
