"""Open a link's runs: train the original and each branch again, with the learner's edits, as the page did.

A link (the page's URL, ``static/core/url-state.js``) names the runs by what made them: the original's epoch,
for each branch its parent (0 the original, *i* the *i*-th branch of the link), the epoch it left its parent
from, the epoch it reached and its changes; and each edit the learner made (a point added by clicking, a weight
or bias typed in: ``app/edits.py``) with the run it was made in and its epoch.  The engine is deterministic, so
training the original of a freshly configured network to each edit's epoch, applying it there through
``edits.apply`` (the ``add_point``/``set_weight`` events' own path, with their checks and refusals), and
branching at each branch's epoch with the same changes (``branches.made``: the parent's data and weights as
they were at that epoch, after its edits there) rebuilds the same runs, bit for bit.  Every field is checked
first, as the ``branch`` event checks it (``branches.check_changes``, the fields of ``schema.BRANCH_FIELDS``).
The runs are then trained on copies of the new network in a background task (``rebuild``), so a long link keeps
the tab answered and says where it is; only a finished rebuild is installed, so a refused or stopped link changes
nothing: the network stays at epoch 0 as configured.  A run that diverges before one of its branches leaves it,
or before one of its edits, is refused too.

A weight typed in halfway through an epoch stepped sample by sample is replayed after the same samples
(``sample``).  The drawings a letters run trained on travel in the link too (``drawings``: each once, ``{label,
input}``; a drawings edit names them by their place there): opening it trains on exactly those, whatever the
opener's store holds (the drawings ``configure`` took from it are dropped first).
"""
from __future__ import annotations

import collections
import dataclasses
import math
import threading
import time

from engine.branching import capture, restore

from . import edits, frames
from .branches import Run, check_changes, describe, kept, made
from .points import MAX_ADDED
from .schema import MAX_BRANCHES
from .validate import Invalid, integer
from .wire import encode

SPACING = 1000  # a rebuilt run keeps about this many states spread over its epochs (scrubbing, branching)
MAX_SAMPLE = 10**6  # the most samples an edit may be made after (the run's training set says how many it has)
PROGRESS_RATE = 5  # ``link`` messages a second while a link's runs are trained again
MAX_EDITS = MAX_ADDED + 100  # edits one link may hold (points, weights, drawings; all runs)
MAX_EDIT_VALUES = 2**15  # JSON values a link's edits may hold (a drawings edit lists its places); a socket message
                         # of at most 64 KiB holds fewer


@dataclasses.dataclass(frozen=True)
class Spec:
    parent: int
    from_epoch: int
    epoch: int
    changes: dict


def check(body, max_epochs):
    """``(epoch, [Spec], live, edits)`` from ``{epoch, branches: [{parent, from_epoch, epoch, changes}], live,
    edits: [{run, epoch, ...}], drawings}``; ``edits`` per run, in order (a drawings edit's places in
    ``drawings`` checked, not yet read: ``with_drawings``)."""
    epoch = integer("epoch", body.get("epoch", 0), 0, max_epochs)
    items = body.get("branches", [])
    if not isinstance(items, list) or not len(items) <= MAX_BRANCHES:
        raise Invalid("branches", f"must be a list of 0 to {MAX_BRANCHES} branches")
    ends, starts, specs = [epoch], [0], []
    for i, item in enumerate(items, 1):
        where = f"(branch {i} of the link)"
        if not isinstance(item, dict) or set(item) - {"parent", "from_epoch", "epoch", "changes"}:
            raise Invalid("branches", f"must be objects of parent, from_epoch, epoch and changes {where}")
        try:
            parent = integer("parent", item.get("parent"), 0, i - 1)
            start = integer("from_epoch", item.get("from_epoch"), 0, ends[parent])
            end = integer("epoch", item.get("epoch"), start, max_epochs)
            changes = check_changes(item.get("changes", {}))
        except Invalid as exc:
            raise Invalid(exc.field, f"{exc.message} {where}") from None
        ends.append(end)
        starts.append(start)
        specs.append(Spec(parent, start, end, changes))
    live = integer("live", body.get("live", 0), 0, len(specs))
    drawings = body.get("drawings", [])
    table = len(drawings) if isinstance(drawings, list) else 0
    return epoch, specs, live, _check_edits(body.get("edits", []), starts, ends, bool(specs), table)


