"""A session's training set changing under the running network: stored drawings and clicked points.

``DataChanges`` is mixed into ``Session``: ``use_examples``/``refresh_data`` (a letters dataset plus the drawings
``stored_examples(dataset_name)`` returns) and ``add_point`` (a point clicked on the plane, ``app/points.py``).
The run goes on in every case (weights, epoch, history and training kept; the curve marks the epoch) and the
session answers ``dataset`` and a snapshot.  ``_edited`` keeps an edit (a point, or a weight
``Session.set_param`` typed in) with its run, so a link reproduces it (``app/edits.py``).
"""
from __future__ import annotations

from . import branches, edits, frames, points
from .validate import Invalid


def drawings_edit(examples):
    """The edit that makes a run train on ``examples`` [(label, input)] (``edits.apply``, ``Run.edits``)."""
    return {"drawings": [{"label": label, "input": [float(v) for v in x]} for label, x in examples]}


class DataChanges:
    """The data-changing part of ``Session``."""

    def _added_examples(self, setup):
        """The drawings ``setup`` trains on besides its dataset's own: the stored ones when its config asks."""
        if self._stored_examples is None or not setup.config.get("examples") or setup.dataset.kind != "images":
            return []
        return self._stored_examples(setup.dataset.name)

    def use_examples(self):
        """Train on the stored drawings too (``examples`` on), from the current weights: the run goes on."""
        with self.lock:
            setup = self._need_setup()
            if setup.dataset.kind != "images":
                raise Invalid("dataset", f"{setup.dataset.name!r} is not a letters dataset: drawings go with letters")
            for s in (setup, self.companion):
                if s is not None:
                    s.config["examples"] = True
            return self.refresh_data()

    def refresh_data(self):
        """The added drawings changed: the same run goes on with them (weights, epoch, history and training
        kept; the curve marks the epoch) → ``dataset`` and a snapshot; on a solo page the run keeps the change as
        an edit (``_drawings_edited``), so its link carries the drawings."""
        with self.lock:
            setup = self._need_setup()
            edit = drawings_edit(self._added_examples(setup))
            sample = setup.trainer._pos  # the samples of this epoch stepped before the change (set_data ends it)
            self.setup, self.companion = edits.apply(setup, self.companion, edit)
            self._publish_model(force=True)
            self._emit("dataset", frames.data_change(self.setup))
            self._publish(self._frame(force=True))
            if self._drawings_edited(edit, sample):
                self.branches.announce(self, always=True)
            return {"samples": int(self.setup.dataset.n_samples), "epoch": self.setup.trainer.epoch,
                    "training": self.training}

    def _drawings_edited(self, edit, sample=0):
        """A solo tab's run keeps a change of its drawings (``edit``) for its link (a class's accepted drawings
        live with the class, not in a link): True when it did."""
        if self._stored_examples is None or self.setup.dataset.kind != "images":
            return False
        self._edited(edit, sample)
        return True

    def _edited(self, edit, sample=None):
        """The live run keeps ``edit`` (made after ``sample`` samples of this epoch, by default the trainer's)
        for its link (``edits.record``) and the state kept for this epoch becomes the edited one; the caller then
        sends ``runs`` (every run with its edits) after the snapshot."""
        if self._rebuilding is not None:  # the learner changed the network: a link's runs are not opened over it
            self._rebuilding.set()
        run = self.branches._live(self)[1]
        tr = self.setup.trainer
        edits.record(run, edit, tr.epoch, tr._pos if sample is None else sample)
        if not tr._pos:
            edits.rekeep(self.keeper, branches.kept(self.setup, self.companion))

    def add_point(self, body):
        """A point clicked on the plane joins the training set (``points.check``), also while training: the same
        run goes on (weights, epoch, history; the curve marks the epoch) → ``dataset`` and a snapshot."""
        with self.lock:
            setup = self._need_setup()
            self.setup, self.companion = edits.apply(setup, self.companion, body)
            self._edited(body)
            self._publish_model(force=True)
            self._emit("dataset", frames.data_change(self.setup))
            self._publish(self._frame(force=True))
            self.branches.announce(self, always=True)
            return {"samples": int(self.setup.dataset.n_samples), "added": points.added(self.setup.dataset),
                    "epoch": self.setup.trainer.epoch, "training": self.training}
