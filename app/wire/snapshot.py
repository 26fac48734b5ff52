"""The one snapshot serialiser: a session's setups → a ``snapshot`` frame (docs/protocol.md).

Every snapshot that leaves the server is made here — the solo page's live frames, the mistake lab's companion
inside them, replays of kept epochs (``seek``) and the classroom's frames (``app/classroom_hub.py`` and the
room's gate take ``live`` frames).  ``encode`` does the JSON conversion; the optional parts (``curve``,
``boundary``) are named in ``parts.OPTIONAL`` and the keyword arguments of ``live`` are those names.
No threads, no sockets, no locks here.
"""
from __future__ import annotations

import numpy as np

from engine.gradcheck import compare_step
from engine.inspect import inspect

from . import encode

STEP_NUMBERS = 4096  # the next epoch's steps are sent one by one while steps × parameters stay under this


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
    """The body every snapshot shares: ``encode.epoch_state``, each sample's class (``classes``) and, when
    ``boundary_net`` is given on a 2-D or 1-D dataset, the ``boundary`` of its weights.  ``neurons``: a 2-D
    dataset's boundary carries each neuron's own map (``boundary.neurons``), so the thumbnails come, and are
    kept between frames, exactly as the boundary is."""
    ds, tr = setup.dataset, setup.trainer
    frame = encode.epoch_state(state, ds.n_samples, eta=eta)
    frame["classes"] = encode.classes(state.outputs, tr.Y, tr.task)
    if boundary_net is not None and ds.kind in ("2d", "1d"):
        inputs = ds.inputs if ds.features else None
        frame["boundary"] = encode.boundary(boundary_net, extent(ds), inputs=inputs, dims=1 if ds.kind == "1d" else 2,
                                            epoch=state.epoch, Y=tr.Y, task=tr.task)
        if neurons and ds.kind == "2d":
            frame["boundary"]["neurons"] = encode.neuron_maps(boundary_net, extent(ds), inputs=inputs)
    return frame


def _companion(companion, state, *, eta, step, diverged=None, curve=None):
    """The mistake lab's companion body (``encode.companion``) with its samples' classes."""
    out = encode.companion(state, companion.dataset.n_samples, companion.variant.name, eta=eta, diverged=diverged,
                           curve_=curve, step=step)
    out["classes"] = encode.classes(state.outputs, companion.trainer.Y, companion.trainer.task)
    return out


def live(setup, companion=None, *, curve=False, boundary=False, neurons=True):
    """The ``snapshot`` of the network as it is now.  ``curve``/``boundary`` (``parts.OPTIONAL``) only when asked
    for; ``neurons=False`` leaves the per-neuron maps out of the boundary, for bench/."""
    tr = setup.trainer
    st = tr.state()
    frame = _snapshot(setup, st, eta=tr.eta_at(st.epoch), boundary_net=setup.net if boundary else None,
                      neurons=neurons)
    frame["replay"] = False
    frame["diverged"] = _diverged(tr)
    frame["next"] = None if tr.diverged else encode.next_update(
        tr.next_update(keep_steps=min(8, STEP_NUMBERS // max(1, setup.net.n_params))), setup.dataset.n_samples)
    if curve:
        frame["curve"] = encode.curve(tr.history, data_changes=tr.data_changes)
    if companion is not None:
        ct = companion.trainer
        cs = ct.state()
        frame["companion"] = _companion(
            companion, cs, eta=ct.eta_at(cs.epoch), diverged=ct.diverged, step=_step_against_gradient(ct),
            curve=encode.curve(ct.history, data_changes=ct.data_changes) if curve else None)
    return frame


def _step_against_gradient(trainer, net=None, epoch=None):
    """The companion rule's full-batch step against the true gradient's at its weights (η/epoch included)."""
    epoch = trainer.epoch if epoch is None else epoch
    scale = trainer.eta_at(epoch) / trainer.eta if trainer.eta else 1.0
    return compare_step(net or trainer.net, trainer.X, trainer.Y, trainer.variant, eta_scale=scale)


def _state_at(setup, weights, biases, epoch):
    """The full EpochState of ``setup``'s network with other weights (``engine.inspect.inspect`` on a copy),
    without touching the live trainer."""
    tr = setup.trainer
    net = setup.net.copy()
    net.weights[:] = [w.copy() for w in weights]
    net.biases[:] = [b.copy() for b in biases]
    return inspect(net, tr.X, tr.Y, tr.variant, X_test=tr.X_test, Y_test=tr.Y_test, task=tr.task, epoch=epoch), net


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
        frame["companion"] = _companion(companion, cs, eta=kept.eta,
                                        step=_step_against_gradient(companion.trainer, cnet, ce))
    return frame
