"""Points a learner adds by clicking the plane: checked against the dataset, then trained on without a restart.

``check`` turns an ``add_point`` payload into the raw coordinates and the target row, naming the field by its
label (as the page shows it) and the allowed range; ``grown`` appends the point to a setup's training set with
``Trainer.add_points`` (weights, epoch and history kept; the curve's ``data_changes`` mark the epoch).  The
network reads the point through the dataset's input features (``Dataset.inputs``), exactly as it reads the
generated points.  No sockets, no locks here.
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np

from engine import datasets

from .validate import Invalid, is_number

MAX_ADDED = 200  # points one run may gain by clicking
VALUE_RANGE = (-2.0 * datasets.SCALE, 2.0 * datasets.SCALE)  # a regression point's target (the page's slider)
KINDS = ("1d", "2d")
LABELS = {"x": "Point", "label": "Class", "value": "Value"}  # the page's words for the payload's fields


def limits():
    """What the page needs to build its controls (``schema.describe``'s ``limits``)."""
    return {"added_points": MAX_ADDED, "point_value": list(VALUE_RANGE)}


def _refuse(field, message):
    return Invalid(field, f"{LABELS[field]} ({field}): {message}")


def added(dataset):
    return int(dataset.params.get("added", 0))


def check(dataset, body):
    """(coordinates (1, dims), target row (1, outputs)) for ``body`` = ``{x, label}`` or ``{x, value}``."""
    if dataset.kind not in KINDS or dataset.points is None:
        raise Invalid("dataset", f"dataset: {dataset.name!r} has no plane to click: points go with the 2-D "
                                 "and 1-D datasets")
    if added(dataset) >= MAX_ADDED:
        raise _refuse("x", f"this run already has the most added points, {MAX_ADDED}; reset to start over")
    dims = dataset.points.shape[1]
    x0, x1, y0, y1 = (float(v) for v in dataset.extent)
    ranges = [(x0, x1), (y0, y1)][:dims]
    x = body["x"]
    if not isinstance(x, list) or len(x) != dims:
        what = f"{dims} coordinates" if dims > 1 else "1 coordinate"
        raise _refuse("x", f"must be a list of {what} [{', '.join(f'x{i + 1}' for i in range(dims))}]")
    where = "the plane" if dims > 1 else "the x axis"
    for i, (v, (lo, hi)) in enumerate(zip(x, ranges, strict=True)):
        if not is_number(v) or not math.isfinite(v) or not lo <= v <= hi:
            raise _refuse("x", f"x{i + 1} must be a number from {lo:g} to {hi:g} ({where}), got {v!r}"[:200])
    P = np.array([x], dtype=float)
    width = dataset.Y.shape[1]
    if dataset.task == "regression":
        if "label" in body:
            raise _refuse("label", "a regression point has a value, not a class")
        if "value" not in body:
            raise _refuse("value", "is required for a regression point")
        v, (lo, hi) = body["value"], VALUE_RANGE
        if not is_number(v) or not math.isfinite(v) or not lo <= v <= hi:
            raise _refuse("value", f"must be a number from {lo:g} to {hi:g}, got {v!r}"[:200])
        return P, np.full((1, width), float(v))
    if "value" in body:
        raise _refuse("value", "a classification point has a class, not a value")
    if "label" not in body:
        raise _refuse("label", "is required for a classification point")
    k, n = body["label"], len(dataset.labels)
    if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k < n:
        raise _refuse("label", f"must be a class from 0 to {n - 1}, got {k!r}"[:200])
    Y = np.eye(n)[[k]] if width == n else np.array([[float(k)]])  # one-hot for softmax, else 0/1
    return P, Y


def grown(setup, P, Y):
    """``setup`` training from now on on its set plus the point ``P`` with target ``Y``; ``Invalid`` (changing
    nothing) when the engine refuses (a half-done sample-by-sample epoch, the bias-not-summed rule)."""
    if setup is None:
        return None
    ds = setup.dataset
    X = ds.inputs(P)
    try:
        setup.trainer.add_points(X, Y)
    except ValueError as exc:
        raise Invalid.from_value_error(exc) from None
    dataset = dataclasses.replace(ds, X=np.vstack([ds.X, X]), Y=np.vstack([ds.Y, Y]),
                                  points=np.vstack([ds.points, P]), params={**ds.params, "added": added(ds) + 1})
    return dataclasses.replace(setup, dataset=dataset)
