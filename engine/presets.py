"""The presets (five that replay published questions, five 2-D ones that learn): plain data on top of the
configuration schema, and ``build(config)``.

A preset is a name, a title that says what it is, a description in plain words
(what the network is, what to look at, what to try), an ``origin`` line when it
reproduces a published question (the only place that history is named), how
many epochs it is meant to run, and the configuration fields it sets; every
other field takes its default from ``engine.config.FIELDS``.

``build`` normalises a caller's fields on top of a preset (``letters`` unless
``preset`` names another) with ``config.normalize`` and returns a ready
``Setup``: network, trainer, dataset, the normalised JSON-able config, the
preset's description and the mistake-lab variant.  A bad field raises
``checks.FieldError`` naming it by label and key; nothing is built then.
Nothing here trains; the server and the command line decide how many epochs to run.

To add a preset: add one entry to ``_PRESETS`` below.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

from . import datasets as _data
from . import variants as _variants
from .checks import MAX_HIDDEN_LAYERS, MAX_LR, MAX_MOMENTUM, MAX_SEED, MAX_WIDTH, FieldError, refuse
from .config import DEFAULT_PRESET, NAMES, defaults, normalize
from .network import Network
from .trainer import Trainer

MAX_HIDDEN_WIDTH = MAX_WIDTH  # older name, kept importable
FIELDS = NAMES
META = ("name", "title", "origin", "description", "epochs")

_PRESETS = (
    {"name": "xor-3-4-1", "title": "XOR, 3-4-1, sigmoid, no biases", "epochs": 60_000,
     "origin": "Reproduces a public Q&A post: 'why += and not -=?'",
     "description": """
        Four rows of XOR; the third input is always 1 and stands in for a bias. Each step adds aᵀδ to the
        weights, with the error written as y − a: that sign already carries the minus of −∇C, so adding
        is going downhill. Look at a weight's card in the equations panel: the step it shows is −η times
        the gradient. Try the mistake lab's flipped sign to see what really going uphill looks like.""",
     "config": {"dataset": "xor-table", "layers": [4], "init": "rand-sym", "seed": 1}},
    {"name": "xor-positive-init", "title": "XOR, 3-4-1, sigmoid, all-positive start", "epochs": 1_000,
     "origin": "Reproduces a public Q&A post: 'why multiply by the previous activation?'",
     "description": """
        The same XOR network, but every first weight is drawn from [0, 1), so all hidden neurons start
        almost alike. Click a weight: its gradient is the activation feeding it times the δ it feeds,
        because that activation is how much the weight moves z. Watch the loss stay flat for a long time
        before the neurons tell themselves apart; try the he or xavier start to compare.""",
     "config": {"dataset": "xor-table", "layers": [4], "init": "rand", "seed": 1}},
    {"name": "letters", "title": "Letters A, B, C, 30-5-3, sigmoid, squared error", "epochs": 100,
     "origin": "Reproduces a public Q&A post: 'does the output δ need σ′(z)?'",
     "description": """
        Three 5×6 letters, one pixel per input, five hidden neurons and one output per letter, trained one
        sample at a time. Under squared error the output δ is (a − y) times σ′(z): click an output neuron
        to see both factors with their numbers. Draw a letter on the pad and see what the network says;
        switch the loss to BCE to see σ′ disappear from the output δ.""",
     "config": {"dataset": "letters", "layers": [5], "init": "randn", "seed": 2, "lr": 0.1, "batch": "sample"}},
    {"name": "letters-bce", "title": "Letters A, B, C, 30-5-3, sigmoid, cross-entropy", "epochs": 100,
     "origin": "Reproduces a public Q&A post: 'does the output δ need σ′(z)?'",
     "description": """
        The same letters network from the same start, with binary cross-entropy as the cost. Its output δ
        is just a − y: the σ′(z) of the sigmoid cancels against the cost's own derivative. Click an output
        neuron to see the cancellation; compare the learning curve with the squared-error preset.""",
     "config": {"dataset": "letters", "layers": [5], "init": "randn", "seed": 2, "lr": 0.1, "batch": "sample",
                "loss": "bce", "output_activation": "sigmoid"}},
    {"name": "binary-2-5-5-1", "title": "Two moons, 2-5-5-1, sigmoid with biases, η/epoch: does not learn",
     "epochs": 1_000,
     "origin": "Reproduces a public Q&A post: 'why does my network not learn?'",
     "description": """
        100 points of two moons, two hidden layers of five, biases, cross-entropy, every first weight and
        bias in [0, 1) and a learning rate divided by the epoch number. The bias gradient is correctly
        summed over the batch, and it still does not learn: look at how small the steps get. Try initial
        weights 'uniform', a constant schedule and a learning rate of 0.1 and it separates the moons; the
        mistake lab puts back each wrong choice one at a time.""",
     "config": {"dataset": "moons", "layers": [5, 5], "bias": True, "loss": "bce", "output_activation": "sigmoid",
                "init": "rand-columns", "seed": 0, "schedule": "inverse"}},
    {"name": "spiral", "title": "Two spirals from x₁ and x₂ alone", "epochs": 1_500, "origin": "",
     "description": """
        Two interleaved spirals of 150 points each, and a 2-8-8-1 tanh network that sees only the two
        coordinates. Watch the boundary: at first it is nearly a straight line, then it bends, and within about
        a thousand epochs it winds between the arms, with more than 95 % of the points on the right side. Hover
        the hidden neurons: each first-layer neuron can only cut the plane with a straight line; the second
        layer combines those cuts into the spiral. Mini-batches of 10, shuffled, learning rate 0.1, mean
        cross-entropy.""",
     "config": {"dataset": "spirals", "noise": 10.0, "n_points": 300, "layers": [8, 8], "activation": "tanh",
                "output_activation": "sigmoid", "loss": "bce", "reduction": "mean", "bias": True, "lr": 0.1,
                "batch": 10, "shuffle": True, "init": "xavier", "seed": 1}},
    {"name": "circle-features", "title": "A circle with squared inputs and no hidden layer", "epochs": 300,
     "origin": "",
     "description": """
        A ring of orange points around a blue disc, and a network with no hidden layer at all: one sigmoid
        neuron. Its inputs are not x₁ and x₂ but x₁² and x₂², so its boundary w₁x₁² + w₂x₂² + b = 0 is a
        circle, and it separates the classes in a few dozen epochs. Change the features to x1 and x2: one
        neuron can then only draw a straight line, and it stays near 50 % however long it trains. Choosing
        the inputs is part of the model.""",
     "config": {"dataset": "circles", "noise": 10.0, "n_points": 200, "features": ["x1^2", "x2^2"], "layers": [],
                "activation": "sigmoid", "output_activation": "sigmoid", "loss": "bce", "reduction": "mean",
                "bias": True, "lr": 1.0, "init": "xavier", "seed": 1}},
    {"name": "overfitting", "title": "Overfitting, and L2 curing it", "epochs": 4_000, "origin": "",
     "description": """
        Sixty points from two overlapping clouds: half are held out as a test set and never trained on, and
        the network (2-16-16-16-1) is far bigger than thirty points need. Watch the two loss curves: the
        training loss keeps falling towards 0 while the test loss falls for a few hundred epochs and then
        climbs; the network is learning the noise of its own thirty points by heart. Now set regularization to
        l2 (the rate 0.01 is already set) and train again: the penalty λ/2·Σw² adds λ·w to every weight's
        gradient and keeps the weights small, the training loss stays well above 0 and the test loss stays
        near its lowest.""",
     "config": {"dataset": "gauss", "noise": 40.0, "n_points": 60, "test_fraction": 0.5, "layers": [16, 16, 16],
                "activation": "tanh", "output_activation": "sigmoid", "loss": "bce", "reduction": "mean",
                "bias": True, "lr": 0.1, "init": "xavier", "seed": 1, "reg_rate": 0.01}},
    {"name": "regression-bumps", "title": "Regression: a landscape of six bumps", "epochs": 1_000, "origin": "",
     "description": """
        Each point has a height instead of a class: three hills and three hollows, plus a little noise. The
        output neuron is linear and the cost is squared error, so the network fits a surface rather than a
        boundary; there is no accuracy, and the number to watch is the mean absolute error |y − a|, on the
        training points and on the 20 % held out. The hills appear one by one as the hidden neurons
        specialise. 2-8-8-1 tanh, mini-batches of 10, learning rate 0.1.""",
     "config": {"dataset": "reg-gauss", "noise": 5.0, "n_points": 200, "test_fraction": 0.2, "layers": [8, 8],
                "activation": "tanh", "output_activation": "linear", "loss": "mse", "reduction": "mean",
                "bias": True, "lr": 0.1, "batch": 10, "shuffle": True, "init": "xavier", "seed": 1}},
    {"name": "sine-curve", "title": "Fitting a sine curve", "epochs": 1_000, "origin": "",
     "description": """
        One input, one output: 200 noisy points of y = sin(πx), a curve with one and a half waves. A 1-8-8-1
        tanh network with a linear output bends its line into the wave; the mean absolute error falls from
        about 0.65 towards the noise level of 0.04. Add the feature sin_x1 and the network has almost nothing
        left to learn: with the right input, one weight does it.""",
     "config": {"dataset": "sine", "noise": 5.0, "n_points": 200, "test_fraction": 0.2, "layers": [8, 8],
                "activation": "tanh", "output_activation": "linear", "loss": "mse", "reduction": "mean",
                "bias": True, "lr": 0.1, "batch": 10, "shuffle": True, "init": "xavier", "seed": 1}},
)
ALIASES = {"xor-trask": "xor-3-4-1"}  # old preset names, still read from saved links and models
PRESETS = {p["name"]: {**p, "description": " ".join(p["description"].split()),
                       "config": {**defaults(), **p["config"]}} for p in _PRESETS}


