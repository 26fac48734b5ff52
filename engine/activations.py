"""Activation functions, each defined next to its derivative.

Every activation is a small object with ``fn(z)`` (the forward rule) and
``der(z, a)``: the derivative dσ/dz *at z*.  ``a`` is σ(z), already computed in
the forward pass, so sigmoid's σ′(z) is evaluated as a·(1 − a) without a second
exp.  That is still σ′ *of z*: the mistake lab's ``sigma-prime-of-activation``
variant shows what happens when σ′ is applied to a instead.

Softmax is not element-wise; its Jacobian-vector product is ``jvp``.  It is only
allowed on the output layer.  Nothing here knows about layers or losses.

Each activation also says how the page writes it: ``tex`` (σ′ in TeX, as the
equations panel prints it) and ``der_rule``, σ′ as plain data the page
evaluates to show the textbook value beside the engine's: ``{"of": "a",
"poly": [c0, c1, c2]}`` is c0 + a·(c1 + a·c2) (so a(1 − a) and 1 − a² exactly), ``{"of": "z", "below": m,
"above": n}`` is m for z ≤ 0 and n for z > 0 (a test checks both against
``der``).  Adding an activation is one class here, listed in ``ACTIVATIONS``;
the schema, the page's menus, the URL and the equations panel follow.
"""
from __future__ import annotations

import numpy as np

from .checks import choice

# exp(709) is the largest finite float64 power of e; clipping there keeps the
# sigmoid overflow-free and bit-identical to 1/(1+exp(-z)) everywhere else.
_EXP_LIMIT = 709.0


class Activation:
    name = ""
    elementwise = True
    tex = ""  # σ′ in TeX
    der_rule = None  # σ′ as data (see the module docstring); None when not element-wise
    # The same rules as NumPy source for the exported script (engine/export.py), in terms of z (forward) and of
    # a = σ(z) (σ′, with what it says); ``code`` "" means NumPy has it (np.tanh). ``code_wrong``: σ′ taken at a.
    code = ""
    code_prime = ("", "")
    code_wrong = ""

    def fn(self, z):
        raise NotImplementedError

    def der(self, z, a):
        raise NotImplementedError

    def __repr__(self):
        return f"<activation {self.name}>"


class Sigmoid(Activation):
    name = "sigmoid"
    code = "1.0 / (1.0 + np.exp(-np.maximum(z, -709.0)))  # the clip keeps exp from overflowing"
    code_prime = ("a * (1.0 - a)", "σ′(z) = σ(z)(1 − σ(z)), computed from a = σ(z)")
    code_wrong = "sigmoid(a) * (1.0 - sigmoid(a))"
    tex = "a(1-a)"
    der_rule = {"of": "a", "poly": [0.0, 1.0, -1.0]}

    def fn(self, z):
        return 1.0 / (1.0 + np.exp(-np.maximum(z, -_EXP_LIMIT)))

    def der(self, z, a):
        return a * (1.0 - a)  # σ′(z) = σ(z)(1 − σ(z)), with a = σ(z)


class Tanh(Activation):
    name = "tanh"
    code_prime = ("1.0 - a * a", "tanh′(z) = 1 − tanh²(z), computed from a = tanh(z)")
    code_wrong = "1.0 - np.tanh(a) * np.tanh(a)"
    tex = "1-a^{2}"
    der_rule = {"of": "a", "poly": [1.0, 0.0, -1.0]}

    def fn(self, z):
        return np.tanh(z)

    def der(self, z, a):
        return 1.0 - a * a  # tanh′(z) = 1 − tanh²(z)


class Relu(Activation):
    name = "relu"
    code = "np.maximum(z, 0.0)"
    code_prime = ("(a > 0) * 1.0", "1 where z > 0: the same as where a > 0")
    code_wrong = "(relu(a) > 0) * 1.0"
    tex = "\\mathbb{1}[z>0]"
    der_rule = {"of": "z", "below": 0.0, "above": 1.0}

    def fn(self, z):
        return np.maximum(z, 0.0)

    def der(self, z, a):
        return (z > 0).astype(z.dtype)  # 1 where z > 0, else 0 (0 at the kink)


class Linear(Activation):
    name = "linear"
    code = "z + 0.0"
    code_prime = ("np.ones_like(a)", "the slope of z ↦ z is 1")
    code_wrong = "np.ones_like(a)"
    tex = "1"
    der_rule = {"of": "z", "below": 1.0, "above": 1.0}

    def fn(self, z):
        return z + 0.0  # a copy, so callers may change it without touching z

    def der(self, z, a):
        return np.ones_like(z)


class LeakyRelu(Activation):
    name = "leaky_relu"
    code = "np.where(z > 0, z, 0.01 * z)"
    code_prime = ("np.where(a > 0, 1.0, 0.01)", "1 where z > 0, else the slope 0.01: the same as where a > 0")
    code_wrong = "np.where(leaky_relu(a) > 0, 1.0, 0.01)"
    slope = 0.01  # for z < 0
    tex = "\\begin{cases}1 & z>0\\\\ 0.01 & z\\le 0\\end{cases}"
    der_rule = {"of": "z", "below": slope, "above": 1.0}

    def fn(self, z):
        return np.where(z > 0, z, self.slope * z)

    def der(self, z, a):
        return np.where(z > 0, 1.0, self.slope)  # 1 where z > 0, else the slope (the slope at the kink)


class Softmax(Activation):
    name = "softmax"
    elementwise = False

    def fn(self, z):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def der(self, z, a):
        raise ValueError("softmax has no element-wise derivative; use jvp")

    def jvp(self, a, g):
        """Row-wise (∂a/∂z)ᵀ g for a = softmax(z): a ⊙ (g − Σ g⊙a)."""
        return a * (g - (g * a).sum(axis=1, keepdims=True))


ACTIVATIONS = {cls.name: cls() for cls in (Sigmoid, Tanh, Relu, Linear, LeakyRelu, Softmax)}
HIDDEN_ACTIVATIONS = tuple(name for name, act in ACTIVATIONS.items() if act.elementwise)


def get(name: str, *, field: str = "activation", output: bool = False) -> Activation:
    return ACTIVATIONS[choice(field, name, tuple(ACTIVATIONS) if output else HIDDEN_ACTIVATIONS)]
