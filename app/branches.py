"""What-if branches: train on from a kept epoch with other settings, and keep the runs side by side.

A *tree* is a session's original run and the branches made from it (or from a
branch).  Each ``Run`` holds its own setup, mistake-lab companion and keeper;
the session trains one of them, the *live* run (``session.setup``,
``session.companion`` and ``session.keeper`` are the live run's), with play and
step as usual.  ``branch`` takes the state kept nearest at or before the asked
epoch (``Kept.state``: weights, velocity, shuffle generator, epoch;
``engine.branching``), builds a setup from the parent's config with the
changes, restores the state into it with the parent's history up to there, and
makes it live: ``network``, a ``snapshot`` with its whole curve, ``status``
paused and ``runs`` (every run's curve, for the chart).  ``switch`` makes
another run live the same way; ``drop`` removes a branch the learner asks to
remove.  A branch trains on the parent's training set as it was at its epoch (points
added later are left out, ``edits.data_at``; its drawings as they were then, ``edits.drawings_at``), from the
parent's weights there after the
edits made at that epoch; each run keeps its own edits (``Run.edits``) for the link.

Which fields a branch may change and how many branches are kept is declared
once in ``schema`` (``BRANCH_FIELDS``, ``MAX_BRANCHES``) and served by
``/api/schema``.  At the limit a new branch is refused, saying so: nothing the
learner made is dropped without being asked.  A reset, a new network or a
loaded model starts a new tree; the previous one is kept as long as ``undo``
can bring its run back.
"""
from __future__ import annotations

import dataclasses

from engine import config as _config
from engine.branching import capture, restore

from . import edits, frames, validate
from .history import Kept
from .schema import BRANCH_FIELDS, MAX_BRANCHES
from .validate import Invalid
from .wire import encode

SYMBOLS = {"lr": "η", "reg_rate": "λ"}  # how a change names its field, else the field's label in lower case


@dataclasses.dataclass
class Run:
    id: int
    name: str
    setup: object
    companion: object
    keeper: object
    parent: int | None = None
    from_epoch: int | None = None
    changes: dict = dataclasses.field(default_factory=dict)
    label: str = "the first run"
    edits: list = dataclasses.field(default_factory=list)  # the learner's own, in order (``edits.record``)
    added_at: list = dataclasses.field(default_factory=list)  # the epoch each added row joined the training set
    start_drawings: list | None = None  # the drawings it began with (None: not known, a class's; ``drawings_at``)


def kept(setup, companion) -> Kept:
    """The state ``Keeper`` keeps for the current epoch: weights and biases, and all a branch needs."""
    tr = setup.trainer
    state = capture(tr) if not tr._pos else None
    weights, biases = (state.weights, state.biases) if state else _params(tr.net)
    comp = comp_state = None
    if companion is not None:
        ct = companion.trainer
        comp_state = capture(ct) if not ct._pos else None
        cw, cb = (comp_state.weights, comp_state.biases) if comp_state else _params(ct.net)
        comp = (cw, cb, ct.epoch)
    return Kept(tr.epoch, weights, biases, tr.eta_at(tr.epoch), comp, state=state, companion_state=comp_state)


def _params(net):
    return [w.copy() for w in net.weights], [b.copy() for b in net.biases]


def _shown(name, value):
    field = _config.BY_NAME[name]
    if isinstance(value, float):
        return f"{value:g}"
    return str(field.option_labels.get(value, value)) if isinstance(value, str) else str(value)


def describe(changes, before, epoch):
    """The change in plain words: ``η 0.5 → 2 from epoch 120``."""
    parts = [f"{SYMBOLS.get(k) or _config.BY_NAME[k].label.lower()} {_shown(k, before.get(k))} → {_shown(k, v)}"
             for k, v in changes.items() if before.get(k) != v]
    return f"{', '.join(parts) or 'no change'} from epoch {epoch}"