def _check_places(value, table, where):
    """A drawings edit's ``drawings``: places in the link's drawings (``table`` of them), at most
    ``frames.MAX_DRAWINGS``."""
    if (not isinstance(value, list) or len(value) > frames.MAX_DRAWINGS
            or not all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < table for i in value)):
        raise Invalid("drawings", f"{edits.DRAWINGS_LABEL} (drawings): a drawings edit must list 0 to "
                                  f"{frames.MAX_DRAWINGS} places in the link's {table} drawings {where}")


def with_drawings(queues, drawings):
    """The queued drawings edits with the drawings they name (``drawings``: ``edits.check_drawings``'s)."""
    for queue in queues:
        for n, (k, edit) in enumerate(queue):
            if edits.is_drawings(edit):
                queue[n] = (k, {**edit, "drawings": [drawings[i] for i in edit["drawings"]]})
    return queues


def _check_edits(items, starts, ends, branched, table=0):
    """The link's edits as one queue per run, each edit ``(its place in the link, payload with its epoch)``."""
    if not isinstance(items, list) or len(items) > MAX_EDITS:
        raise Invalid("edits", f"must be a list of 0 to {MAX_EDITS} edits")
    if not items and not branched:
        raise Invalid("branches", "a link's runs need a branch or an edit")
    queues = [collections.deque() for _ in ends]
    for k, item in enumerate(items, 1):
        where = f"(edit {k} of the link)"
        if not isinstance(item, dict) or set(item) - set(edits.FIELDS):
            raise Invalid("edits", f"must be objects of {', '.join(edits.FIELDS)} {where}")
        if "x" in item and set(item) & (set(edits.WEIGHT_FIELDS) - set(edits.POINT_FIELDS)):
            raise Invalid("edits", f"an edit is a point (x) or a weight (layer), not both {where}")
        if edits.is_drawings(item):
            if set(item) & set(edits.POINT_FIELDS + edits.WEIGHT_FIELDS):
                raise Invalid("edits", f"a drawings edit holds drawings only {where}")
            _check_places(item["drawings"], table, where)
        try:
            run = integer("run", item.get("run", 0), 0, len(ends) - 1)
            last, last_sample = (queues[run][-1][1]["epoch"], queues[run][-1][1]["sample"]) if queues[run] \
                else (starts[run], 0)
            epoch = integer("epoch", item.get("epoch"), last, ends[run])
            sample = integer("sample", item.get("sample", 0), last_sample if epoch == last else 0, MAX_SAMPLE)
        except Invalid as exc:
            raise Invalid(exc.field, f"{exc.message} {where}") from None
        queues[run].append((k, {**item, "epoch": epoch, "sample": sample}))
    return queues


