"""Engine state → JSON-able payloads for the wire (docs/protocol.md is the contract).

Every number that leaves the server passes through ``jsonable``: arrays become
nested lists and any NaN or ±inf becomes ``None`` (JSON has no NaN).  Per-sample
arrays are cut to the first ``MAX_SAMPLES`` rows; the loss curve is
down-sampled to ``CURVE_POINTS``.  Nothing here holds state, threads or sockets.
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np

from engine.inspect import midpoint, predicted, target_class
from engine.losses import cancels

MAX_SAMPLES = 64
CURVE_POINTS = 500
BOUNDARY_N = 40
FIT_N = 121  # points of a 1-D dataset's fitted curve
NEURON_N = 16  # each neuron's own map (the diagram's thumbnails) is a NEURON_N × NEURON_N grid
NEURON_DECIMALS = 4  # a thumbnail's values are rounded: 4 decimals are more than its pixels show


def jsonable(value):
    """Arrays, NumPy scalars, dataclasses, tuples → plain JSON types; non-finite floats → None."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f" and not np.isfinite(value).all():
            obj = value.astype(object)
            obj[~np.isfinite(value)] = None
            return obj.tolist()
        return value.tolist()
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    return value


def _rows(arrays, n):
    """The first ``n`` rows of each per-sample array."""
    return [jsonable(a[:n]) for a in arrays]


def sample_indices(n_samples):
    return list(range(min(n_samples, MAX_SAMPLES)))


def downsample(n, points=CURVE_POINTS):
    """At most ``points`` increasing indices into 0..n-1, always including the first and the last."""
    if n <= points:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, points).round().astype(int))


TEST_FIGURES = ("test_loss", "test_error", "test_accuracy")  # null without a test split (``test_fraction``)


def curve(history, start_epoch=0, data_changes=()):
    """The per-epoch history (``Trainer.history``), down-sampled to ≤ ``CURVE_POINTS`` points (the test curves
    are null without a test split), and the epochs at which the training data changed
    (``Trainer.data_changes``, drawn as marks on the curve)."""
    n = len(history["loss"])
    idx = downsample(n)
    return {"epochs": (idx + start_epoch).tolist(),
            **{k: jsonable(np.asarray(history[k])[idx]) for k in ("loss", "error", "accuracy")},
            **{k: None if history.get(k) is None else jsonable(np.asarray(history[k])[idx]) for k in TEST_FIGURES},
            "data_changes": [int(e) for e in data_changes]}


def _grid(extent, n):
    """The n×n points of the plane over ``extent`` (xmin, xmax, ymin, ymax), row by row from ymin upward."""
    xmin, xmax, ymin, ymax = extent
    gx, gy = np.meshgrid(np.linspace(xmin, xmax, n), np.linspace(ymin, ymax, n))
    return np.column_stack([gx.ravel(), gy.ravel()])


def neuron_maps(net, extent, n=NEURON_N, inputs=None):
    """Every hidden and output neuron's own activation over the plane: ``values[l][j]`` is the n×n grid (rows
    from ymin upward, as ``boundary``) of neuron ``j`` of layer ``l + 1``, from one forward pass of the grid's
    points (through ``inputs``, the dataset's features), rounded to ``NEURON_DECIMALS``."""
    grid = _grid(extent, n)
    with np.errstate(all="ignore"):
        acts = net.forward(grid if inputs is None else inputs(grid)).activations[1:]
    return {"n": n, "values": [jsonable(np.round(a.T.reshape(-1, n, n), NEURON_DECIMALS)) for a in acts]}


def classes(outputs, Y, task, k=MAX_SAMPLES):
    """The class each of the first ``k`` samples' outputs says, by the engine's one rule (``predicted``: the
    accuracy's): ``{"predicted": [class or None on a tie], "target": [class], "correct": [bool]}``; ``None``
    for regression (no classes)."""
    if task != "classification":
        return None
    said, target = predicted(np.asarray(outputs)[:k], Y), target_class(Y)[:k]
    return {"predicted": [None if c < 0 else int(c) for c in said], "target": [int(c) for c in target],
            "correct": [bool(a == b) for a, b in zip(said, target, strict=True)]}


