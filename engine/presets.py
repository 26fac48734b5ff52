"""The presets (five that reproduce the seed scripts, and 2-D ones that learn), and ``build(config)``.

A preset is a full, validated configuration plus what a student reads about it
(title, seed file, the question the seed asked, how many epochs it ran).
``build`` merges a caller's overrides on top of a preset (``letters`` unless
``preset`` names another), validates every field strictly and returns a ready
``Setup``: network, trainer, dataset, the normalised JSON-able config, the
preset's description and the mistake-lab variant.  Field errors are
``ValueError("field: ...")`` naming the allowed values; nothing is built then.

``examples`` (train also on the drawings stored from the page) is only checked
here: the server adds those drawings (``app/frames.with_examples``); the engine
and the CLI train on the dataset alone.

Nothing here trains; the server and the CLI decide how many epochs to run.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass

from . import activations as _act
from . import datasets as _data
from . import losses as _loss
from . import variants as _variants
from .init import INITS
from .network import MAX_REG_RATE, REGULARIZATIONS, Network
from .trainer import SCHEDULES, Trainer

MAX_HIDDEN_LAYERS = 6
MAX_HIDDEN_WIDTH = 64
MAX_LR = 100.0
MAX_MOMENTUM = 0.99
MAX_SEED = 2**32 - 1
DEFAULT_PRESET = "letters"

_BASE = {"layers": [], "activation": "sigmoid", "output_activation": None, "loss": "mse",
         "reduction": "sum", "bias": False, "lr": 1.0, "momentum": 0.0, "batch": "full",
         "shuffle": False, "schedule": "constant", "init": "trask", "seed": 1, "variant": "correct",
         "compare": False, "examples": False}

# -- the 2-D playground's fields (issue 12) -- one place: their defaults here, their checks in
# ``_playground_fields``, their use in ``build``.  A schema refactor can move this block as it is.
PLAYGROUND_DEFAULTS = {
    "noise": _data.DEFAULT_NOISE_PERCENT,  # percent of the data's scale, 0–50
    "n_points": _data.DEFAULT_POINTS,  # 50–1000 (the generated datasets)
    "data_seed": 0,  # a new one regenerates the points
    "test_fraction": 0.0,  # 0–0.9 held out, never trained on
    "regularization": "none",  # none, l1, l2: over the weights only
    "reg_rate": 0.0,  # λ, 0–10
    "features": list(_data.DEFAULT_FEATURES),  # the network's inputs, from x1, x2, x1^2, x2^2, x1x2, sin_x1, sin_x2
}
_BASE.update(PLAYGROUND_DEFAULTS)


def _playground_fields(c):
    """Check the playground's fields of the merged config ``c`` in place."""
    c["noise"] = _number("noise", c["noise"], 0.0, _data.MAX_NOISE_PERCENT)
    c["n_points"] = _whole("n_points", c["n_points"], _data.MIN_POINTS, _data.MAX_POINTS)
    c["data_seed"] = _whole("data_seed", c["data_seed"], 0, _data.MAX_DATA_SEED)
    c["test_fraction"] = _number("test_fraction", c["test_fraction"], 0.0, _data.MAX_TEST_FRACTION)
    c["regularization"] = _choice("regularization", c["regularization"], REGULARIZATIONS)
    c["reg_rate"] = _number("reg_rate", c["reg_rate"], 0.0, MAX_REG_RATE)
    _data.features_for(c["dataset"], c["features"])  # ["x1", "x2"] stays as given: the raw coordinates of any set
    c["features"] = list(c["features"])


def _preset(name, title, seed_file, epochs, description, **config):
    return {"name": name, "title": title, "seed_file": seed_file, "epochs": epochs,
            "description": " ".join(description.split()), "config": {**_BASE, **config}}


