"""What a session sends and saves, composed from engine setups: network, snapshot frames, replays, exports.

``build`` turns a protocol config into the main setup and, in the mistake lab
(``compare``), the companion that trains the chosen variant beside the correct
rule; ``with_examples`` adds drawn letters to a setup's training set (the solo
page's stored drawings, a class's accepted ones).  ``live`` and ``replay``
compose one ``snapshot`` frame (they live in ``app/wire/snapshot.py``, the one serialiser; re-exported here).
``export``/``load`` are the JSON model format the store and ``GET /api/models/<name>`` use.
No threads, no sockets, no locks here.
"""
from __future__ import annotations

import dataclasses
import types

import numpy as np

from . import schema
from .validate import Invalid, matrix, number_list
from .wire import encode
from .wire.snapshot import STEP_NUMBERS, extent, live, replay  # noqa: F401 - the snapshot's one home, re-exported

KEEP_BUDGET = 32 * 2**20
MAX_DRAWINGS = 200  # drawings a run trains on at most besides its dataset's own images (a solo tab's newest stored)
MODEL_FORMAT = "backprop-playground/model"


def build(config):
    """(main setup, companion setup or None) for a protocol config; ``Invalid`` naming the field if not valid."""
    try:
        setup = schema.build(config)
    except ValueError as exc:
        raise Invalid.from_value_error(exc) from None
    variant = setup.variant
    if not setup.config["compare"] or variant.name == "correct":
        return setup, None
    main = schema.build({**config, "variant": "correct", "compare": False})
    main.config = {**main.config, "variant": variant.name, "compare": True}
    return main, setup


def with_examples(setup, examples):
    """``setup`` training from now on on its dataset's own images plus ``examples`` [(label, input)].

    Letters datasets only (any other setup comes back as it is).  The trainer keeps its weights and its
    run (``Trainer.set_data``): a run that has begun goes on, and its curve marks the epoch of the change.
    Examples replace the ones added before, so an empty list takes the dataset back to its own images.
    """
    data = _examples_data(setup, examples)
    if data is None:
        return setup
    X, Y, dataset = data
    try:
        setup.trainer.set_data(X, Y)
    except ValueError as exc:
        raise Invalid.from_value_error(exc) from None
    return dataclasses.replace(setup, dataset=dataset)


def examples_view(setup, examples):
    """``setup``'s training set with ``examples`` in place of its drawings, as a view that trains nothing (a
    branch's data: its parent's drawings as they were at the branch's epoch); ``setup`` itself when that is
    what it has."""
    data = _examples_data(setup, examples)
    if data is None:
        return setup
    X, Y, dataset = data
    tr = setup.trainer
    trainer = types.SimpleNamespace(X=X, Y=Y, history=tr.history, data_changes=tr.data_changes)
    return dataclasses.replace(setup, dataset=dataset, trainer=trainer)


def _examples_data(setup, examples):
    """``(X, Y, dataset)``: ``setup``'s own images plus ``examples``; None when nothing changes."""
    if setup is None:
        return None
    ds = setup.dataset
    if ds.kind != "images" or ds.Y.shape[1] != len(ds.labels):
        return None
    own, width = ds.n_samples - ds.params.get("accepted", 0), ds.X.shape[1]
    labels = list(ds.labels)
    rows = [(x, labels.index(label)) for label, x in examples if label in labels and len(x) == width]
    if not rows and own == ds.n_samples:
        return None
    X = np.vstack([ds.X[:own], np.array([x for x, _ in rows], dtype=float).reshape(len(rows), width)])
    Y = np.vstack([ds.Y[:own], np.eye(len(labels))[[k for _, k in rows]].reshape(len(rows), len(labels))])
    return X, Y, dataclasses.replace(ds, X=X, Y=Y, params={**ds.params, "accepted": len(rows)})


def data_change(setup):
    """The ``dataset`` message: the training set changed and the run goes on."""
    return encode.data_change(setup)


def network(setup, companion=None):
    return encode.network(setup, companion.variant if companion else None)


def trace(t):
    return encode.trace(t)