def _meaning(out, output_activation, task, targets):
    """(unit shown, what it means) for a boundary: regression shows the value of unit 0; a classifier shows the
    score of one class (a 2-unit softmax's unit 1, P(class 1); any other output's unit 0: class 1 for one
    output, else class 0).  ``threshold``: the value at which the class changes when one unit decides it (the
    targets' midpoint for one output, 0.5 for a 2-unit softmax), else ``None`` (the classes grid says)."""
    if task != "classification":
        return 0, {"kind": "value"}
    m = out.shape[1]
    unit = 1 if m == 2 and output_activation == "softmax" else 0
    threshold = midpoint(targets) if m == 1 else 0.5 if unit == 1 else None
    return unit, {"kind": "class", "unit": unit, "class": 1 if m == 1 or unit == 1 else 0, "threshold": threshold}


def boundary(net, extent, n=BOUNDARY_N, inputs=None, dims=2, epoch=None, Y=None, task="classification"):
    """One output unit on an n×n grid over ``extent``; rows go from ymin upward.  ``inputs`` turns the grid's
    points into the network's input features (the dataset's ``inputs``).  ``meaning`` says what ``values``
    are (``_meaning``); a classifier's grid also carries ``classes``, each cell's class by the engine's rule
    (``predicted``, with the targets ``Y``; -1 where the outputs tie).  For a 1-D dataset (``dims=1``) the
    output at ``FIT_N`` evenly spaced x from xmin to xmax: the fitted curve.  ``epoch``: whose weights."""
    xmin, xmax, ymin, ymax = extent
    if dims == 1:
        xs = np.linspace(xmin, xmax, FIT_N).reshape(-1, 1)
        with np.errstate(all="ignore"):
            out = net.forward(xs if inputs is None else inputs(xs)).activations[-1]
        curve = {"n": FIT_N, "dims": 1, "extent": [float(v) for v in extent], "values": jsonable(out[:, 0]),
                 "meaning": {"kind": "value"}}
        return curve if epoch is None else {**curve, "epoch": int(epoch)}
    grid = _grid(extent, n)
    if inputs is not None:
        grid = inputs(grid)
    with np.errstate(all="ignore"):
        out = net.forward(grid).activations[-1]
    targets = np.array([[0.0], [1.0]]) if Y is None else Y
    unit, meaning = _meaning(out, net.output_activation, task, targets)
    result = {"n": n, "extent": [float(v) for v in extent], "values": jsonable(out[:, unit].reshape(n, n)),
              "meaning": meaning}
    if meaning["kind"] == "class":
        result["classes"] = predicted(out, targets).reshape(n, n).tolist()
    if epoch is not None:
        result["epoch"] = int(epoch)
    return result


def epoch_state(state, n_samples, *, eta=None):
    """An ``EpochState`` as the body of a ``snapshot`` (without the session's extras)."""
    k = min(n_samples, MAX_SAMPLES)
    return {
        "epoch": int(state.epoch), "loss": jsonable(state.loss), "error": jsonable(state.error),
        "accuracy": jsonable(state.accuracy), "eta": jsonable(eta),
        **{k: jsonable(getattr(state, k)) for k in TEST_FIGURES},
        "weights": jsonable(state.weights), "biases": _bias_rows(state.biases, k),
        "outputs": jsonable(state.outputs[:k]), "samples": sample_indices(n_samples),
        "activations": _rows(state.activations, k), "zs": _rows(state.zs, k), "deltas": _rows(state.deltas, k),
        "gradients": gradients(state.nabla_w, state.nabla_b, k, state.penalty_grad),
        "cost_derivative": jsonable(state.cost_derivative[:k]),
    }


def _bias_rows(biases, k):
    """Biases are vectors; the bias-not-summed variant grows them to one row per sample (then cut to k)."""
    return [jsonable(b[:k] if np.ndim(b) == 2 else b) for b in biases]


