"""The training sets: the seeds' own tables and small seeded 2-D problems.

* ``xor-table`` — seeds 000/001: four rows whose third column is a constant 1
  (the scripts' stand-in for a bias), target 1 where exactly one of the first
  two inputs is 1.
* ``letters`` — seed 002: the asker's A, B and C as 30 pixels each, a 5 × 6
  image read row-major (``x.reshape(5, 6)`` draws it), with one-hot targets.
* ``xor``, ``circles``, ``gauss``, ``spirals``, ``moons`` — ``n`` points with two
  coordinates in [−1.5, 1.5], half of each class, shuffled, reproducible from
  ``seed``.  ``Y`` is one column of 0/1; ``one_hot()`` gives two columns for a
  softmax output.  ``blobs`` is the older name of ``gauss`` (same points).
* ``reg-plane``, ``reg-gauss`` (2-D) and ``sine`` (1-D) — regression: ``Y`` is
  one column of real targets (about −1 to 1), noise is added to the targets.

``load(name, noise=…, n_points=…, data_seed=…, features=…)`` is the playground's
entry: ``noise`` in percent of the data's scale (1: the coordinates' and the
targets' radius), so 10 % is a standard deviation of 0.1.  ``features`` turns the
points into the network's inputs as TensorFlow Playground does (x1, x2, x1^2,
x2^2, x1x2, sin_x1, sin_x2); the input layer's width is their number.
``Dataset.points`` keeps the raw coordinates for drawing; ``Dataset.X`` is what
the network reads.  ``split(dataset, test_fraction, seed)`` holds points out.

Nothing here trains or knows about networks.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

EXTENT = (-1.5, 1.5, -1.5, 1.5)
CLASSIFICATION = ("xor", "circles", "gauss", "spirals", "moons")
GENERATED = (*CLASSIFICATION, "blobs")  # the 2-D classification sets
REGRESSION = ("reg-plane", "reg-gauss", "sine")
NAMES = ("xor-table", "letters", *GENERATED, *REGRESSION)
DEFAULT_POINTS = 100
DEFAULT_NOISE = 0.1  # a standard deviation, in the coordinates' units (``generate``)
DEFAULT_NOISE_PERCENT = 10.0  # the same noise in percent of the data's scale (``load``)
SCALE = 1.0  # the data's scale: the coordinates' radius and the targets' amplitude; noise 100 % is SCALE
MAX_NOISE_PERCENT = 50.0
MIN_POINTS = 50  # for ``load``; ``generate`` takes from 4, for tests and the seed presets
MAX_POINTS = 1000
MAX_DATA_SEED = 2**32 - 1
MAX_TEST_FRACTION = 0.9
# Input features: name -> (what the diagram shows, the function of the points, whether it needs x2).
# The sines take π·x: over the data's [−1.5, 1.5] that is one and a half periods, as sin x is over
# TensorFlow Playground's [−6, 6]; sin x itself would be almost a straight line here.
FEATURES = {
    "x1": ("x₁", lambda P: P[:, 0], False),
    "x2": ("x₂", lambda P: P[:, 1], True),
    "x1^2": ("x₁²", lambda P: P[:, 0] ** 2, False),
    "x2^2": ("x₂²", lambda P: P[:, 1] ** 2, True),
    "x1x2": ("x₁x₂", lambda P: P[:, 0] * P[:, 1], True),
    "sin_x1": ("sin(πx₁)", lambda P: np.sin(np.pi * P[:, 0]), False),
    "sin_x2": ("sin(πx₂)", lambda P: np.sin(np.pi * P[:, 1]), True),
}
DEFAULT_FEATURES = ("x1", "x2")  # the raw coordinates; for the 1-D ``sine`` that is x1 alone

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
    kind: str  # the view it needs: 'table' | 'images' (of ``image_shape``) | '2d' | '1d' points
    X: np.ndarray
    Y: np.ndarray
    labels: list  # class names; [] for regression
    image_shape: tuple | None = None
    extent: tuple | None = None
    params: dict = field(default_factory=dict)  # n, noise, seed for the generated sets
    task: str = "classification"  # or 'regression': Y is a real target, no classes
    points: np.ndarray | None = None  # the raw coordinates (n, 1 or 2) the features were computed from
    features: tuple = ()  # the input features, one per column of X; () when X is the data itself
    note: str = ""  # one plain sentence the page shows under the data, when there is something to say
    sample_word: str = "sample"  # what the page calls one training sample ("letter", "point", "row")

    @property
    def n_samples(self):
        return self.X.shape[0]

    def one_hot(self):
        """The same data with a 0/1 column turned into two one-hot columns (for a softmax output)."""
        if self.Y.shape[1] != 1 or self.task == "regression":
            return self
        y = self.Y[:, 0]
        return replace(self, Y=np.stack([1.0 - y, y], axis=1), params=dict(self.params))

    def rows(self, idx):
        """The same dataset restricted to the rows ``idx`` (points and targets together)."""
        return replace(self, X=self.X[idx], Y=self.Y[idx], params=dict(self.params),
                       points=None if self.points is None else self.points[idx])

    def inputs(self, P):
        """The network's inputs for raw coordinates ``P`` (n, 1 or 2): this dataset's features of them."""
        P = np.asarray(P, dtype=float)
        return feature_matrix(P, self.features) if self.features else P

    def as_dict(self):
        d = {"name": self.name, "kind": self.kind, "task": self.task, "X": self.X.tolist(), "Y": self.Y.tolist(),
             "labels": list(self.labels), "n_samples": self.n_samples, "sample_word": self.sample_word}
        if self.features and self.features != DEFAULT_FEATURES[:self.points.shape[1]]:
            d["points"] = self.points.tolist()  # only when X is not the coordinates themselves
        if self.features:
            d["features"] = list(self.features)
            d["feature_labels"] = [FEATURES[f][0] for f in self.features]  # what the diagram writes by each input
        if self.image_shape is not None:
            d["image_shape"] = list(self.image_shape)
        if self.extent is not None:
            d["extent"] = list(self.extent)
        if self.note:
            d["note"] = self.note
        return d


def xor_table() -> Dataset:
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
    Y = np.array([[0], [1], [1], [0]], dtype=float)
    return Dataset("xor-table", "table", X, Y, ["0", "1"], sample_word="row",
                   note="The third input is always 1: its weights play the part of a bias.")


def letters() -> Dataset:
    X = np.array([LETTER_PIXELS[c] for c in "ABC"], dtype=float)
    return Dataset("letters", "images", X, np.eye(3), ["A", "B", "C"], image_shape=LETTER_SHAPE,
                   sample_word="letter")


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


def _gauss(rng, n, noise):
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


# -- seeded regression sets: each returns (points, targets without noise) --------------------------
_BUMPS = [(-1.0, 0.6, 1.0), (0.0, 0.6, -1.0), (1.0, 0.6, 1.0), (-1.0, -0.6, -1.0), (0.0, -0.6, 1.0),
          (1.0, -0.6, -1.0)]  # (x1, x2, sign): TensorFlow Playground's six Gaussians, scaled to [−1.5, 1.5]


def _reg_plane(rng, n):
    P = rng.uniform(-1.5, 1.5, (n, 2))
    return P, (P[:, 0] + P[:, 1]) / 3.0  # a tilted plane from −1 to 1


def _reg_gauss(rng, n):
    P = rng.uniform(-1.5, 1.5, (n, 2))
    y = sum(s * np.exp(-((P[:, 0] - cx) ** 2 + (P[:, 1] - cy) ** 2) / (2 * 0.35 ** 2)) for cx, cy, s in _BUMPS)
    return P, y


def _sine(rng, n):
    P = rng.uniform(-1.5, 1.5, (n, 1))
    return P, np.sin(np.pi * P[:, 0])  # one and a half periods


_GENERATORS = {"xor": _xor, "circles": _circles, "gauss": _gauss, "spirals": _spirals, "blobs": _gauss,
               "moons": _moons}
_REGRESSORS = {"reg-plane": _reg_plane, "reg-gauss": _reg_gauss, "sine": _sine}


def generate(name, n=DEFAULT_POINTS, noise=DEFAULT_NOISE, seed=0) -> Dataset:
    """``n`` shuffled points of a 2-D (or, for ``sine``, 1-D) problem; ``noise`` is a standard deviation in
    the coordinates' units (classification) or the targets' (regression).  The same (name, n, noise, seed)
    gives the same points."""
    if name not in _GENERATORS and name not in _REGRESSORS:
        raise ValueError(f"dataset: {name!r} is not one of {', '.join((*GENERATED, *REGRESSION))}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 4 <= n <= MAX_POINTS:
        raise ValueError(f"n: {n!r} is not a whole number from 4 to {MAX_POINTS}")
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not 0.0 <= noise <= 0.5:
        raise ValueError(f"noise: {noise!r} is not a number from 0 to 0.5")
    rng = np.random.default_rng(seed)
    params = {"n": int(n), "noise": float(noise), "seed": seed}
    if name in _REGRESSORS:
        P, y = _REGRESSORS[name](rng, int(n))
        y = y + rng.normal(0.0, float(noise), y.shape)
        kind = "1d" if P.shape[1] == 1 else "2d"
        return Dataset(name, kind, P, y.reshape(-1, 1), [], extent=EXTENT, params=params, task="regression",
                       points=P, sample_word="point")
    P, y = _GENERATORS[name](rng, int(n), float(noise))
    order = rng.permutation(int(n))
    X = np.clip(P[order], EXTENT[0], EXTENT[1])
    Y = y[order].reshape(-1, 1)
    return Dataset(name, "2d", X, Y, ["0", "1"], extent=EXTENT, params=params, points=X,
                   sample_word="point")


# -- features and the playground's entry ---------------------------------------------------------------
def check_features(features, dims=2):
    """``features`` as a tuple of known names without repeats, each defined for ``dims``-dimensional points."""
    if not isinstance(features, (list, tuple)) or not 1 <= len(features) <= len(FEATURES):
        raise ValueError(f"features: need a list of 1 to {len(FEATURES)} of {', '.join(FEATURES)}, got {features!r}")
    for f in features:
        if not isinstance(f, str) or f not in FEATURES:
            raise ValueError(f"features: {f!r} is not one of {', '.join(FEATURES)}")
        if dims == 1 and FEATURES[f][2]:
            one_d = ", ".join(k for k, v in FEATURES.items() if not v[2])
            raise ValueError(f"features: {f!r} needs a second coordinate; this dataset has only x1 ({one_d})")
    if len(set(features)) != len(features):
        raise ValueError(f"features: {features!r} names a feature twice")
    return tuple(features)


def features_for(name, features):
    """The input features dataset ``name`` gets for ``features``: None or ["x1", "x2"] are the raw coordinates
    (x1 alone for the 1-D ``sine``); the seeds' tables take () only."""
    if features is not None and not isinstance(features, (list, tuple)):
        check_features(features)  # raises, naming the field
    if name in ("xor-table", "letters"):
        if features is not None and tuple(features) != DEFAULT_FEATURES:
            raise ValueError(f"features: only the generated datasets take input features, not {name!r}")
        return ()
    dims = 1 if name == "sine" else 2
    if features is None or (dims == 1 and tuple(features) == DEFAULT_FEATURES):
        return DEFAULT_FEATURES[:dims]
    return check_features(features, dims)