PRESETS = {p["name"]: p for p in (
    _preset(
        "xor-trask", "XOR the Trask way: 3-4-1, W += aᵀδ", "000", 60_000, """
        Seed 000 asks why the script adds `L1.T.dot(L2_Delta)` to the weights instead of subtracting it, and why
        the matrix order differs from the textbook's BP2/BP4. Its error is y − a, which already carries the
        minus sign of −∇C, so `W += aᵀδ` is gradient descent; and with samples as rows, BP4 reads aˡ⁻¹ᵀ δˡ.
        This preset is that script exactly: 3-4-1 sigmoid, no bias (the third input is a constant 1),
        W = 2·rand − 1 after seed 1, full batch, learning rate 1, squared error summed over the four rows.""",
        dataset="xor-table", layers=[4], init="trask", seed=1),
    _preset(
        "xor-positive-init", "XOR from all-positive weights", "001", 1_000, """
        Seed 001 asks why the update multiplies the error by the previous layer's activation (a⁰ᵀ δ): that is
        BP4, ∂C/∂W = aˡ⁻¹ᵀ δˡ, because each weight's effect on z is the activation it multiplies. The script
        draws every weight from rand in [0, 1), so all hidden units start alike; this preset replays it
        (seed 1, learning rate 1, 1,000 full-batch iterations) and shows how slowly it leaves that start.""",
        dataset="xor-table", layers=[4], init="rand", seed=1),
    _preset(
        "letters", "Letters A, B, C with the asker's backward (MSE)", "002", 100, """
        Seed 002 asks whether the output δ needs σ′(z₂). Under squared error it does: δ = (a − y) ⊙ σ′(z₂),
        which is the asker's code. This preset is that network: 30-5-3 sigmoid without biases, randn weights
        after seed 2, per-sample SGD over A, B, C in order, learning rate 0.1, 100 epochs.""",
        dataset="letters", layers=[5], init="randn", seed=2, lr=0.1, batch="sample"),
    _preset(
        "letters-bce", "Letters A, B, C with the other backward (cross-entropy)", "002", 100, """
        The other code in seed 002 drops σ′(z₂) and uses δ = a − y. That is exactly the gradient of binary
        cross-entropy after a sigmoid, where σ′ cancels; so both codes are right, for different costs. This
        preset trains the same net from the same start with BCE, so the two can be compared.""",
        dataset="letters", layers=[5], init="randn", seed=2, lr=0.1, batch="sample", loss="bce",
        output_activation="sigmoid"),
    _preset(
        "binary-2-5-5-1", "2-5-5-1 with biases, BCE and η/epoch", "003", 1_000, """
        Seed 003 does not learn and asks why. Its bias gradient is δ itself, not summed over the batch, so each
        bias silently becomes one per sample; its learning rate is 1/epoch; its weights and biases all start
        in [0, 1); and its step is the gradient of the summed cost (only the printed cost is divided by m).
        This preset runs that network on 100 points of two moons (2-5-5-1 sigmoid with biases, BCE, rand
        weights after seed 0, full batch, η = 1/epoch) with the bias gradient correctly summed, and it still
        does not learn: fixing one suspect is not enough. Set init to uniform, schedule to constant and the
        learning rate to 0.1 and it separates the moons; the mistake lab puts each suspect back one at a time.""",
        dataset="moons", layers=[5, 5], bias=True, loss="bce", output_activation="sigmoid", init="rand-columns", seed=0,
        schedule="inverse"),
    # -- 2-D presets that learn from their defaults (issue 12) ------------------------------------------------
    _preset(
        "spiral", "Two spirals from x₁ and x₂ alone", "", 1_500, """
        Two interleaved spirals of 150 points each, and a 2-8-8-1 tanh network that sees only the two
        coordinates. Watch the boundary: at first it is nearly a straight line, then it bends, and within about
        a thousand epochs it winds between the arms, with more than 95 % of the points on the right side. Hover
        the hidden neurons: each first-layer neuron can only cut the plane with a straight line; the second
        layer combines those cuts into the spiral. Mini-batches of 10, shuffled, learning rate 0.1, mean
        cross-entropy.""",
        dataset="spirals", noise=10.0, n_points=300, layers=[8, 8], activation="tanh", output_activation="sigmoid",
        loss="bce", reduction="mean", bias=True, lr=0.1, batch=10, shuffle=True, init="xavier", seed=1),
    _preset(
        "circle-features", "A circle with squared inputs and no hidden layer", "", 300, """
        A ring of orange points around a blue disc, and a network with no hidden layer at all: one sigmoid
        neuron. Its inputs are not x₁ and x₂ but x₁² and x₂², so its boundary w₁x₁² + w₂x₂² + b = 0 is a
        circle, and it separates the classes in a few dozen epochs. Change the features to x1 and x2: one
        neuron can then only draw a straight line, and it stays near 50 % however long it trains. Choosing
        the inputs is part of the model.""",
        dataset="circles", noise=10.0, n_points=200, features=["x1^2", "x2^2"], layers=[], activation="sigmoid",
        output_activation="sigmoid", loss="bce", reduction="mean", bias=True, lr=1.0, init="xavier", seed=1),
    _preset(
        "overfitting", "Overfitting, and L2 curing it", "", 4_000, """
        Sixty points from two overlapping clouds: half are held out as a test set and never trained on, and
        the network (2-16-16-16-1) is far bigger than thirty points need. Watch the two loss curves: the
        training loss keeps falling towards 0 while the test loss falls for a few hundred epochs and then
        climbs; the network is learning the noise of its own thirty points by heart. Now set regularization to
        l2 (the rate 0.01 is already set) and train again: the penalty λ/2·Σw² adds λ·w to every weight's
        gradient and keeps the weights small, the training loss stays well above 0 and the test loss stays
        near its lowest.""",
        dataset="gauss", noise=40.0, n_points=60, test_fraction=0.5, layers=[16, 16, 16], activation="tanh",
        output_activation="sigmoid", loss="bce", reduction="mean", bias=True, lr=0.1, init="xavier", seed=1,
        reg_rate=0.01),
    _preset(
        "regression-bumps", "Regression: a landscape of six bumps", "", 1_000, """
        Each point has a height instead of a class: three hills and three hollows, plus a little noise. The
        output neuron is linear and the cost is squared error, so the network fits a surface rather than a
        boundary; there is no accuracy, and the number to watch is the mean absolute error |y − a|, on the
        training points and on the 20 % held out. The hills appear one by one as the hidden neurons
        specialise. 2-8-8-1 tanh, mini-batches of 10, learning rate 0.1.""",
        dataset="reg-gauss", noise=5.0, n_points=200, test_fraction=0.2, layers=[8, 8], activation="tanh",
        output_activation="linear", loss="mse", reduction="mean", bias=True, lr=0.1, batch=10, shuffle=True,
        init="xavier", seed=1),
    _preset(
        "sine-curve", "Fitting a sine curve", "", 1_000, """
        One input, one output: 200 noisy points of y = sin(πx), a curve with one and a half waves. A 1-8-8-1
        tanh network with a linear output bends its line into the wave; the mean absolute error falls from
        about 0.65 towards the noise level of 0.04. Add the feature sin_x1 and the network has almost nothing
        left to learn: with the right input, one weight does it.""",
        dataset="sine", noise=5.0, n_points=200, test_fraction=0.2, layers=[8, 8], activation="tanh",
        output_activation="linear", loss="mse", reduction="mean", bias=True, lr=0.1, batch=10, shuffle=True,
        init="xavier", seed=1),
)}