def check_changes(changes):
    """``{field: value}`` with each value checked as ``configure`` checks it; only ``BRANCH_FIELDS``."""
    allowed = ", ".join(f"{_config.BY_NAME[k].label} ({k})" for k in BRANCH_FIELDS)
    if not isinstance(changes, dict):
        raise Invalid("changes", f"must be an object of the fields a branch may change: {allowed}")
    for key in changes:
        if key not in BRANCH_FIELDS:
            raise Invalid(str(key)[:validate.MAX_NAME], f"a branch may change only {allowed}")
    return {k: validate.config_field(k, v) for k, v in changes.items()}


class Branches:
    """A session's trees of runs; every method is called with the session's lock held or takes it."""

    def __init__(self):
        self._trees: list[list[Run]] = []

    def _live(self, session):
        """(tree, run) the session trains now; a new tree when a reset or a new network replaced the last one."""
        trainer = session.setup.trainer
        tree, run = next(((t, r) for t in self._trees for r in t if r.setup.trainer is trainer), (None, None))
        if tree is None:
            run = Run(0, "original", session.setup, session.companion, session.keeper)
            tree = [run]
            self._trees.append(tree)
        run.setup, run.companion, run.keeper = session.setup, session.companion, session.keeper  # points, drawings
        undo = session._undo[0].trainer if session._undo else None
        self._trees = [t for t in self._trees if t is tree or any(r.setup.trainer is undo for r in t)]
        return tree, run

    def announce(self, session, always=False):
        """``runs`` to the session's viewers, when there are branches or edits (or ``always``)."""
        tree, live = self._live(session)
        if always or len(tree) > 1 or any(r.edits for r in tree):
            session._emit("runs", runs_message(tree, live))

    def branch(self, session, epoch, changes):
        """A new branch of the live run from ``epoch`` (or the kept epoch nearest before it), made live."""
        with session.lock:
            session._need_setup()
            changes = check_changes(changes)
            tree, parent = self._live(session)
            tr = parent.setup.trainer
            if epoch > tr.epoch:
                raise Invalid("epoch", f"must be a whole number from 0 to {tr.epoch} (the current epoch)")
            if len(tree) - 1 >= MAX_BRANCHES:
                raise Invalid("branch", f"this run already has {MAX_BRANCHES} branches, the most a session keeps; "
                                        "remove one (its × in the list of runs) to make another")
            state, comp_state = self._start(session, epoch)
            setup, companion = frames.build({**parent.setup.config, **changes})
            setup, companion = made(parent, setup, companion, state, comp_state)
            number = max((int(r.name.split()[-1]) for r in tree if r.parent is not None), default=0) + 1
            run = Run(max(r.id for r in tree) + 1, f"branch {number}", setup, companion,
                      session.keeper.upto(state.epoch), parent=parent.id, from_epoch=state.epoch,
                      changes=encode.jsonable(changes),
                      label=describe(changes, parent.setup.config, state.epoch),
                      added_at=[e for e in parent.added_at if e <= state.epoch],
                      start_drawings=edits.drawings_at(parent, state.epoch))
            tree.append(run)
            self._install(session, run)
            note = None if state.epoch == epoch else (f"epoch {epoch} is not kept: the branch starts from epoch "
                                                      f"{state.epoch}, the nearest kept one before it")
            return {"id": run.id, "name": run.name, "label": run.label, "from_epoch": state.epoch, "note": note}

    def _start(self, session, epoch):
        """(state, companion state): the live trainer's own when ``epoch`` is now, else the nearest kept one."""
        tr, comp = session.setup.trainer, session.companion
        if epoch == tr.epoch and not tr._pos:
            return capture(tr), (capture(comp.trainer) if comp is not None and not comp.trainer._pos else None)
        k = session.keeper.at_or_before(epoch)
        while k is not None and k.state is None:  # taken mid-epoch: not a state to train on from
            k = session.keeper.at_or_before(k.epoch - 1)
        if k is None:  # pragma: no cover - epoch 0 is always kept
            raise Invalid("epoch", f"no kept state at or before epoch {epoch}")
        return k.state, k.companion_state

    def switch(self, session, run_id):
        """Make run ``run_id`` live (training pauses): its network, snapshot, status and the runs."""
        with session.lock:
            session._need_setup()
            tree, live = self._live(session)
            run = _find(tree, run_id)
            if run is not live:
                self._install(session, run)
            return {"live": run.id, "epoch": run.setup.trainer.epoch}

    def drop(self, session, run_id):
        """Remove a branch (not the original, not the live run) → ``runs``."""
        with session.lock:
            session._need_setup()
            tree, live = self._live(session)
            run = _find(tree, run_id)
            if run.parent is None:
                raise Invalid("id", "the original run is not a branch: it stays")
            if run is live:
                raise Invalid("id", f"{run.name} is the live run: switch to another run before removing it")
            tree.remove(run)
            self.announce(session, always=True)
            return {"removed": run.id, "runs": len(tree)}

    def _install(self, session, run):
        session._halt()
        session.setup, session.companion, session.keeper = run.setup, run.companion, run.keeper
        session.state, session.reason = session._end_state() or ("paused", "")
        session.until = None
        session._publish_model(force=True)
        session.welcome()  # network, snapshot (whole curve), status, runs


