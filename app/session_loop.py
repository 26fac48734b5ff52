"""A session's background training loop, and the lock it shares with the control calls (``app/session.py``).

``TrainingLoop`` is mixed into ``Session``: ``_loop`` runs chunks of epochs sized to ``CHUNK_SECONDS`` (at most
``MAX_CHUNK``), keeps epochs for ``seek``, publishes the network for ``predict`` and builds a frame at most
``frame_rate`` times a second when some viewer can take one; ``_budget`` says how many epochs it may run now
(the pace, the next kept epoch, ``until`` and the limit); ``_end_state`` whether the run is over.
``ControlLock`` lets a waiting control call in between two chunks.
"""
from __future__ import annotations

import threading
import time

TRAIN_THREAD = "playground-train"  # the name of every training thread (``/api/health`` counts them)
CHUNK_SECONDS = 0.004
MAX_CHUNK = 8192


class ControlLock:
    """The session's re-entrant lock, shared fairly: the loop holds it one chunk at a time; a waiting
    control call raises ``contended`` so that the loop steps aside for it (no yield on every chunk)."""

    def __init__(self):
        self._lock = threading.RLock()
        self._waiting = 0

    def __enter__(self):
        self._waiting += 1
        self._lock.acquire()
        self._waiting -= 1
        return self

    def __exit__(self, *exc):
        self._lock.release()

    @property
    def contended(self):
        return self._waiting > 0

    def for_loop(self):
        """The loop's own hold: it does not count as a waiting control call."""
        return self._lock


def copy_params(net):
    return [w.copy() for w in net.weights], [b.copy() for b in net.biases]


class TrainingLoop:
    """The loop's part of ``Session`` (it uses the session's setup, keeper, viewers, pace and frames)."""

    def _end_state(self):
        tr = self.setup.trainer
        if tr.diverged:
            return "diverged", f"epoch {tr.diverged.epoch}: {tr.diverged.reason}"
        if tr.epoch >= self.max_epochs:
            return "done", f"reached the limit of {self.max_epochs} epochs"
        if self.until is not None and tr.epoch >= self.until:
            return "done", f"reached epoch {self.until}"
        return None

    def _budget(self, tr, chunk):
        """How many epochs the loop may run now: the pace, the next kept epoch, until and the limit."""
        if self.speed == "max":
            n = chunk
        else:
            t0, e0 = self._pace
            n = e0 + int((time.monotonic() - t0) * self.speed) - tr.epoch
        n = min(n, self.keeper.next_due(tr.epoch) - tr.epoch, self.max_epochs - tr.epoch)
        if self.until is not None:
            n = min(n, self.until - tr.epoch)
        return n

    def _loop(self, stop):
        """The background task: chunks of epochs, frames for ready viewers, until ``stop`` is set."""
        threading.current_thread().name = TRAIN_THREAD
        chunk = 1
        last_epoch = -1
        while not stop.is_set():
            wait = 0.0
            with self.lock.for_loop():
                if stop.is_set():
                    break
                tr = self.setup.trainer
                n = self._budget(tr, chunk)
                if n > 0:
                    t = time.perf_counter()
                    ran = tr.run(n)
                    if self.companion and not self.companion.trainer.diverged:
                        self.companion.trainer.run(ran)
                    if ran:  # size the next chunk to about CHUNK_SECONDS
                        per_epoch = (time.perf_counter() - t) / ran
                        chunk = max(1, min(MAX_CHUNK, int(CHUNK_SECONDS / max(per_epoch, 1e-7))))
                        if self.speed == "max" and tr.epoch >= self.keeper.dense:
                            self.keeper.coarsen(chunk // 2)
                    self._keep()
                    self._publish_model()
                elif self.speed != "max":
                    t0, e0 = self._pace
                    wait = (tr.epoch + 1 - e0) / self.speed - (time.monotonic() - t0)
                end = self._end_state()
                now = time.monotonic()
                if end:
                    self.state, self.reason = end
                    stop.set()
                    self._publish_model(force=True)
                    self._publish(self._frame(force=True))
                    self._status()
                    break
                if tr.epoch != last_epoch and now - self._last_frame >= self.frame_dt:
                    busy = [g for g in self.viewers.values() if not g.ready]
                    for g in busy:
                        g.skipped += 1  # this viewer is still drawing: it gets a newer state later
                    if len(busy) < len(self.viewers):
                        last_epoch = tr.epoch
                        self._publish(self._frame())
            if wait > 0:
                stop.wait(min(wait, self.frame_dt))
            elif self.lock.contended:
                time.sleep(0.0002)  # a control call is waiting for the lock: let it in
