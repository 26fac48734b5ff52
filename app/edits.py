"""A learner's own edits of a run: points clicked on the plane or the curve, weights and biases typed in, and the
drawings it trains on (the letters pad's, ``use_examples``).

``apply`` is the one way an edit changes a run: the ``add_point`` and ``set_weight`` events (``Session``) and a
link's replay (``rebuild``) both go through it, so the checks and refusals are the same.  An edit's payload is
the event's own: ``{x, label}`` or ``{x, value}`` for a point (``points.check``), ``{layer, row, col, value}``
for a weight or ``{layer, bias, value}`` for a bias (``weight_args``), ``{drawings: [{label, input}]}`` for the
drawings a letters run trains on from then on besides its dataset's own images (every one of them, each time the
set changes: ``frames.with_examples``).

Each run keeps its own edits in order, each with the epoch it was made at and, for a weight typed in halfway
through an epoch stepped sample by sample, the samples of it done (``Run.edits``, sent in the ``runs`` message, so
the page writes them into its link).  ``Run.added_at`` holds the epoch each added row of its
training set joined it, inherited rows first: a branch from epoch *e* trains on its parent's data as it was at
*e* (``data_at``), and starts from its parent's weights at *e* after the edits made at *e* (``rekeep`` puts the
edited state in place of the one kept for that epoch).  So a link replays the same runs: train to each edit's
epoch, apply it, go on.  No sockets, no locks here.
"""
from __future__ import annotations

import dataclasses
import types

from . import frames, points
from .validate import Invalid, is_number

POINT_FIELDS = ("x", "label", "value")
WEIGHT_FIELDS = ("layer", "row", "col", "bias", "value")
WEIGHT_REQUIRED = ("layer", "value")
DRAWING_FIELDS = ("drawings",)
FIELDS = ("run", "epoch", "sample", *dict.fromkeys(POINT_FIELDS + WEIGHT_FIELDS + DRAWING_FIELDS))  # a link's edit


def is_point(edit):
    return "x" in edit


def is_drawings(edit):
    return "drawings" in edit


def drawing_rows(edit):
    """``[(label, input)]`` of a drawings edit (``frames.with_examples``'s rows)."""
    return [(d["label"], d["input"]) for d in edit["drawings"]]


DRAWINGS_LABEL = "Drawings"  # the page's word for the drawings a link carries
MAX_DRAWING_VALUES = frames.MAX_DRAWINGS * 64  # JSON values a link's drawings may hold (each: object, label, pixels)


def _drawing_refusal(message):
    return Invalid("drawings", f"{DRAWINGS_LABEL} (drawings): {message}"[:300])


def check_drawings(items, dataset):
    """``[{label, input}]`` of a link's drawings (``rebuild``): a list of at most ``frames.MAX_DRAWINGS`` drawings
    of ``dataset`` (a letters set), each one of its labels and its image's pixels, each a number from 0 to 1."""
    if not isinstance(items, list) or len(items) > frames.MAX_DRAWINGS:
        got = f"{len(items)} drawings" if isinstance(items, list) else type(items).__name__
        raise _drawing_refusal(f"must be a list of 0 to {frames.MAX_DRAWINGS} drawings, got {got}")
    if items and dataset.kind != "images":
        raise _drawing_refusal(f"{dataset.name!r} is not a letters dataset: drawings go with letters")
    labels, width = list(dataset.labels or ()), dataset.X.shape[1]
    out = []
    for k, item in enumerate(items, 1):
        where = f"drawing {k} of the link"
        if not isinstance(item, dict) or set(item) != {"label", "input"}:
            raise _drawing_refusal(f"{where} must be an object of label and input")
        if item["label"] not in labels:
            raise _drawing_refusal(f"{where}: label must be one of {', '.join(map(str, labels))}, "
                                   f"got {str(item['label'])[:20]!r}")
        values = item["input"]
        if not isinstance(values, list) or len(values) != width:
            got = f"{len(values)}" if isinstance(values, list) else type(values).__name__
            raise _drawing_refusal(f"{where} must have {width} pixel values (its image), got {got}")
        for i, v in enumerate(values, 1):
            if not is_number(v) or not 0 <= v <= 1:
                raise _drawing_refusal(f"{where}: pixel {i} must be a number from 0 to 1, got {str(v)[:20]}")
        out.append({"label": item["label"], "input": [float(v) for v in values]})
    return out