def next_update(nu, n_samples):
    """A ``NextUpdate`` (the step the next epoch really takes) as the snapshot's ``next``."""
    k = min(n_samples, MAX_SAMPLES)

    def velocity(v):
        return None if v is None else {"weights": jsonable(v[0]), "biases": _bias_rows(v[1], k)}

    return {"epoch": int(nu.epoch), "steps": int(nu.steps), "batch_size": int(nu.batch_size),
            "eta": jsonable(nu.eta), "schedule": nu.schedule, "momentum": jsonable(nu.momentum),
            "order": [int(i) for i in nu.order[:k]],
            "weights": jsonable(nu.weights), "biases": _bias_rows(nu.biases, k),
            "velocity": velocity(nu.velocity), "velocity_after": velocity(nu.velocity_after),
            "step_weights": jsonable(nu.step_weights),
            "step_biases": [_bias_rows(b, k) for b in nu.step_biases], "finite": bool(nu.finite)}


def companion(state, n_samples, variant_name, *, eta=None, diverged=None, curve_=None, step=None):
    """The mistake-lab companion: the variant's network in lock-step beside the correct rule; ``step`` compares
    its step with the true gradient's (``engine.gradcheck.compare_step``)."""
    k = min(n_samples, MAX_SAMPLES)
    out = {"variant": variant_name, "epoch": int(state.epoch), "loss": jsonable(state.loss),
           "error": jsonable(state.error), "accuracy": jsonable(state.accuracy), "eta": jsonable(eta),
           "weights": jsonable(state.weights), "biases": _bias_rows(state.biases, k),
           "outputs": jsonable(state.outputs[:k]),
           "diverged": None if diverged is None else {"epoch": diverged.epoch, "reason": diverged.reason}}
    if curve_ is not None:
        out["curve"] = curve_
    if step is not None:
        out["step"] = step.as_dict()
    return out


def gradients(nabla_w, nabla_b, k, penalty_grad=None):
    """∂C/∂W and ∂C/∂b under one name in every message (``snapshot``, ``trace``): ``{"weights", "biases",
    "penalty"}``; ``penalty`` is the regulariser's term of ∂C/∂W per layer (λ·w or λ·sign(w), from the engine),
    which joins the batch's ∂C/∂W once; null without regularisation."""
    return {"weights": jsonable(nabla_w), "biases": _bias_rows(nabla_b, k), "penalty": jsonable(penalty_grad)}


def trace(t):
    """A ``SampleTrace`` (one sample's forward, backward and maybe update) as a ``trace`` payload.  Its
    ``zs``/``activations``/``deltas``/``gradients`` are indexed as the snapshot's (``deltas[l]`` belongs to
    layer ``l + 1``), one sample's vectors instead of rows."""
    return {
        "epoch": int(t.epoch), "index": int(t.index), "position": int(t.position), "batch_size": int(t.batch_size),
        "x": jsonable(t.x), "y": jsonable(t.y),
        "zs": [jsonable(z[0]) for z in t.zs], "activations": [jsonable(a[0]) for a in t.activations],
        "deltas": [jsonable(d[0]) for d in t.deltas],
        "gradients": {"weights": jsonable(t.nabla_w),
                      "biases": [jsonable(np.ravel(b[t.index] if np.ndim(b) == 2 and b.shape[0] > 1 else b))
                                 for b in t.nabla_b],
                      "penalty": jsonable(t.penalty_grad)},  # as ``gradients``: the term that joins at the update
        "cost_derivative": jsonable(t.cost_derivative[0]),
        "loss": jsonable(t.loss), "eta": jsonable(t.eta), "applied": bool(t.applied),
        "weights_before": jsonable(t.weights_before), "weights_after": jsonable(t.weights_after),
        "biases_before": jsonable(t.biases_before), "biases_after": jsonable(t.biases_after),
    }


