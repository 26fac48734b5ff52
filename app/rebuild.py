"""Open a link's "what if" runs: train the original and each branch again, as the page that made them did.

A link (the page's URL, ``static/core/url-state.js``) names the runs by what made them: the original's epoch,
and for each branch its parent (0 the original, *i* the *i*-th branch of the link), the epoch it left its parent
from, the epoch it reached and its changes.  The engine is deterministic, so training the original of a freshly
configured network to each branch's epoch and branching there with the same changes rebuilds the same runs, bit
for bit.  Every field is checked first, as the ``branch`` event checks it (``branches.check_changes``, the fields
of ``schema.BRANCH_FIELDS``); a refused link changes nothing.  A run that diverges before one of its branches
leaves it is refused too, and the network goes back to epoch 0.

Not reproduced: points added by clicking on the plane and drawings added during the run (a link holds settings,
not data).
"""
from __future__ import annotations

import dataclasses

from engine.branching import capture, restore

from . import frames
from .branches import Run, _continue, check_changes, describe, kept
from .schema import MAX_BRANCHES
from .validate import Invalid, integer
from .wire import encode

SPACING = 1000  # a rebuilt run keeps about this many states spread over its epochs (scrubbing, branching)


@dataclasses.dataclass(frozen=True)
class Spec:
    parent: int
    from_epoch: int
    epoch: int
    changes: dict


def check(body, max_epochs):
    """``(epoch, [Spec], live)`` from ``{epoch, branches: [{parent, from_epoch, epoch, changes}], live}``."""
    epoch = integer("epoch", body.get("epoch", 0), 0, max_epochs)
    items = body.get("branches", [])
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_BRANCHES:
        raise Invalid("branches", f"must be a list of 1 to {MAX_BRANCHES} branches")
    ends, specs = [epoch], []
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
        specs.append(Spec(parent, start, end, changes))
    live = integer("live", body.get("live", 0), 0, len(specs))
    return epoch, specs, live


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
        if not ran:
            break


def _state_at(run, epoch):
    """(state, companion state) of ``run`` at ``epoch``, training it there (it has not passed it)."""
    _train(run, epoch)
    tr = run.setup.trainer
    if tr.epoch != epoch:
        raise Invalid("from_epoch", f"{run.name} diverged at epoch {tr.epoch}, before epoch {epoch} where a branch "
                                    "of the link leaves it")
    comp = run.companion
    return capture(tr), (capture(comp.trainer) if comp is not None and not comp.trainer.diverged else None)


def rebuild(session, body):
    """The ``open_runs`` event: the link's runs on the session's new network (epoch 0, no branches yet)."""
    epoch, specs, live = check(body, session.max_epochs)
    with session.lock:
        session._need_setup()
        tree, original = session.branches._live(session)
        tr = original.setup.trainer
        if len(tree) > 1 or tr.epoch or tr._pos:
            raise Invalid("epoch", "a link's runs open on a new network: send configure first")
        session._halt()
        start = capture(tr), (capture(original.companion.trainer) if original.companion is not None else None)
        schedule = original.keeper.stride
        runs, states = [original], {}

        def prepare(i):  # run i trained to each epoch a branch leaves it from, its state there kept
            for e in sorted({s.from_epoch for s in specs if s.parent == i}):
                states[i, e] = _state_at(runs[i], e)

        try:
            prepare(0)
            for i, spec in enumerate(specs, 1):
                parent = runs[spec.parent]
                state, comp_state = states[spec.parent, spec.from_epoch]
                setup, companion = frames.build({**parent.setup.config, **spec.changes})
                setup = _continue(setup, parent.setup, state)
                if companion is not None:
                    src, src_state = ((parent.companion, comp_state) if parent.companion is not None and comp_state
                                      else (parent.setup, state))
                    companion = _continue(companion, src, src_state)
                runs.append(Run(i, f"branch {i}", setup, companion, parent.keeper.upto(spec.from_epoch),
                                parent=spec.parent, from_epoch=spec.from_epoch,
                                changes=encode.jsonable(spec.changes),
                                label=describe(spec.changes, parent.setup.config, spec.from_epoch)))
                prepare(i)
            for run, end in zip(runs, [epoch] + [s.epoch for s in specs], strict=True):
                _train(run, end)
        except Invalid:
            restore(tr, start[0])
            if start[1] is not None:
                restore(original.companion.trainer, start[1])
            original.keeper._epochs, original.keeper._states = [], {}  # as configure left it: epoch 0 only
            original.keeper.stride = schedule
            session._keep()
            raise
        tree.extend(runs[1:])
        session.branches._install(session, runs[live])
        return {"live": live, "runs": [{"id": r.id, "name": r.name, "epoch": int(r.setup.trainer.epoch)}
                                       for r in runs]}