FIELDS = ("preset", "dataset", "layers", "activation", "output_activation", "loss", "reduction", "bias", "lr",
          "momentum", "batch", "shuffle", "schedule", "init", "seed", "variant", "compare",
          "examples", *PLAYGROUND_DEFAULTS)


@dataclass
class Setup:
    net: Network
    trainer: Trainer
    dataset: _data.Dataset  # the points trained on
    config: dict
    preset: dict
    variant: _variants.Variant
    test: _data.Dataset | None = None  # the held-out points (``test_fraction``), never trained on


def meta(name):
    p = PRESETS[name]
    return {k: p[k] for k in ("name", "title", "seed_file", "description", "epochs")}


def list_presets():
    """Every preset as JSON-able dicts: meta plus its config."""
    return [{**meta(name), "config": copy.deepcopy(PRESETS[name]["config"])} for name in PRESETS]


# -- validation ----------------------------------------------------------------------------------------
def _choice(field, value, allowed):
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{field}: {value!r} is not one of {', '.join(allowed)}")
    return value


def _boolean(field, value):
    if not isinstance(value, bool):
        raise ValueError(f"{field}: must be true or false, got {value!r}")
    return value


def _whole(field, value, lo, hi):
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ValueError(f"{field}: {value!r} is not a whole number from {lo} to {hi}")
    return value


def _number(field, value, lo, hi):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not lo <= value <= hi:
        raise ValueError(f"{field}: {value!r} is not a finite number from {lo:g} to {hi:g}")
    return float(value)


def _layers(value):
    if not isinstance(value, (list, tuple)) or len(value) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"layers: need a list of 0 to {MAX_HIDDEN_LAYERS} hidden-layer sizes, got {value!r}")
    return [_whole(f"layers[{i}]", n, 1, MAX_HIDDEN_WIDTH) for i, n in enumerate(value)]


