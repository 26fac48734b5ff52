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
        kept; the curve marks the epoch) → ``dataset`` and a snapshot."""
        with self.lock:
            setup = self._need_setup()
            examples = self._added_examples(setup)
            companion = frames.with_examples(self.companion, examples)  # first: it may refuse, changing nothing
            self.setup, self.companion = frames.with_examples(setup, examples), companion
            self._publish_model(force=True)
            self._emit("dataset", frames.data_change(self.setup))
            self._publish(self._frame(force=True))
            return {"samples": int(self.setup.dataset.n_samples), "epoch": self.setup.trainer.epoch,
                    "training": self.training}

    def _edited(self, edit):
        """The live run keeps ``edit`` for its link (``edits.record``) and the state kept for this epoch becomes
        the edited one; the caller then sends ``runs`` (every run with its edits) after the snapshot."""
        run = self.branches._live(self)[1]
        tr = self.setup.trainer
        edits.record(run, edit, tr.epoch, tr._pos)
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
