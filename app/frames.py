"""What a session sends and saves, composed from engine setups: network, snapshot frames, replays, exports.

``build`` turns a protocol config into the main setup and, in the mistake lab
(``compare``), the companion that trains the chosen variant beside the correct
rule; ``with_examples`` adds drawn letters to a setup's training set (the solo
page's stored drawings, a class's accepted ones).  ``live`` and ``replay``
compose one ``snapshot`` frame (``messages`` does the JSON conversion).
``export``/``load`` are the JSON model format the store and ``GET /api/models/<name>`` use.
No threads, no sockets, no locks here.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from engine import presets
from engine.trainer import Trainer

from . import messages
from .validate import Invalid, matrix, number_list

KEEP_BUDGET = 32 * 2**20
MODEL_FORMAT = "backprop-playground/model"


def build(config):
    """(main setup, companion setup or None) for a protocol config; ``Invalid`` naming the field if not valid."""
    try:
        setup = presets.build(config)
    except ValueError as exc:
        raise Invalid.from_value_error(exc) from None
    variant = setup.variant
    if not setup.config["compare"] or variant.name == "correct":
        return setup, None
    main = presets.build({**config, "variant": "correct", "compare": False})
    main.config = {**main.config, "variant": variant.name, "compare": True}
    return main, setup


def with_examples(setup, examples):
    """``setup`` training on its dataset plus ``examples`` [(label, input)] (letters datasets only)."""
    if setup is None or not examples:
        return setup
    ds = setup.dataset
    if ds.kind != "letters" or ds.Y.shape[1] != len(ds.labels):
        return setup
    labels = list(ds.labels)
    rows = [(x, labels.index(label)) for label, x in examples if label in labels and len(x) == ds.X.shape[1]]
    if not rows:
        return setup
    X = np.vstack([ds.X, np.array([x for x, _ in rows], dtype=float)])
    Y = np.vstack([ds.Y, np.eye(len(labels))[[k for _, k in rows]]])
    tr = setup.trainer
    trainer = Trainer(setup.net, X, Y, eta=tr.eta, batch=tr.batch, shuffle=tr.shuffle,
                      shuffle_seed=tr.shuffle_seed, schedule=tr.schedule, momentum=tr.momentum, variant=tr.variant)
    dataset = dataclasses.replace(ds, X=X, Y=Y, params={**ds.params, "accepted": len(rows)})
    return dataclasses.replace(setup, trainer=trainer, dataset=dataset)


def network(setup, companion=None):
    return messages.network(setup, companion.variant if companion else None)


def extent(dataset):
    if getattr(dataset, "extent", None) is not None:
        return tuple(float(v) for v in dataset.extent)
    lo, hi = dataset.X.min(axis=0), dataset.X.max(axis=0)
    pad = 0.1 * np.maximum(hi - lo, 1e-9)
    return (float(lo[0] - pad[0]), float(hi[0] + pad[0]), float(lo[1] - pad[1]), float(hi[1] + pad[1]))


def _diverged(trainer):
    d = trainer.diverged
    return None if d is None else {"epoch": int(d.epoch), "reason": d.reason}


def _snapshot(setup, state, *, eta, boundary_net=None):
    frame = messages.epoch_state(state, setup.dataset.n_samples, eta=eta)
    ds = setup.dataset
    if boundary_net is not None and ds.kind in ("2d", "1d"):
        frame["boundary"] = messages.boundary(boundary_net, extent(ds), inputs=ds.inputs if ds.features else None,
                                              dims=1 if ds.kind == "1d" else 2)
    return frame


def live(setup, companion=None, *, curve=False, boundary=False):
    """The ``snapshot`` of the network as it is now (``curve``/``boundary`` only when asked for)."""
    tr = setup.trainer
    st = tr.state()
    frame = _snapshot(setup, st, eta=tr.eta_at(st.epoch), boundary_net=setup.net if boundary else None)
    frame["replay"] = False
    frame["diverged"] = _diverged(tr)
    if curve:
        frame["curve"] = messages.curve(tr.history)
    if companion is not None:
        ct = companion.trainer
        cs = ct.state()
        frame["companion"] = messages.companion(
            cs, companion.dataset.n_samples, companion.variant.name, eta=ct.eta_at(cs.epoch),
            diverged=ct.diverged, curve_=messages.curve(ct.history) if curve else None)
    return frame


def _state_at(setup, weights, biases, epoch):
    """The full EpochState of ``setup``'s network with other weights, without touching the live trainer."""
    tr = setup.trainer
    net = setup.net.copy()
    net.weights[:] = [w.copy() for w in weights]
    net.biases[:] = [b.copy() for b in biases]
    scratch = Trainer(net, tr.X, tr.Y, eta=tr.eta, batch=tr.batch, schedule=tr.schedule, variant=tr.variant,
                      X_test=tr.X_test, Y_test=tr.Y_test, task=tr.task)
    scratch.epoch = epoch
    return scratch.state(), net


def replay(setup, companion, kept):
    """The ``snapshot`` of a kept epoch, marked ``"replay": true``."""
    st, net = _state_at(setup, kept.weights, kept.biases, kept.epoch)
    frame = _snapshot(setup, st, eta=kept.eta, boundary_net=net)
    frame["replay"] = True
    frame["diverged"] = None
    if companion is not None and kept.companion is not None:
        cw, cb, ce = kept.companion
        cs, _ = _state_at(companion, cw, cb, ce)
        frame["companion"] = messages.companion(cs, companion.dataset.n_samples, companion.variant.name,
                                                eta=kept.eta)
    return frame


def trace(t):
    return messages.trace(t)


def predict(net, x, labels):
    return messages.predict(net, x, labels)


def gradcheck(net, X, Y, variant):
    """``engine.gradcheck`` for ``variant``'s rule; the ack's own ``ok`` stays the event's, so the verdict is
    ``passed``."""
    import engine

    check = getattr(engine, "gradcheck", None)
    if check is None:
        raise Invalid("gradcheck", "this engine has no gradcheck yet")
    result = messages.jsonable(check(net, X, Y, variant=variant))
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
    return {"format": MODEL_FORMAT, "version": 1, "config": messages.jsonable(setup.config),
            "sizes": list(net.sizes), "epoch": int(setup.trainer.epoch),
            "weights": messages.jsonable(net.weights), "biases": messages.jsonable(net.biases)}


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
        raise Invalid(f"config.{exc.field}", f"config.{exc.message}") from None
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
    """Every finished epoch's loss, error and accuracy as three float arrays."""
    h = trainer.history
    return {k: np.asarray(h[k], dtype=float) for k in ("loss", "error", "accuracy")}
