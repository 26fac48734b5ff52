"""The five presets that reproduce the seed scripts, and ``build(config)``.

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
from .network import Network
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
)}

FIELDS = ("preset", "dataset", "layers", "activation", "output_activation", "loss", "reduction", "bias", "lr",
          "momentum", "batch", "shuffle", "schedule", "init", "seed", "variant", "compare",
          "examples")


@dataclass
class Setup:
    net: Network
    trainer: Trainer
    dataset: _data.Dataset
    config: dict
    preset: dict
    variant: _variants.Variant


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
    data = _data.load(c["dataset"])
    out_name = c["output_activation"] or (c["activation"] if c["loss"] != "ce" else "softmax")
    if out_name == "softmax":
        data = data.one_hot()
    n = data.n_samples
    if isinstance(c["batch"], int) and c["batch"] > n:
        raise ValueError(f"batch: {c['batch']!r} is not 'full', 'sample' or a whole number from 1 to {n}")
    sizes = [data.X.shape[1], *c["layers"], data.Y.shape[1]]
    net = Network(sizes, activation=c["activation"], output_activation=c["output_activation"], loss=c["loss"],
                  reduction=c["reduction"], bias=c["bias"], init=c["init"], seed=c["seed"])
    trainer = Trainer(net, data.X, data.Y, eta=c["lr"], batch=c["batch"], shuffle=c["shuffle"],
                      shuffle_seed=c["seed"], schedule=c["schedule"], momentum=c["momentum"], variant=variant)
    return Setup(net, trainer, data, c, meta(c["preset"]), variant)
