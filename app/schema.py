"""The app's configuration fields on top of the engine's schema, and what ``GET /api/schema`` serves.

The engine declares the fields it builds networks from (``engine.config.FIELDS``).  The app adds its own two:
``compare`` (the mistake lab trains the chosen rule beside the correct one) and ``examples`` (train also on
the drawings stored from the page).  ``FIELDS`` is both together, in the order the URL shows them; the
``configure`` event accepts exactly these keys.  ``describe()`` is the one JSON description of the
configuration the page builds its controls, URL, limits and the lab's rules from.
"""
from __future__ import annotations

import functools

from engine import config, datasets, presets
from engine.activations import ACTIVATIONS
from engine.variants import VARIANTS

from . import points
from .wire import encode, parts

APP_FIELDS = (
    config.Field("compare", "Compare with the correct rule",
                 "Train the chosen learning rule beside the correct one, from the same start.", "boolean", False),
    config.Field("examples", "Train on my drawings",
                 "Add the letters drawn and stored from this page to the training set.", "boolean", False),
)
FIELDS = config.FIELDS + APP_FIELDS
NAMES = tuple(f.name for f in FIELDS)
# What a "what if" branch may change from its parent's config (``branches.py``), and how many branches one run
# keeps besides itself; the page's "What if…" form is built from these.
BRANCH_FIELDS = ("lr", "batch", "momentum", "regularization", "reg_rate", "variant")
MAX_BRANCHES = 4


def build(body):
    """``presets.build`` with the app's fields checked and kept in the setup's config."""
    return presets.build(body, APP_FIELDS)


@functools.cache
def _datasets():
    out = []
    for name in datasets.NAMES:
        d = datasets.load(name)
        out.append({"name": name, "kind": d.kind, "n_samples": d.n_samples, "n_inputs": int(d.X.shape[1]),
                    "labels": list(d.labels)})
    return out


def describe(max_epochs=config.checks.MAX_EPOCHS):
    """``{"fields", "presets", "datasets", "variants", "activations", "limits", "wire", "doubt", "branch"}`` as
    JSON-able dicts (``wire``: the snapshot's optional parts the page carries over, ``app/wire/parts.py``;
    ``doubt``: when a prediction is marked not sure, ``encode.doubt_rule``; ``branch``: the fields a "what if"
    branch may change, and how many branches a run keeps)."""
    app_defaults = config.defaults(APP_FIELDS)
    return {
        "fields": [f.as_dict() for f in FIELDS],
        "presets": [{**p, "config": {**p["config"], **app_defaults}} for p in presets.list_presets()],
        "datasets": _datasets(),
        "variants": [{**v.as_dict(), "needs": config.needs(v)} for v in VARIANTS.values()],
        "activations": [{"name": a.name, "tex": a.tex, "der_rule": a.der_rule, "hidden": a.elementwise}
                        for a in ACTIVATIONS.values()],
        "limits": {**config.limits(), "epochs": max_epochs, **points.limits()},
        "wire": parts.describe(),
        "doubt": encode.doubt_rule(),
        "branch": {"fields": list(BRANCH_FIELDS), "limit": MAX_BRANCHES},
    }