def feature_matrix(P, features):
    """One column per feature of the points ``P`` (n, 1 or 2)."""
    return np.stack([FEATURES[f][1](P) for f in features], axis=1)


def _number(name, value, lo, hi, whole=False):
    ok = (not isinstance(value, bool) and isinstance(value, (int, np.integer) if whole else (int, float))
          and lo <= value <= hi)
    if not ok:
        raise ValueError(f"{name}: {value!r} is not a {'whole number' if whole else 'number'} from {lo:g} to {hi:g}")
    return value


def load(name, noise=DEFAULT_NOISE_PERCENT, n_points=DEFAULT_POINTS, data_seed=0, features=None) -> Dataset:
    """Any dataset by name.  For the generated ones: ``noise`` in percent of the data's scale (0–50),
    ``n_points`` (50–1000), ``data_seed`` (a new one regenerates) and the input ``features`` (None or
    ["x1", "x2"]: the raw coordinates).  The seeds' tables take none of these."""
    if name not in NAMES:
        raise ValueError(f"dataset: {name!r} is not one of {', '.join(NAMES)}")
    if name in ("xor-table", "letters"):
        features_for(name, features)
        return xor_table() if name == "xor-table" else letters()
    noise = _number("noise", noise, 0, MAX_NOISE_PERCENT)
    n_points = _number("n_points", n_points, MIN_POINTS, MAX_POINTS, whole=True)
    data_seed = _number("data_seed", data_seed, 0, MAX_DATA_SEED, whole=True)
    features = features_for(name, features)
    d = generate(name, int(n_points), noise / 100.0 * SCALE, int(data_seed))
    return replace(d, X=feature_matrix(d.points, features), features=features,
                   params={"noise": float(noise), "n_points": int(n_points), "data_seed": int(data_seed)})


def split(dataset, test_fraction, seed=0):
    """(train, test): a seeded ``test_fraction`` of the rows held out (round(n·f), at least one row left to
    train on); ``test`` is None when the fraction is 0."""
    f = _number("test_fraction", test_fraction, 0, MAX_TEST_FRACTION)
    n = dataset.n_samples
    n_test = min(int(round(n * f)), n - 1)
    if n_test == 0:
        return dataset, None
    order = np.random.default_rng([int(seed), 1]).permutation(n)  # its own stream: the data's is untouched
    return dataset.rows(np.sort(order[n_test:])), dataset.rows(np.sort(order[:n_test]))