@dataclass
class Setup:
    net: Network
    trainer: Trainer
    dataset: _data.Dataset
    config: dict
    preset: dict
    variant: _variants.Variant
    test: _data.Dataset | None = None  # the held-out points (``test_fraction``), never trained on


def meta(name):
    p = PRESETS[name]
    return {k: p[k] for k in META}


def list_presets():
    """Every preset as JSON-able dicts: meta plus its full config."""
    return [{**meta(name), "config": copy.deepcopy(PRESETS[name]["config"])} for name in PRESETS]


def build(config=None, extra=()) -> Setup:
    """A network and trainer for ``config`` (fields on top of a preset); ``FieldError`` names a bad field.

    ``extra`` are the caller's own ``Field``s (the app's); they are checked and kept in ``Setup.config``.
    """
    c = normalize(config, extra)
    variant = _variants.get(c["variant"])
    try:  # ["x1", "x2"] stays as given: the raw coordinates of any set
        _data.features_for(c["dataset"], c["features"])
    except ValueError as exc:
        refuse("features", "Input features", str(exc).partition(": ")[2])
    data = _data.load(c["dataset"], noise=c["noise"], n_points=c["n_points"], data_seed=c["data_seed"],
                      features=c["features"])
    if data.task == "regression" and c["loss"] != "mse":
        refuse("loss", "Loss", f"{c['dataset']!r} is a regression dataset (real targets, no classes), so it needs "
                               "'mse'")
    out_name = c["output_activation"] or (c["activation"] if c["loss"] != "ce" else "softmax")
    if out_name == "softmax":
        data = data.one_hot()
    data, test = _data.split(data, c["test_fraction"], c["data_seed"])
    n = data.n_samples
    if isinstance(c["batch"], int) and c["batch"] > n:
        refuse("batch", "Batch", f"{c['batch']!r} is not 'full', 'sample' or a whole number from 1 to {n} "
                                 f"(the {c['dataset']} dataset has {n} samples)")
    sizes = [data.X.shape[1], *c["layers"], data.Y.shape[1]]
    net = Network(sizes, activation=c["activation"], output_activation=c["output_activation"], loss=c["loss"],
                  reduction=c["reduction"], bias=c["bias"], init=c["init"], seed=c["seed"],
                  regularization=c["regularization"], reg_rate=c["reg_rate"])
    trainer = Trainer(net, data.X, data.Y, eta=c["lr"], batch=c["batch"], shuffle=c["shuffle"],
                      shuffle_seed=c["seed"], schedule=c["schedule"], momentum=c["momentum"], variant=variant,
                      X_test=None if test is None else test.X, Y_test=None if test is None else test.Y,
                      task=data.task)
    return Setup(net, trainer, data, c, meta(c["preset"]), variant, test)

__all__ = ["PRESETS", "FIELDS", "DEFAULT_PRESET", "Setup", "build", "normalize", "list_presets", "meta",
           "FieldError", "MAX_HIDDEN_LAYERS", "MAX_HIDDEN_WIDTH", "MAX_LR", "MAX_MOMENTUM", "MAX_SEED"]