def _train(run, target):
    """Train ``run`` to ``target`` (or its divergence), keeping states as the live loop does."""
    tr, keeper = run.setup.trainer, run.keeper
    keeper.coarsen(max(1, target // SPACING))
    while tr.epoch < target and not tr.diverged:
        ran = tr.run(min(keeper.next_due(tr.epoch), target) - tr.epoch)
        if run.companion is not None and not run.companion.trainer.diverged:
            run.companion.trainer.run(ran)
        if keeper.is_due(tr.epoch):
            keeper.keep(kept(run.setup, run.companion))
        progress = getattr(_here, "progress", None)
        if progress is not None:
            progress.tick(tr.epoch)
        if not ran:
            break


def _advance(run, target, queue, within=True):
    """Train ``run`` to ``target``, applying its edits up to that epoch where the learner made them (those made
    within epoch ``target``, after some of its samples, only when ``within``)."""
    while queue and (queue[0][1]["epoch"], queue[0][1]["sample"]) <= (target, math.inf if within else 0):
        k, edit = queue[0]
        epoch, sample = edit["epoch"], edit["sample"]
        _reach(run, epoch, "epoch", f"where edit {k} of the link was made")
        try:
            _to_sample(run, sample)
            run.setup, run.companion = edits.apply(run.setup, run.companion, edit)
        except Invalid as exc:
            raise Invalid(exc.field, f"{exc.message} (edit {k} of the link)") from None
        edits.record(run, edit, epoch, sample)
        if not run.setup.trainer._pos:  # as the live run: drawings end the epoch begun (``Trainer.set_data``)
            edits.rekeep(run.keeper, kept(run.setup, run.companion))
        queue.popleft()
    _train(run, target)


def _to_sample(run, sample):
    """Step ``run`` sample by sample (the companion alike, as the ``step`` event does) until ``sample`` samples
    of its epoch are done."""
    tr, n = run.setup.trainer, run.setup.trainer.X.shape[0]
    if not tr._pos <= sample < n:
        raise Invalid("sample", f"sample: {sample} is not a whole number from {tr._pos} to {n - 1}")
    while tr._pos < sample and not tr.diverged:
        tr.step_sample()
        if run.companion is not None and not run.companion.trainer.diverged:
            run.companion.trainer.step_sample()
    if tr._pos != sample:
        raise Invalid("epoch", f"{run.name} diverged at epoch {tr.epoch}, before sample {sample} of it")


def _reach(run, epoch, field, what):
    _train(run, epoch)
    tr = run.setup.trainer
    if tr.epoch != epoch:
        raise Invalid(field, f"{run.name} diverged at epoch {tr.epoch}, before epoch {epoch} {what}")


def _state_at(run, epoch, queue):
    """(state, companion state) of ``run`` at ``epoch`` after its edits there, training it there."""
    _advance(run, epoch, queue, within=False)
    _reach(run, epoch, "from_epoch", "where a branch of the link leaves it")
    comp = run.companion
    return capture(run.setup.trainer), (capture(comp.trainer) if comp is not None and not comp.trainer.diverged
                                        else None)


class Cancelled(Exception):
    """The rebuild was stopped (a pause, a new network, the tab went away): nothing of it is installed."""


class _Progress:
    """Where a rebuild is, for its ``link`` messages (``rebuilding``, at most ``PROGRESS_RATE`` a second), and
    whether it was cancelled (checked after every chunk of epochs)."""

    def __init__(self, emit, cancel, epochs):
        self.emit, self.cancel, self.epochs = emit, cancel, epochs
        self.run, self.at = 0, -math.inf

    def tick(self, epoch, force=False):
        if self.cancel.is_set():
            raise Cancelled
        now = time.monotonic()
        if force or now - self.at >= 1 / PROGRESS_RATE:
            self.at = now
            self.emit("link", {"state": "rebuilding", "run": self.run + 1, "runs": len(self.epochs),
                               "epoch": int(epoch), "epochs": self.epochs[self.run]})


_here = threading.local()  # the rebuild this thread runs (its ``_Progress``), read by ``_train``


def rebuild(session, body, opened=None):
    """The ``open_runs`` event: the link's runs on the session's new network (epoch 0, no branches yet).

    Every field is checked here, in the event (a refusal is its answer); the runs are then trained again in a
    background task, on copies of the new network, while the tab's other events are answered: ``link`` messages
    say where it is (``{state: "rebuilding", run, runs, epoch, epochs}``), and at the end the runs are installed
    (``network``, ``snapshot``, ``status`` paused, ``runs``, then ``link`` ``{state: "opened", live, runs:
    [{id, name, epoch}]}``, after ``opened(answer)`` adds to it).  A pause, a new network or the tab leaving
    cancels it (``link`` ``{state: "cancelled"}``); a refusal found while training (a run that diverged before
    an edit) is an ``error`` naming the field, as a refused event's.  Either way the network stays as configured.
    → ``{rebuilding: {runs, epochs}}``."""
    epoch, specs, live, queues = check(body, session.max_epochs)
    with session.lock:
        session._need_setup()
        tree, original = session.branches._live(session)
        tr = original.setup.trainer
        if len(tree) > 1 or tr.epoch or tr._pos or not all(edits.is_drawings(e) for e in original.edits):
            raise Invalid("epoch", "a link's runs open on a new network: send configure first")
        queues = with_drawings(queues, edits.check_drawings(body.get("drawings", []), original.setup.dataset))
        session._halt()
        cancel = session._rebuilding = threading.Event()
        first = _copy(session, original)
        configured, edited = session.setup, len(original.edits)
    ends = [epoch] + [s.epoch for s in specs]
    progress = _Progress(session._emit, cancel, ends)

    def work():
        _here.progress = progress
        try:
            progress.tick(0, force=True)
            runs = _train_all(first, specs, queues, ends, progress)
            with session.lock:
                if cancel.is_set() or session.setup is not configured or configured.trainer.epoch:
                    raise Cancelled
                tree, original = session.branches._live(session)
                if len(tree) > 1 or len(original.edits) != edited:  # the learner's change meanwhile is kept
                    raise Cancelled
                original.setup, original.companion, original.keeper = first.setup, first.companion, first.keeper
                original.edits, original.added_at = first.edits, first.added_at
                original.start_drawings = first.start_drawings
                tree.extend(runs[1:])
                session._rebuilding = None
                session.branches._install(session, runs[live])  # with its welcome's runs: every run and its edits
                answer = {"state": "opened", "live": live, "runs": [
                    {"id": r.id, "name": r.name, "epoch": int(r.setup.trainer.epoch)} for r in runs]}
                if opened is not None:
                    opened(answer)
                session._emit("link", answer)
        except Cancelled:
            session._emit("link", {"state": "cancelled"})
        except Invalid as exc:
            session._emit("error", {"event": "open_runs", "field": exc.field, "message": exc.message})
        finally:
            _here.progress = None
            with session.lock:
                if session._rebuilding is cancel:
                    session._rebuilding = None

    session._start_task(work)
    return {"rebuilding": {"runs": len(ends), "epochs": ends}}


def _copy(session, original):
    """A run like the session's new network (its weights, its rules, its own data: not the drawings
    ``configure`` took from this server's store), that the rebuild may train without touching the session."""
    config = original.setup.config
    setup, companion = frames.build(config)
    restore(setup.trainer, capture(original.setup.trainer))
    if companion is not None and original.companion is not None:
        restore(companion.trainer, capture(original.companion.trainer))
    keeper = session._new_keeper(setup, companion)
    keeper.stride = original.keeper.stride
    keeper.keep(kept(setup, companion))
    return Run(0, "original", setup, companion, keeper)


def _train_all(original, specs, queues, ends, progress):
    """The link's runs, trained again: the original and each branch to its epoch, with their edits."""
    runs, states = [original], {}

    def prepare(i):  # run i trained to each epoch a branch leaves it from, its state there kept
        progress.run = i
        for e in sorted({s.from_epoch for s in specs if s.parent == i}):
            states[i, e] = _state_at(runs[i], e, queues[i])

    prepare(0)
    for i, spec in enumerate(specs, 1):
        parent = runs[spec.parent]
        state, comp_state = states[spec.parent, spec.from_epoch]
        setup, companion = made(parent, *frames.build({**parent.setup.config, **spec.changes}), state, comp_state)
        runs.append(Run(i, f"branch {i}", setup, companion, parent.keeper.upto(spec.from_epoch),
                        parent=spec.parent, from_epoch=spec.from_epoch, changes=encode.jsonable(spec.changes),
                        label=describe(spec.changes, parent.setup.config, spec.from_epoch),
                        added_at=[e for e in parent.added_at if e <= spec.from_epoch],
                        start_drawings=edits.drawings_at(parent, spec.from_epoch)))
        prepare(i)
    for i, (run, end) in enumerate(zip(runs, ends, strict=True)):
        progress.run = i
        _advance(run, end, queues[i])
    return runs
