"""The configuration schema: every field of a setup declared once, and the one ``normalize()``.

A ``Field`` holds a field's key, type, default, its choices or range, a human
label and a one-line help text (as TensorFlow Playground's ``state.ts``).  The
choices are read from the registries (``activations.ACTIVATIONS``,
``losses.LOSSES``, ``init.INITS``, ``trainer.SCHEDULES``, ``variants.VARIANTS``,
``datasets.NAMES``, the presets), never written again here; the ranges are the
limits in ``checks``.  ``normalize`` puts a caller's fields on top of a preset's
and checks each with its field's ``check``, so every refusal reads the same:
``Learning rate (lr): 200 is not a number from 0 to 100``.

The server serves this table (``GET /api/schema``) and the page builds its
controls and URL from it.  The app adds its own fields (``compare``,
``examples``) as an extension: ``normalize(config, extra=APP_FIELDS)``.

To add a field: append one ``Field`` to ``FIELDS`` (its default is what every
preset gets unless it says otherwise) and read ``config[name]`` in ``build``
(``engine/presets.py``).  The page's control, the URL and the server's check follow.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import activations as _act
from . import checks
from . import datasets as _data
from . import losses as _loss
from . import variants as _variants
from .checks import MAX_HIDDEN_LAYERS, MAX_LR, MAX_MOMENTUM, MAX_SEED, MAX_WIDTH, FieldError
from .init import INIT_ALIASES, INIT_LABELS, INITS
from .network import MAX_REG_RATE, REGULARIZATIONS
from .trainer import SCHEDULES

DEFAULT_PRESET = "letters"
BATCH_WORDS = ("full", "sample")  # a batch is one of these or a whole number of samples


@dataclass(frozen=True)
class Field:
    """One configuration field.  ``type`` is one of choice, number, integer, boolean, layers, batch, features
    (a list of distinct choices)."""

    name: str
    label: str
    help: str
    type: str
    default: Any
    choices: Callable[[], tuple] | None = None  # read from a registry when asked, so it is never a copy
    min: float | None = None
    max: float | None = None
    nullable: bool = False  # choice fields: None is allowed (shown as ``none_label``)
    none_label: str = ""
    option_labels: dict = field(default_factory=dict)  # shorter words for some choices, shown in menus
    aliases: Callable[[], dict] | None = None  # old names a saved link or model may still use → today's name

    def allowed(self):
        return tuple(self.choices()) if self.choices else ()

    def check(self, value, key=None):
        """The clean value, or ``FieldError`` naming this field by its label and key."""
        key = key or self.name
        if self.aliases and isinstance(value, str):
            value = self.aliases().get(value, value)
        if self.type == "choice":
            return None if self.nullable and value is None else checks.choice(key, value, self.allowed(), self.label)
        if self.type == "boolean":
            return checks.boolean(key, value, self.label)
        if self.type == "integer":
            return checks.whole(key, value, self.min, self.max, self.label)
        if self.type == "number":
            return checks.number(key, value, self.min, self.max, self.label)
        if self.type == "batch":
            if value in BATCH_WORDS:
                return value
            if isinstance(value, str) or isinstance(value, bool) or not isinstance(value, int) \
                    or not self.min <= value <= self.max:
                checks.refuse(key, self.label, f"{value!r} is not 'full', 'sample' or a whole number from "
                                               f"{self.min} to {self.max}")
            return value
        if self.type == "layers":
            if not isinstance(value, (list, tuple)) or len(value) > MAX_HIDDEN_LAYERS:
                checks.refuse(key, self.label, f"need a list of 0 to {MAX_HIDDEN_LAYERS} hidden-layer sizes, "
                                               f"got {value!r}")
            return [checks.whole(f"{key}[{i}]", n, self.min, self.max, self.label) for i, n in enumerate(value)]
        if self.type == "features":
            try:
                return list(_data.check_features(value))
            except ValueError as exc:
                checks.refuse(key, self.label, str(exc).partition(": ")[2])
        raise AssertionError(f"field {self.name}: unknown type {self.type}")

    def as_dict(self):
        """The JSON the page reads: name, label, help, type, default, and choices or min/max."""
        d = {"name": self.name, "label": self.label, "help": self.help, "type": self.type, "default": self.default}
        if self.choices:
            d["choices"] = list(self.allowed())
            if self.nullable:
                d["nullable"], d["none_label"] = True, self.none_label
            if self.option_labels:
                d["option_labels"] = dict(self.option_labels)
        if self.min is not None:
            d["min"], d["max"] = self.min, self.max
        if self.type == "layers":
            d["max_layers"] = MAX_HIDDEN_LAYERS
        return d


def _preset_names():
    from .presets import PRESETS  # the presets are data on top of this schema

    return tuple(PRESETS)


def _preset_aliases():
    from .presets import ALIASES

    return ALIASES


FIELDS = (
    Field("preset", "Preset", "A ready-made network and training setup; the fields below change it.",
          "choice", DEFAULT_PRESET, _preset_names, aliases=lambda: _preset_aliases()),
    Field("dataset", "Dataset", "What the network learns: the letters, the XOR table or a set of 2-D points.",
          "choice", "letters", lambda: _data.NAMES),
    Field("layers", "Hidden layers", "The number of neurons in each hidden layer, from the input side.",
          "layers", [], min=1, max=MAX_WIDTH),
    Field("activation", "Activation", "The function σ each hidden neuron applies to its weighted input z.",
          "choice", "sigmoid", lambda: _act.HIDDEN_ACTIVATIONS),
    Field("output_activation", "Output", "The function the output neurons apply; 'same' uses the hidden one.",
          "choice", None, lambda: tuple(_act.ACTIVATIONS), nullable=True, none_label="same"),
    Field("loss", "Loss", "The cost C that backprop differentiates: squared error or a cross-entropy.",
          "choice", "mse", lambda: _loss.LOSSES,
          option_labels={"mse": "MSE", "bce": "BCE", "ce": "CE"}),
    Field("reduction", "Cost over samples", "Whether the cost adds the samples' costs (Σ) or averages them (1/n Σ).",
          "choice", "sum", lambda: _loss.REDUCTIONS, option_labels={"sum": "sum (Σ)", "mean": "mean (1/n Σ)"}),
    Field("bias", "Biases", "Whether each neuron adds a learned bias b to its weighted input.", "boolean", False),
    Field("lr", "Learning rate", "η: how far each step moves the weights against the gradient.",
          "number", 1.0, min=0.0, max=MAX_LR),
    Field("momentum", "Momentum", "How much of the previous step each step keeps (0: plain gradient descent).",
          "number", 0.0, min=0.0, max=MAX_MOMENTUM),
    Field("batch", "Batch", "Samples per weight update: all of them, one at a time, or a number in between.",
          "batch", "full", lambda: BATCH_WORDS, min=1, max=_data.MAX_POINTS,
          option_labels={"full": "full", "sample": "1 (SGD)"}),
    Field("shuffle", "Shuffle samples", "Whether the samples come in a new random order every epoch.",
          "boolean", False),
    Field("schedule", "Learning-rate schedule", "Keep η constant, or divide it by the epoch number.",
          "choice", "constant", lambda: SCHEDULES, option_labels={"constant": "constant η", "inverse": "η / epoch"}),
    Field("init", "Initial weights", "How the first weights are drawn: evenly from −1 to 1 (2·rand − 1, "
          "uniform ±1), from 0 to 1 (rand ≥ 0, rand + bias: all positive) or from a bell curve (randn, normal 0.5, "
          "Xavier, He). The first four draw them as the classic from-scratch scripts do, number for number.",
          "choice", "rand-sym", lambda: tuple(INITS), aliases=lambda: INIT_ALIASES,
          option_labels=INIT_LABELS),
    Field("seed", "Seed", "The random seed of the first weights: the same seed gives the same start.",
          "integer", 1, min=0, max=MAX_SEED),
    Field("variant", "Learning rule", "The correct rule, or one of the mistake lab's wrong ones.",
          "choice", "correct", lambda: tuple(_variants.VARIANTS)),
    # the generated datasets' fields (the seeds' tables ignore them)
    Field("noise", "Noise", "How much random scatter the generated points get, in percent of the data's scale.",
          "number", _data.DEFAULT_NOISE_PERCENT, min=0.0, max=_data.MAX_NOISE_PERCENT),
    Field("n_points", "Points", "How many points the generated dataset has, test points included.",
          "integer", _data.DEFAULT_POINTS, min=_data.MIN_POINTS, max=_data.MAX_POINTS),
    Field("data_seed", "Data seed", "The random seed of the generated points: a new one draws a new dataset.",
          "integer", 0, min=0, max=_data.MAX_DATA_SEED),
    Field("test_fraction", "Test share", "The share of the points held out as a test set and never trained on.",
          "number", 0.0, min=0.0, max=_data.MAX_TEST_FRACTION),
    Field("features", "Input features", "What the input neurons see: the coordinates x1, x2 or functions of them.",
          "features", list(_data.DEFAULT_FEATURES), lambda: tuple(_data.FEATURES), min=1, max=len(_data.FEATURES)),
    Field("regularization", "Regularization", "A penalty on large weights, never the biases: L1 adds λ·Σ|w| to "
          "the cost, L2 adds λ/2·Σw².", "choice", "none", lambda: REGULARIZATIONS,
          option_labels={"none": "none", "l1": "L1", "l2": "L2"}),
    Field("reg_rate", "Regularization rate", "λ: how strongly the penalty pulls the weights towards 0.",
          "number", 0.0, min=0.0, max=MAX_REG_RATE),
)
BY_NAME = {f.name: f for f in FIELDS}
NAMES = tuple(f.name for f in FIELDS)


def defaults(fields=FIELDS):
    """Every field's default except the preset's: what a preset starts from."""
    return {f.name: f.default for f in fields if f.name != "preset"}


def needs(variant):
    """The fields a variant needs set to be meaningful (the bias-not-summed mistake needs a full batch of biases)."""
    # one bias row per training sample: no row for a held-out point, so no test split either
    return {"bias": True, "batch": "full", "test_fraction": 0.0} if variant.bias_per_sample else {}


def limits():
    return {"hidden_layers": MAX_HIDDEN_LAYERS, "width": MAX_WIDTH, "lr": MAX_LR, "momentum": MAX_MOMENTUM,
            "seed": MAX_SEED, "epochs": checks.MAX_EPOCHS, "points": _data.MAX_POINTS}


def normalize(config=None, extra=()) -> dict:
    """The preset's config with ``config``'s fields on top, every field checked; returns a new dict.

    ``extra`` are more ``Field``s (the app's); their defaults apply when neither the preset nor ``config`` sets them.
    """
    fields = FIELDS + tuple(extra)
    if config is None:
        config = {}
    if not isinstance(config, dict):
        raise FieldError("config", "config: must be an object of fields")
    keys = [f.name for f in fields]
    unknown = sorted(set(config) - set(keys), key=str)
    if unknown:
        raise FieldError(str(unknown[0]), f"{unknown[0]}: unknown field; allowed are {', '.join(keys)}")
    from .presets import PRESETS

    name = BY_NAME["preset"].check(config.get("preset", DEFAULT_PRESET))
    merged = {**defaults(fields), **PRESETS[name]["config"], **config, "preset": name}
    c = {f.name: f.check(merged[f.name]) for f in fields}
    variant = _variants.get(c["variant"])
    if variant.init is not None:
        c["init"] = variant.init
    if variant.schedule is not None:
        c["schedule"] = variant.schedule
    for key, value in needs(variant).items():
        if c[key] != value:  # a missing bias is the rule's fault, a wrong batch the batch's
            where = BY_NAME["variant" if isinstance(value, bool) else key]
            shown = ("on" if value else "off") if isinstance(value, bool) else repr(value)
            checks.refuse(where.name, where.label, f"the {variant.name} rule needs {BY_NAME[key].label.lower()} "
                                                   f"set to {shown}")
    return c
