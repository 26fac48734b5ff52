"""Weight initialisers.

The *legacy* schemes replay NumPy's global ``np.random`` stream exactly as the
seed scripts draw it (``np.random.seed(s)`` then one draw per layer, in order),
so a preset starts from the very numbers its script starts from.  We draw from a
private ``RandomState(s)``, which yields the same stream without touching the
caller's global state.

The *modern* schemes use ``np.random.default_rng(s)`` and zero biases.
Nothing here trains or validates sizes.
"""
from __future__ import annotations

import numpy as np

LEGACY = {
    # name: (how the script draws one layer's (n_in, n_out) weights, which seed)
    "rand-sym": "2 * np.random.random((n_in, n_out)) - 1  (seed 000)",
    "rand": "np.random.random((n_in, n_out))  (seed 001: all positive)",
    "randn": "np.random.randn(n_in, n_out)  (seed 002)",
    "rand-columns": "np.random.rand(n_out, n_in), then np.random.rand(n_out, 1) for the bias  (seed 003)",
}
MODERN = {
    "xavier": "normal, std √(2 / (n_in + n_out))",
    "he": "normal, std √(2 / n_in)",
    "normal": "normal, std 0.5",
    "uniform": "uniform in [−1, 1)",
}
INITS = {**LEGACY, **MODERN}
INIT_LABELS = {  # each scheme in a few words, for the menu (as narrow as the other menus)
    "rand-sym": "2·rand − 1", "rand": "rand ≥ 0", "randn": "randn", "rand-columns": "rand + bias",
    "xavier": "Xavier", "he": "He", "normal": "normal 0.5", "uniform": "uniform ±1",
}
INIT_ALIASES = {"trask": "rand-sym"}  # the first scheme's old name, still read from saved links and models


def initial_parameters(sizes, init, seed, bias):
    """Return (weights, biases) for ``sizes``; biases is [] when ``bias`` is False."""
    if init not in INITS:
        raise ValueError(f"init: {init!r} is not one of {', '.join(INITS)}")
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    weights, biases = [], []
    if init in LEGACY:
        rs = np.random.RandomState(seed)
        for n_in, n_out in pairs:
            if init == "rand-sym":
                weights.append(2 * rs.random_sample((n_in, n_out)) - 1)
            elif init == "rand":
                weights.append(rs.random_sample((n_in, n_out)))
            elif init == "randn":
                weights.append(rs.randn(n_in, n_out))
            else:  # rand-columns: the column-layout script's W (n_out, n_in), transposed
                weights.append(np.ascontiguousarray(rs.rand(n_out, n_in).T))
                if bias:
                    biases.append(rs.rand(n_out, 1)[:, 0].copy())
                    continue
            if bias:
                biases.append(np.zeros(n_out))
        return weights, biases
    rng = np.random.default_rng(seed)
    for n_in, n_out in pairs:
        if init == "uniform":
            w = rng.uniform(-1.0, 1.0, (n_in, n_out))
        else:
            std = {"xavier": np.sqrt(2.0 / (n_in + n_out)), "he": np.sqrt(2.0 / n_in), "normal": 0.5}[init]
            w = rng.normal(0.0, std, (n_in, n_out))
        weights.append(w)
        if bias:
            biases.append(np.zeros(n_out))
    return weights, biases
