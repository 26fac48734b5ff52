"""One training session: a network, its trainer, the background loop and the viewers that watch it.

A browser tab owns one ``Session``; a classroom shares one (``classroom.room.RoomSession``)
among many viewers.  The session never emits by itself: it is given ``emit(event,
payload)`` (to a sid or a room, always an explicit ``to=``) and one ``SnapshotGate``
per viewer.  Training runs in one background task per
``start``; a ``threading.Event`` stops it (a thread can't be killed) within one
chunk of epochs.  The lock guards the trainer: the loop holds it for one chunk
(a few ms) at a time, and every control method takes it.

Display is separate from training: at ``max`` the loop runs chunks sized to
``CHUNK_SECONDS`` and builds a frame at most ``frame_rate`` times a second, and
only when some viewer can take one.  Predictions read a copy of the network
published after each chunk, so they never wait for the trainer.

With ``examples: true`` a letters dataset also trains on the stored drawings
``stored_examples(dataset_name)`` returns, read again for every new network.

Payload shapes are validated by ``events.py``; what depends on the session's
state (a network? diverged? which epochs?) raises ``Invalid`` here, changing nothing.
"""
from __future__ import annotations

import threading
import time

from . import branches, edits, frames
from .flow import SnapshotGate
from .history import Keeper
from .session_data import DataChanges, drawings_edit
from .session_loop import (  # noqa: F401 - CHUNK_SECONDS, MAX_CHUNK, TRAIN_THREAD: their old home
    CHUNK_SECONDS,
    MAX_CHUNK,
    TRAIN_THREAD,
    ControlLock,
    TrainingLoop,
    copy_params,
)
from .validate import Invalid
from .wire.parts import Pacer

MODEL_EVERY = 0.02  # seconds between copies of the network published for predict
UNDO_FROM = 100  # a reset or new network replacing a run of at least this many epochs can be undone