def network(setup, compare_variant=None):
    """The ``network`` payload: sizes, names, the config, the preset, the dataset and the variant."""
    net = setup.net
    return {
        "sizes": list(net.sizes), "activation": net.activation, "output_activation": net.output_activation,
        "loss": net.loss_name, "reduction": net.reduction, "bias": net.bias, "n_params": int(net.n_params),
        "cancels": cancels(net.loss_name, net.output_activation),  # BP1 is a − y: σ′ cancels (engine/losses.py)
        "config": jsonable(setup.config), "preset": jsonable(setup.preset),
        "dataset": dataset(setup.dataset),
        "test": None if getattr(setup, "test", None) is None else dataset(setup.test),  # held out
        "variant": setup.variant.as_dict(),
        "compare": None if compare_variant is None else compare_variant.as_dict(),
    }


SURE_ABOVE = 0.7  # a prediction is sure when its output is above this …
SURE_MARGIN = 0.3  # … and ahead of the runner-up by at least this much


def doubt_rule():
    """The rule ``doubt`` applies, for the page (``/api/schema`` ``doubt``): its two numbers and in plain words."""
    return {"sure_above": SURE_ABOVE, "sure_margin": SURE_MARGIN,
            "words": f"“Not sure” means the top output is {SURE_ABOVE:g} or less, or less than {SURE_MARGIN:g} "
                     "above the runner-up."}


def doubt(outputs, labels):
    """None when the top output is a clear answer; else why it is not, as data the page words
    (``static/visuals/doubt.js``, printing each value as the prediction bars do): ``{"reason": "tie" | "low" |
    "close", "labels": [top, runner-up], "values": [top, runner-up], "threshold": ...}`` — ``low``: the top is not
    above ``SURE_ABOVE`` (the threshold); ``close``: it is less than ``SURE_MARGIN`` (the threshold) above the
    runner-up; ``tie``: the two are equal, no answer (threshold None)."""
    y = np.asarray(outputs, dtype=float)
    if y.size < 2 or not np.isfinite(y).all():
        return None
    order = np.argsort(-y, kind="stable")
    top, second = y[order[0]], y[order[1]]
    if top == second:
        reason, threshold = "tie", None
    elif top <= SURE_ABOVE:
        reason, threshold = "low", SURE_ABOVE
    elif top - second < SURE_MARGIN:
        reason, threshold = "close", SURE_MARGIN
    else:
        return None
    names = [labels[k] if len(labels) == y.size else str(k) for k in order[:2]]
    return {"reason": reason, "labels": names, "values": [float(top), float(second)], "threshold": threshold}


def data_change(setup):
    """The ``dataset`` payload: the new training set (as in ``network``), the config and the epoch it applies
    from; the run goes on (its curve's ``data_changes`` mark the epoch)."""
    return {"dataset": dataset(setup.dataset), "config": jsonable(setup.config),
            "epoch": int(setup.trainer.epoch)}


def dataset(ds):
    """A dataset as JSON; ``classes``: each row's class by the engine's rule (``target_class``; classification
    only); ``added``: how many of its last rows a learner clicked onto the plane (when any)."""
    d = jsonable(ds.as_dict())
    if ds.task == "classification":
        d["classes"] = [int(c) for c in target_class(ds.Y)]
    if ds.params.get("added"):
        d["added"] = int(ds.params["added"])
    return d


def predict(net, x, labels, Y=None):
    """Outputs, label, doubt (``None`` or why the answer is not a clear one) and every layer's activation for
    one input vector.  ``label`` is the class of the engine's rule (``predicted``, with the training targets
    ``Y``; 0/1 targets without them); a tie at the top is no answer: ``label`` is then ``None``."""
    tr = net.forward(np.asarray([x], dtype=float))
    out = tr.activations[-1]
    if out.shape[0] != 1:
        raise ValueError("input: this network's biases grew one row per training sample "
                         "(the bias-not-summed mistake), so it cannot answer a new input")
    y = out[0]
    label = None
    said = int(predicted(out, np.array([[0.0], [1.0]]) if Y is None else Y)[0])
    if 0 <= said < len(labels) and (y.size > 1 or len(labels) == 2):
        label = labels[said]
    return {"outputs": jsonable(y), "label": label, "doubt": doubt(y, labels),
            "activations": [jsonable(a[0]) for a in tr.activations]}