def _find(tree, run_id):
    run = next((r for r in tree if r.id == run_id), None)
    if run is None:
        ids = ", ".join(str(r.id) for r in tree)
        raise Invalid("id", f"no run {run_id!r}; the runs are {ids}")
    return run


def made(parent, setup, companion, state, comp_state):
    """A branch's ``(setup, companion)`` (a new config) on ``parent``'s training set as it was at ``state``'s
    epoch (``edits.data_at``), trained on from ``state`` (and the companion's ``comp_state``)."""
    epoch = state.epoch
    drawings = edits.drawings_at(parent, epoch)

    def data(s):
        s = edits.data_at(s, parent.added_at, epoch)
        return s if drawings is None else frames.examples_view(s, drawings)

    base = data(parent.setup)
    setup = _continue(setup, base, state)
    if companion is not None:
        src, src_state = ((data(parent.companion), comp_state)
                          if parent.companion is not None and comp_state else (base, state))
        companion = _continue(companion, src, src_state)
    return setup, companion


def _continue(setup, parent, state):
    """``setup`` (a new config) on ``parent``'s training set, trained on from ``state`` with ``parent``'s past."""
    ptr = parent.trainer
    try:
        setup.trainer.set_data(ptr.X, ptr.Y)
        restore(setup.trainer, state, ptr.history, ptr.data_changes)
    except ValueError as exc:
        raise Invalid.from_value_error(exc) from None
    return dataclasses.replace(setup, dataset=parent.dataset)


def run_info(run, live):
    tr = run.setup.trainer
    return {"id": run.id, "name": run.name, "label": run.label, "parent": run.parent, "from_epoch": run.from_epoch,
            "changes": run.changes, "edits": run.edits, "live": run is live, "epoch": int(tr.epoch),
            "diverged": tr.diverged is not None, "config": encode.jsonable(run.setup.config),
            "curve": encode.curve(tr.history, data_changes=tr.data_changes)}


def runs_message(tree, live):
    """The ``runs`` payload: the live run's id, the limit, every run with its curve, and ``drawings``: each
    drawing the runs trained on, once ``{label, input}``; a drawings edit names them by their place in it."""
    table, place = [], {}

    def indexed(edit):
        if not edits.is_drawings(edit):
            return edit
        ids = []
        for d in edit["drawings"]:
            key = (d["label"], tuple(d["input"]))
            if key not in place:
                place[key] = len(table)
                table.append(d)
            ids.append(place[key])
        return {**edit, "drawings": ids}

    runs = [{**info, "edits": [indexed(e) for e in info["edits"]]} for info in (run_info(r, live) for r in tree)]
    return {"live": live.id, "limit": MAX_BRANCHES, "runs": runs, "drawings": table}