class Session(DataChanges, TrainingLoop):
    """One network, its trainer and viewers; the loop is ``TrainingLoop``, data changes ``DataChanges``."""

    def __init__(self, emit, start_task, *, max_epochs=1_000_000, frame_rate=60.0, curve_rate=4.0,
                 boundary_rate=20.0, keep_budget=frames.KEEP_BUDGET, stored_examples=None):
        self._emit = emit
        self._stored_examples = stored_examples
        self._start_task = start_task
        self.max_epochs = max_epochs
        self.frame_dt = 1 / frame_rate
        self.pacer = Pacer(curve=curve_rate, boundary=boundary_rate)  # the optional parts, each at its rate
        self.keep_budget = keep_budget
        self.lock = ControlLock()
        self.viewers: dict[str, SnapshotGate] = {}
        self.setup = None
        self.companion = None  # the mistake lab's variant Setup, trained in lock-step
        self.keeper = None
        self.state, self.reason, self.speed, self.until = "idle", "", "max", None
        self._stop = threading.Event()
        self._rebuilding = None  # a link's rebuild under way: its cancel event (``rebuild``)
        self._task = None
        self._model = None
        self._model_at = 0.0
        self._last_frame = 0.0
        self._pace = (0.0, 0)  # (time, epoch) the current speed counts from
        self._undo = None  # (setup, companion, keeper) of the run the last reset or configure replaced
        self.branches = branches.Branches()  # the "what if" runs; the live one is setup/companion/keeper

    # -- viewers ---------------------------------------------------------
    def add_viewer(self, sid, gate: SnapshotGate):
        with self.lock:
            self.viewers[sid] = gate

    def remove_viewer(self, sid):
        with self.lock:
            self.viewers.pop(sid, None)
            if not self.viewers:
                self._halt()

    def reattach(self, sid, emit, gate: SnapshotGate):
        """A page came back (``hub`` matched its resume token): it alone watches the session from now on."""
        with self.lock:
            self._emit = emit
            self.viewers = {sid: gate}

    def park(self, reason):
        """The page went away: stop training (paused, with ``reason``) and keep everything for its return."""
        with self.lock:
            self._halt()
            self.viewers.clear()
            if self.state == "training":
                self.state, self.reason = "paused", reason

    def welcome(self):
        """Everything a returning page needs: ``network``, a full ``snapshot`` (curve included), ``status``."""
        with self.lock:
            if self.setup is None:
                return
            self._emit("network", frames.network(self.setup, self.companion))
            self._publish(self._frame(force=True))
            self._status()
            self.branches.announce(self)

    def close(self):
        """Stop training for good (the last viewer left)."""
        with self.lock:
            self._halt()
            self.viewers.clear()

    @property
    def training(self):
        return self._task is not None and self._task.is_alive() and not self._stop.is_set()

    # -- checks ----------------------------------------------------------
    def _need_setup(self):
        if self.setup is None:
            raise Invalid("session", "no network yet: send configure first")
        return self.setup

    def _need_trainable(self):
        setup = self._need_setup()
        if self._rebuilding is not None:  # training the network as configured: a link's runs are not opened
            self._rebuilding.set()
        tr = setup.trainer
        if tr.diverged:
            raise Invalid("state", f"the network diverged at epoch {tr.diverged.epoch} ({tr.diverged.reason}); "
                                   "send reset or configure")
        if tr.epoch >= self.max_epochs:
            raise Invalid("epoch", f"the run reached the limit of {self.max_epochs} epochs; send reset or configure")
        return tr

    # -- controls --------------------------------------------------------
    def configure(self, config):
        """Build a new network (training stops); emit network, a first snapshot and status."""
        setup, companion = frames.build(config)
        return {"config": setup.config, "undo": self._replace(setup, companion, announce=True)}

    def load(self, model):
        """A saved model (``frames.export`` JSON) as epoch 0 of a new run; answers like ``configure``."""
        setup, companion = frames.load(model)
        return {"config": setup.config, "undo": self._replace(setup, companion, announce=True)}

    def reset(self, seed=None):
        """Same config, fresh weights from ``seed`` (or the current one), epoch 0; no new ``network``."""
        config = dict(self._need_setup().config)
        if seed is not None:
            config["seed"] = seed
        setup, companion = frames.build(config)
        return {"seed": setup.config["seed"], "epoch": 0, "undo": self._replace(setup, companion, announce=False)}

    def undo(self):
        """Back to the run the last reset or new network replaced (that one can be undone in turn) → ``network``,
        its ``snapshot`` with the whole curve, ``status`` paused."""
        with self.lock:
            if self._undo is None:
                raise Invalid("undo", f"nothing to undo: only a reset or a new network that replaced a run of "
                                      f"{UNDO_FROM} epochs or more can be undone")
            self._halt()
            current = (self.setup, self.companion, self.keeper)
            self.setup, self.companion, self.keeper = self._undo
            self._undo = current if current[0].trainer.epoch >= UNDO_FROM else None
            self.state, self.reason, self.until = "paused", "", None
            self._publish_model(force=True)
            self.welcome()
            return {"epoch": self.setup.trainer.epoch, "undo": self._undo_epoch()}

    def _undo_epoch(self):
        return None if self._undo is None else self._undo[0].trainer.epoch

    def _replace(self, setup, companion, announce):
        """Stop training and install a new setup at epoch 0: (network,) a first snapshot, status idle.  A run of
        ``UNDO_FROM`` epochs or more is kept for ``undo``: → its epoch, or None when the replaced run was shorter
        (an older kept run then stays kept)."""
        examples = self._added_examples(setup)
        if examples:
            setup, companion = frames.with_examples(setup, examples), frames.with_examples(companion, examples)
        with self.lock:
            self._halt()
            kept = None
            if self.setup is not None and self.setup.trainer.epoch >= UNDO_FROM:
                self._undo = (self.setup, self.companion, self.keeper)
                kept = self.setup.trainer.epoch
            self.setup, self.companion = setup, companion
            self.keeper = self._new_keeper(setup, companion)
            self.state, self.reason, self.until = "idle", "", None
            self._keep()
            self._publish_model(force=True)
            if announce:
                self._emit("network", frames.network(setup, companion))
            self._publish(self._frame(force=True))
            self._status()
            if examples and self._drawings_edited(drawings_edit(examples)):  # the drawings it starts with
                self.branches.announce(self)
            return kept

    def start(self, speed=None, until=None):
        """Train in the background at ``speed`` epochs/s (or max) until pause, ``until`` or the end."""
        with self.lock:
            tr = self._need_trainable()
            if until is not None and until <= tr.epoch:
                raise Invalid("until", f"must be after the current epoch {tr.epoch}")
            if speed is not None:
                self.speed = speed
            self.until = until
            self._pace = (time.monotonic(), tr.epoch)
            if not self.training:
                self._stop = threading.Event()
                self._task = self._start_task(self._loop, self._stop)
            self.state, self.reason = "training", ""
            self._status()
        return {"speed": self.speed, "epoch": tr.epoch}

    def pause(self, reason=""):
        """Stop the loop; publish the exact paused state."""
        with self.lock:
            self._need_setup()
            was_training = self.training
            self._halt()
            if was_training or self.state == "training":
                self.state, self.reason = "paused", reason
                self._publish(self._frame(force=True))
            self._status()
        return {"epoch": self.setup.trainer.epoch}

    def step(self, unit):
        """Pause, then one epoch (→ snapshot) or one sample (→ trace, then snapshot)."""
        with self.lock:
            tr = self._need_trainable()
            self._halt()
            if unit == "sample":
                t = tr.step_sample()
                if self.companion and not self.companion.trainer.diverged:
                    self.companion.trainer.step_sample()
                self._emit("trace", frames.trace(t))
            else:
                tr.run(1)
                if self.companion:
                    self.companion.trainer.run(1)
            self._keep()
            self._publish_model(force=True)
            self.state, self.reason = self._end_state() or ("paused", "")
            self._publish(self._frame(force=True))
            self._status()
            return {"epoch": tr.epoch}

    def seek(self, epoch):
        """Pause; replay the kept state nearest at or before ``epoch`` (the trainer does not rewind)."""
        with self.lock:
            tr = self._need_setup().trainer
            if epoch > tr.epoch:
                raise Invalid("epoch", f"must be a whole number from 0 to {tr.epoch} (the current epoch)")
            if self.training:
                self._halt()
                self.state, self.reason = "paused", ""
                self._status()
            if epoch == tr.epoch:
                frame = self._frame(force=True)
            else:
                frame = frames.replay(self.setup, self.companion, self.keeper.at_or_before(epoch))
            self._publish(frame)
            return {"epoch": frame["epoch"], "replay": frame["replay"], "kept": len(self.keeper)}

    def set(self, lr=None, speed=None):
        """Change the learning rate and/or the pace, also while training."""
        with self.lock:
            setup = self._need_setup()
            if lr is not None:
                for s in (setup, self.companion):
                    if s is not None:
                        s.trainer.set_eta(lr)
                        s.config["lr"] = lr
            if speed is not None:
                self.speed = speed
                self._pace = (time.monotonic(), setup.trainer.epoch)
            if speed is not None and self.training:
                self._status()
            return {"lr": setup.config["lr"], "speed": self.speed}

    def set_param(self, body):
        """A weight ``{layer, row, col, value}`` or a bias ``{layer, bias, value}`` typed in by hand, also while
        training (``edits.apply``): the main network and the mistake lab's companion change alike, and a snapshot
        shows the consequence at once."""
        with self.lock:
            setup = self._need_setup()
            edits.weight_args(body)  # a malformed payload is refused before anything changes
            self.setup, self.companion = edits.apply(setup, self.companion, body)
            self._edited(body)
            self._publish_model(force=True)
            self._publish(self._frame(force=True))
            self.branches.announce(self, always=True)
            return {"epoch": setup.trainer.epoch}

    def input_size(self):
        model = self._model
        if model is None:
            raise Invalid("session", "no network yet: send configure first")
        return model[0].sizes[0]

    def predict(self, x):
        """Outputs, label and activations for one input, from the last published copy of the network."""
        model = self._model
        if model is None:
            raise Invalid("session", "no network yet: send configure first")
        net, labels, targets = model
        return frames.answer(net, x, labels, targets)

    def gradcheck(self):
        """Central differences against the session's rule (the companion's variant in the mistake lab)."""
        with self.lock:
            setup = self._need_setup()
            target = self.companion or setup
            net, X, Y, variant = target.net.copy(), target.trainer.X, target.trainer.Y, target.trainer.variant
        return frames.gradcheck(net, X, Y, variant)

    def export(self):
        """The network as JSON (weights, biases, config, epoch) and the run's per-epoch history."""
        with self.lock:
            setup = self._need_setup()
            return frames.export(setup), frames.history_rows(setup.trainer)

    def stats(self):
        return {"state": self.state, "training": self.training,
                "epoch": self.setup.trainer.epoch if self.setup else None,
                "kept": len(self.keeper) if self.keeper else 0,
                "viewers": {sid: g.stats() for sid, g in self.viewers.items()}}

    # -- internals -------------------------------------------------------
    def _halt(self):
        """Stop the training loop, and a link's rebuild if one is under way (``rebuild``: it then changes nothing)."""
        self._stop.set()
        if self._rebuilding is not None:
            self._rebuilding.set()

    def _new_keeper(self, setup, companion):
        """An empty ``Keeper`` for a new run of ``setup`` (and its ``companion``), within the session's budget."""
        n_params = setup.net.n_params + (companion.net.n_params if companion else 0)
        n_params *= 2 if setup.trainer.momentum else 1  # a kept state holds the velocity too (branches.kept)
        return Keeper(n_params, budget_bytes=self.keep_budget)

    def _status(self):
        tr = self.setup.trainer
        self._emit("status", {"state": self.state, "epoch": tr.epoch, "reason": self.reason,
                              "speed": self.speed, "until": self.until})

    def _keep(self):
        if self.keeper.is_due(self.setup.trainer.epoch):
            self.keeper.keep(branches.kept(self.setup, self.companion))

    def _publish_model(self, force=False):
        now = time.monotonic()
        if force or now - self._model_at >= MODEL_EVERY:
            self._model = (self.setup.net.copy(), list(self.setup.dataset.labels), self.setup.trainer.Y)
            self._model_at = now

    def _publish(self, frame):
        for gate in list(self.viewers.values()):
            gate.offer(frame)

    def _frame(self, force=False):
        now = time.monotonic()
        frame = frames.live(self.setup, self.companion, **self.pacer.due(force, now))
        self._last_frame = now
        self.pacer.sent(frame, now)
        return frame