def normalize(config=None) -> dict:
    """The preset's config with ``config``'s fields on top, every field checked; returns a new dict."""
    if config is None:
        config = {}
    if not isinstance(config, dict):
        raise ValueError("config: must be an object of fields")
    unknown = sorted(set(config) - set(FIELDS), key=str)
    if unknown:
        raise ValueError(f"{unknown[0]}: unknown field; allowed are {', '.join(FIELDS)}")
    name = _choice("preset", config.get("preset", DEFAULT_PRESET), tuple(PRESETS))
    c = {"preset": name, **copy.deepcopy(PRESETS[name]["config"]),
         **{k: v for k, v in config.items() if k != "preset"}}
    c["dataset"] = _choice("dataset", c["dataset"], _data.NAMES)
    c["layers"] = _layers(c["layers"])
    c["activation"] = _choice("activation", c["activation"], _act.HIDDEN_ACTIVATIONS)
    if c["output_activation"] is not None:
        c["output_activation"] = _choice("output_activation", c["output_activation"], tuple(_act.ACTIVATIONS))
    c["loss"] = _choice("loss", c["loss"], _loss.LOSSES)
    c["reduction"] = _choice("reduction", c["reduction"], _loss.REDUCTIONS)
    for f in ("bias", "shuffle", "compare", "examples"):
        c[f] = _boolean(f, c[f])
    c["lr"] = _number("lr", c["lr"], 0.0, MAX_LR)
    c["momentum"] = _number("momentum", c["momentum"], 0.0, MAX_MOMENTUM)
    c["schedule"] = _choice("schedule", c["schedule"], SCHEDULES)
    c["init"] = _choice("init", c["init"], tuple(INITS))
    c["seed"] = _whole("seed", c["seed"], 0, MAX_SEED)
    _playground_fields(c)
    variant = _variants.get(c["variant"])
    if variant.init is not None:
        c["init"] = variant.init
    if variant.schedule is not None:
        c["schedule"] = variant.schedule
    if variant.bias_per_sample and not c["bias"]:
        raise ValueError("variant: 'bias-not-summed' needs bias true")
    batch = c["batch"]
    if batch not in ("full", "sample"):
        _whole("batch", batch, 1, _data.MAX_POINTS)  # the upper bound is the dataset's size, checked in build
    if variant.bias_per_sample and batch != "full":
        raise ValueError("batch: the bias-not-summed variant needs batch 'full'")
    return {k: c[k] for k in FIELDS}


def build(config=None) -> Setup:
    """A network and trainer for ``config`` (overrides on top of a preset); ValueError names a bad field."""
    c = normalize(config)
    variant = _variants.get(c["variant"])
    data = _data.load(c["dataset"], noise=c["noise"], n_points=c["n_points"], data_seed=c["data_seed"],
                      features=c["features"])
    if data.task == "regression" and c["loss"] != "mse":
        raise ValueError(f"loss: {c['dataset']!r} is a regression dataset (real targets, no classes), so it needs "
                         "'mse'")
    out_name = c["output_activation"] or (c["activation"] if c["loss"] != "ce" else "softmax")
    if out_name == "softmax":
        data = data.one_hot()
    data, test = _data.split(data, c["test_fraction"], c["data_seed"])
    n = data.n_samples
    if isinstance(c["batch"], int) and c["batch"] > n:
        raise ValueError(f"batch: {c['batch']!r} is not 'full', 'sample' or a whole number from 1 to {n}")
    sizes = [data.X.shape[1], *c["layers"], data.Y.shape[1]]
    net = Network(sizes, activation=c["activation"], output_activation=c["output_activation"], loss=c["loss"],
                  reduction=c["reduction"], bias=c["bias"], init=c["init"], seed=c["seed"],
                  regularization=c["regularization"], reg_rate=c["reg_rate"])
    trainer = Trainer(net, data.X, data.Y, eta=c["lr"], batch=c["batch"], shuffle=c["shuffle"],
                      shuffle_seed=c["seed"], schedule=c["schedule"], momentum=c["momentum"], variant=variant,
                      X_test=None if test is None else test.X, Y_test=None if test is None else test.Y,
                      task=data.task)
    return Setup(net, trainer, data, c, meta(c["preset"]), variant, test)