def weight_args(body):
    """``(layer, col, value, row)`` of a ``set_weight`` payload (``row`` None for a bias), or ``Invalid``."""
    for key in WEIGHT_REQUIRED:
        if key not in body:
            raise Invalid(key, "is required (an edit is a point's x or a weight's layer)")
    if ("bias" in body) == ("row" in body or "col" in body):
        raise Invalid("payload", "send row and col for a weight, or bias for a bias, not both")
    if "bias" in body:
        return body["layer"], body["bias"], body["value"], None
    if "row" not in body or "col" not in body:
        raise Invalid("payload", "a weight needs both row and col")
    return body["layer"], body["col"], body["value"], body["row"]


def apply(setup, companion, edit):
    """``(setup, companion)`` after ``edit``; ``Invalid`` (changing nothing) when it is refused."""
    if is_drawings(edit):
        rows = drawing_rows(edit)
        companion = frames.with_examples(companion, rows)  # first: it may refuse, changing nothing
        return frames.with_examples(setup, rows), companion
    if is_point(edit):
        P, Y = points.check(setup.dataset, edit)
        companion = points.grown(companion, P, Y)  # first: the bias-not-summed rule refuses, changing nothing
        return points.grown(setup, P, Y), companion
    layer, col, value, row = weight_args(edit)
    for s in (setup, companion):
        if s is None:
            continue
        try:
            if row is None:
                s.trainer.set_bias(layer, col, value)
            else:
                s.trainer.set_weight(layer, row, col, value)
        except ValueError as exc:
            raise Invalid.from_value_error(exc) from None
    return setup, companion


def record(run, edit, epoch, sample=0):
    """``run`` keeps ``edit`` (made at ``epoch``, after ``sample`` samples of it stepped one by one) as its link
    will hold it."""
    fields = POINT_FIELDS if is_point(edit) else DRAWING_FIELDS if is_drawings(edit) else WEIGHT_FIELDS
    last = run.edits[-1] if run.edits else None
    if is_drawings(edit) and last is not None and is_drawings(last) and last["epoch"] == epoch and not sample:
        run.edits[-1] = {**last, "drawings": edit["drawings"]}  # drawn one after another, nothing trained between
        return
    where = {"epoch": int(epoch), **({"sample": int(sample)} if sample else {})}
    run.edits.append({**where, **{k: edit[k] for k in fields if k in edit}})
    if is_point(edit):
        run.added_at.append(int(epoch))
    if is_drawings(edit) and run.start_drawings is None:  # a run whose drawings change began with none
        run.start_drawings = []


def drawings_at(run, epoch):
    """[(label, input)] of the drawings ``run`` trained on at ``epoch`` (after its drawings edits made at or before
    it), or None when it does not know (a run without drawings edits that began with none known)."""
    last = next((e for e in reversed(run.edits) if is_drawings(e) and e["epoch"] <= epoch), None)
    if last is not None:
        return drawing_rows(last)
    return None if run.start_drawings is None else list(run.start_drawings)


def rekeep(keeper, state):
    """The state kept for the edit's epoch, if that is the latest kept one, becomes the edited ``state``."""
    if keeper.latest is not None and keeper.latest.epoch == state.epoch:
        keeper._states[state.epoch] = state


def data_at(setup, added_at, epoch):
    """``setup``'s training set as it was at ``epoch``: without the rows added after it (a view for a branch)."""
    drop = sum(e > epoch for e in added_at)
    if not drop:
        return setup
    ds, tr = setup.dataset, setup.trainer
    n = ds.X.shape[0] - drop
    dataset = ds.rows(slice(0, n))
    dataset.params["added"] = points.added(ds) - drop
    trainer = types.SimpleNamespace(X=tr.X[:n], Y=tr.Y[:n], history=tr.history, data_changes=tr.data_changes)
    return dataclasses.replace(setup, dataset=dataset, trainer=trainer)
