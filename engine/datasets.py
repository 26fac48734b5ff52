"""The training sets: the seeds' own tables and small seeded 2-D problems.

* ``xor-table`` — seeds 000/001: four rows whose third column is a constant 1
  (the scripts' stand-in for a bias), target 1 where exactly one of the first
  two inputs is 1.
* ``letters`` — seed 002: the asker's A, B and C as 30 pixels each, a 5 × 6
  image read row-major (``x.reshape(5, 6)`` draws it), with one-hot targets.
* ``xor``, ``circles``, ``spirals``, ``blobs``, ``moons`` — ``n`` points with two
  features in [−1.5, 1.5], half of each class, shuffled, reproducible from
  ``seed``.  ``Y`` is one column of 0/1; ``one_hot()`` gives two columns for a
  softmax output.

Nothing here trains or knows about networks.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

EXTENT = (-1.5, 1.5, -1.5, 1.5)
GENERATED = ("xor", "circles", "spirals", "blobs", "moons")
NAMES = ("xor-table", "letters", *GENERATED)
DEFAULT_POINTS = 100
DEFAULT_NOISE = 0.1
MAX_POINTS = 1000

# Seed 002's three images, copied verbatim from the script.
LETTER_PIXELS = {
    "A": [0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1],
    "B": [0, 1, 1, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 1, 1, 0],
    "C": [0, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0],
}
LETTER_SHAPE = (5, 6)


@dataclass
class Dataset:
    """X (n_samples, n_features) and Y (n_samples, n_outputs) as float arrays, plus how to draw them."""

    name: str
    kind: str  # 'table' | 'letters' | '2d'
    X: np.ndarray
    Y: np.ndarray
    labels: list
    image_shape: tuple | None = None
    extent: tuple | None = None
    params: dict = field(default_factory=dict)  # n, noise, seed for the generated sets

    @property
    def n_samples(self):
        return self.X.shape[0]

    def one_hot(self):
        """The same data with a 0/1 column turned into two one-hot columns (for a softmax output)."""
        if self.Y.shape[1] != 1:
            return self
        y = self.Y[:, 0]
        return Dataset(self.name, self.kind, self.X, np.stack([1.0 - y, y], axis=1), self.labels,
                       self.image_shape, self.extent, dict(self.params))

    def as_dict(self):
        d = {"name": self.name, "kind": self.kind, "X": self.X.tolist(), "Y": self.Y.tolist(),
             "labels": list(self.labels), "n_samples": self.n_samples}
        if self.image_shape is not None:
            d["image_shape"] = list(self.image_shape)
        if self.extent is not None:
            d["extent"] = list(self.extent)
        return d


def xor_table() -> Dataset:
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
    Y = np.array([[0], [1], [1], [0]], dtype=float)
    return Dataset("xor-table", "table", X, Y, ["0", "1"])


def letters() -> Dataset:
    X = np.array([LETTER_PIXELS[c] for c in "ABC"], dtype=float)
    return Dataset("letters", "letters", X, np.eye(3), ["A", "B", "C"], image_shape=LETTER_SHAPE)


# -- seeded 2-D generators: each returns (points, 0/1 labels) before shuffling ----------------------
def _xor(rng, n, noise):
    y = (np.arange(n) < n // 2).astype(float)  # class 1: the signs differ, as in the truth table
    sx = rng.choice([-1.0, 1.0], n)
    sy = np.where(y == 1, -sx, sx)
    P = rng.uniform(0.1, 1.1, (n, 2)) * np.stack([sx, sy], axis=1)  # a gap of 0.2 around the axes
    return P + rng.normal(0.0, noise, P.shape), y


def _circles(rng, n, noise):
    y = (np.arange(n) < n // 2).astype(float)  # class 1 inside
    r = np.where(y == 1, rng.uniform(0.0, 0.5, n), rng.uniform(0.8, 1.2, n))
    t = rng.uniform(0.0, 2 * np.pi, n)
    P = np.stack([r * np.cos(t), r * np.sin(t)], axis=1)
    return P + rng.normal(0.0, noise, P.shape), y


def _spirals(rng, n, noise):
    y = (np.arange(n) < n // 2).astype(float)
    s = rng.uniform(0.0, 1.0, n)
    r = 0.1 + 1.1 * s
    t = 1.5 * 2 * np.pi * s + np.pi * y  # one and a half turns; the second spiral is the first turned by π
    P = np.stack([r * np.cos(t), r * np.sin(t)], axis=1)
    return P + rng.normal(0.0, 0.5 * noise, P.shape), y  # half the noise: the arms are only 0.37 apart


def _blobs(rng, n, noise):
    y = (np.arange(n) < n // 2).astype(float)
    centre = np.where(y[:, None] == 1, [0.5, 0.5], [-0.5, -0.5])
    return centre + rng.normal(0.0, 0.25 + noise, (n, 2)), y


def _moons(rng, n, noise):
    y = (np.arange(n) < n // 2).astype(float)
    t = rng.uniform(0.0, np.pi, n)
    upper = np.stack([np.cos(t), np.sin(t)], axis=1)
    lower = np.stack([1.0 - np.cos(t), 0.5 - np.sin(t)], axis=1)
    P = np.where(y[:, None] == 0, upper, lower)
    P = (P - [0.5, 0.25]) * 0.9  # centred: x in [−1.35, 1.35], y in [−0.7, 0.7]
    return P + rng.normal(0.0, noise, P.shape), y


_GENERATORS = {"xor": _xor, "circles": _circles, "spirals": _spirals, "blobs": _blobs, "moons": _moons}


def generate(name, n=DEFAULT_POINTS, noise=DEFAULT_NOISE, seed=0) -> Dataset:
    """``n`` shuffled points of a 2-D problem; the same (name, n, noise, seed) gives the same points."""
    if name not in _GENERATORS:
        raise ValueError(f"dataset: {name!r} is not one of {', '.join(GENERATED)}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 4 <= n <= MAX_POINTS:
        raise ValueError(f"n: {n!r} is not a whole number from 4 to {MAX_POINTS}")
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not 0.0 <= noise <= 0.5:
        raise ValueError(f"noise: {noise!r} is not a number from 0 to 0.5")
    rng = np.random.default_rng(seed)
    P, y = _GENERATORS[name](rng, int(n), float(noise))
    order = rng.permutation(int(n))
    X = np.clip(P[order], EXTENT[0], EXTENT[1])
    Y = y[order].reshape(-1, 1)
    return Dataset(name, "2d", X, Y, ["0", "1"], extent=EXTENT,
                   params={"n": int(n), "noise": float(noise), "seed": seed})


def load(name, **params) -> Dataset:
    """Any dataset by name; ``params`` (n, noise, seed) only apply to the generated ones."""
    if name == "xor-table":
        return xor_table()
    if name == "letters":
        return letters()
    if name in _GENERATORS:
        return generate(name, **params)
    raise ValueError(f"dataset: {name!r} is not one of {', '.join(NAMES)}")
