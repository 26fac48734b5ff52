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

from engine.gradcheck import compare_step
from engine.trainer import Trainer

from . import messages, schema
from .validate import Invalid, matrix, number_list

KEEP_BUDGET = 32 * 2**20
STEP_NUMBERS = 4096  # the next epoch's steps are sent one by one while steps × parameters stay under this
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
    if setup is None:
        return setup
    ds = setup.dataset
    if ds.kind != "letters" or ds.Y.shape[1] != len(ds.labels):
        return setup
    own, width = ds.n_samples - ds.params.get("accepted", 0), ds.X.shape[1]
    labels = list(ds.labels)
    rows = [(x, labels.index(label)) for label, x in examples if label in labels and len(x) == width]
    if not rows and own == ds.n_samples:
        return setup
    X = np.vstack([ds.X[:own], np.array([x for x, _ in rows], dtype=float).reshape(len(rows), width)])
    Y = np.vstack([ds.Y[:own], np.eye(len(labels))[[k for _, k in rows]].reshape(len(rows), len(labels))])
    try:
        setup.trainer.set_data(X, Y)
    except ValueError as exc:
        raise Invalid.from_value_error(exc) from None
    dataset = dataclasses.replace(ds, X=X, Y=Y, params={**ds.params, "accepted": len(rows)})
    return dataclasses.replace(setup, dataset=dataset)


def data_change(setup):
    """The ``dataset`` message: the training set changed and the run goes on."""
    return messages.data_change(setup)


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


def _snapshot(setup, state, *, eta, boundary_net=None, neurons=True):
    """``neurons``: a 2-D dataset's boundary carries each neuron's own map (``boundary.neurons``), so the
    thumbnails come, and are kept between frames, exactly as the boundary is."""
    frame = messages.epoch_state(state, setup.dataset.n_samples, eta=eta)
    ds = setup.dataset
    if boundary_net is not None and ds.kind in ("2d", "1d"):
        inputs = ds.inputs if ds.features else None
        frame["boundary"] = messages.boundary(boundary_net, extent(ds), inputs=inputs,
                                              dims=1 if ds.kind == "1d" else 2, epoch=state.epoch)
        if neurons and ds.kind == "2d":
            frame["boundary"]["neurons"] = messages.neuron_maps(boundary_net, extent(ds), inputs=inputs)
    return frame


def live(setup, companion=None, *, curve=False, boundary=False, neurons=True):
    """The ``snapshot`` of the network as it is now (``curve``/``boundary`` only when asked for; ``neurons=False``
    leaves the per-neuron maps out of the boundary, for bench/)."""
    tr = setup.trainer
    st = tr.state()
    frame = _snapshot(setup, st, eta=tr.eta_at(st.epoch), boundary_net=setup.net if boundary else None,
                      neurons=neurons)
    frame["replay"] = False
    frame["diverged"] = _diverged(tr)
    frame["next"] = None if tr.diverged else messages.next_update(
        tr.next_update(keep_steps=min(8, STEP_NUMBERS // max(1, setup.net.n_params))), setup.dataset.n_samples)
    if curve:
        frame["curve"] = messages.curve(tr.history, data_changes=tr.data_changes)
    if companion is not None:
        ct = companion.trainer
        cs = ct.state()
        frame["companion"] = messages.companion(
            cs, companion.dataset.n_samples, companion.variant.name, eta=ct.eta_at(cs.epoch),
            diverged=ct.diverged, curve_=messages.curve(ct.history, data_changes=ct.data_changes) if curve else None,
            step=_step_against_gradient(ct))
    return frame


def _step_against_gradient(trainer, net=None, epoch=None):
    """The companion rule's full-batch step against the true gradient's at its weights (η/epoch included)."""
    epoch = trainer.epoch if epoch is None else epoch
    scale = trainer.eta_at(epoch) / trainer.eta if trainer.eta else 1.0
    return compare_step(net or trainer.net, trainer.X, trainer.Y, trainer.variant, eta_scale=scale)


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
    frame["next"] = None  # a kept epoch's velocity and shuffle state are not kept: only the live step is known
    if companion is not None and kept.companion is not None:
        cw, cb, ce = kept.companion
        cs, cnet = _state_at(companion, cw, cb, ce)
        frame["companion"] = messages.companion(cs, companion.dataset.n_samples, companion.variant.name,
                                                eta=kept.eta, step=_step_against_gradient(companion.trainer, cnet, ce))
    return frame


def trace(t):
    return messages.trace(t)


def predict(net, x, labels):
    return messages.predict(net, x, labels)


def gradcheck(net, X, Y, variant):
    """``engine.gradcheck`` for ``variant``'s rule; the ack's own ``ok`` stays the event's, so the verdict is
    ``passed``."""
    from engine import gradcheck as check

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