def predict(net, x, labels, Y=None):
    return encode.predict(net, x, labels, Y)


def answer(net, x, labels, Y=None):
    """``predict`` for an input a browser sent (the one path of the ``predict`` event, solo and in a class):
    ``Invalid`` naming the field when it does not fit this network."""
    if len(x) != net.sizes[0]:
        raise Invalid("input", f"must be a list of {net.sizes[0]} numbers (the input layer), got {len(x)}")
    try:
        return predict(net, x, labels, Y)
    except ValueError as exc:
        raise Invalid.from_value_error(exc) from None


def gradcheck(net, X, Y, variant):
    """``engine.gradcheck`` for ``variant``'s rule; the ack's own ``ok`` stays the event's, so the verdict is
    ``passed``."""
    from engine import gradcheck as check

    result = encode.jsonable(check(net, X, Y, variant=variant))
    if not isinstance(result, dict):
        result = {"result": result}
    if "ok" in result:
        result["passed"] = result.pop("ok")
    return {**result, "variant": variant.as_dict()}


# -- the JSON model format --------------------------------------------------------------------------
def export(setup):
    """The model as JSON: the config that rebuilds it, its sizes, weights and biases, and its epoch."""
    net = setup.net
    if any(np.ndim(b) != 1 for b in net.biases):
        raise Invalid("biases", "this network's biases grew one row per sample (the bias-not-summed mistake); "
                                "it cannot be saved")
    return {"format": MODEL_FORMAT, "version": 1, "config": encode.jsonable(setup.config),
            "sizes": list(net.sizes), "epoch": int(setup.trainer.epoch),
            "weights": encode.jsonable(net.weights), "biases": encode.jsonable(net.biases)}


def load(model):
    """Validate a JSON model (as ``export`` writes it) → (main setup with its weights, companion or None).

    Everything is checked before anything is built: the config by the engine, then every matrix's
    shape and every number's finiteness against the network that config builds.
    """
    if not isinstance(model, dict):
        raise Invalid("model", "must be a JSON object")
    allowed = {"format", "version", "config", "sizes", "epoch", "weights", "biases", "name"}
    unknown = sorted(set(model) - allowed, key=str)
    if unknown:
        raise Invalid(str(unknown[0])[:64], f"unknown field; allowed: {', '.join(sorted(allowed))}")
    if model.get("format", MODEL_FORMAT) != MODEL_FORMAT:
        raise Invalid("format", f"must be {MODEL_FORMAT!r}")
    try:
        setup, companion = build(model.get("config"))
    except ValueError as exc:
        exc = Invalid.from_value_error(exc)
        key = f"config.{exc.field}"  # "Label (key): …" becomes "Label (config.key): …"
        raise Invalid(key, exc.message.replace(f"({exc.field}):", f"({key}):", 1)) from None
    sizes = setup.net.sizes
    if model.get("sizes", sizes) != sizes:
        raise Invalid("sizes", f"must be {sizes} for this config")
    ws, bs = model.get("weights"), model.get("biases")
    if not isinstance(ws, list) or len(ws) != len(sizes) - 1:
        raise Invalid("weights", f"must be a list of {len(sizes) - 1} matrices")
    weights = [np.array(matrix(f"weights[{i}]", w, sizes[i], sizes[i + 1])) for i, w in enumerate(ws)]
    n_biases = len(setup.net.biases)
    if not isinstance(bs, list) or len(bs) != n_biases:
        raise Invalid("biases", f"must be a list of {n_biases} vectors" if n_biases else "must be [] (no bias)")
    biases = [np.array(number_list(f"biases[{i}]", b, sizes[i + 1])) for i, b in enumerate(bs)]
    for s in (setup, companion):
        if s is not None:
            s.net.weights[:] = [w.copy() for w in weights]
            s.net.biases[:] = [b.copy() for b in biases]
            s.trainer.reset_history()
    return setup, companion


def history_rows(trainer):
    """Every finished epoch's loss, error and accuracy as float arrays, and the test ones (None without a split)."""
    h = trainer.history
    return {k: None if h[k] is None else np.asarray(h[k], dtype=float) for k in h}
