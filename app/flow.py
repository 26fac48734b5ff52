"""Flow control for one viewer's snapshots: a window of unacknowledged sends, newest state wins.

python-socketio queues whatever is emitted without bound, so a slow browser
would drown in a growing backlog.  A ``SnapshotGate`` sends a snapshot with an
acknowledgement callback and keeps at most ``window`` of them unacknowledged.
While the window is full it holds only the newest offered frame (replacing
older ones, whose optional parts it carries over: ``app/wire/parts.py``); an
acknowledgement sends it.  The display-rate cap (≤ 60/s) is
the producer's job (``session.py``): the gate only bounds what is in flight.

A frame is a plain dict shared by every viewer of a session (a classroom room
builds it once); the gate never mutates it.  Nothing here knows about engines.
"""
from __future__ import annotations

import threading
import time

from .wire.parts import carry

WINDOW = 2


class SnapshotGate:
    """One viewer: ``offer(frame)`` sends now or remembers it as the newest; acks free the window."""

    def __init__(self, send, window=WINDOW):
        self._send = send  # send(payload, callback) emits 'snapshot' to this viewer with an ack callback
        self.window = window
        self._lock = threading.RLock()  # an ack may come back inside send (test doubles)
        self._in_flight = 0
        self._pending = None
        self._generation = 0  # bumped by reset(): acks of older sends are ignored
        self.sent = 0
        self.acked = 0
        self.replaced = 0  # frames superseded before they could be sent
        self.skipped = 0  # frames the producer did not build for this viewer because its window was full
        self.max_in_flight = 0
        self.last_sent_at = 0.0

    @property
    def ready(self):
        """True when a frame offered now would be sent at once."""
        return self._in_flight < self.window

    @property
    def in_flight(self):
        return self._in_flight

    def offer(self, frame):
        with self._lock:
            if self._pending is not None:
                self.replaced += 1
                frame = carry(self._pending, frame)
            self._pending = frame
            self._pump()

    def reset(self):
        """Forget what is in flight (a reconnect, a new configuration): the window opens again."""
        with self._lock:
            self._generation += 1
            self._in_flight = 0
            self._pending = None

    def _pump(self):
        if self._pending is None or self._in_flight >= self.window:
            return
        frame, self._pending = self._pending, None
        self._in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self._in_flight)
        self.sent += 1
        self.last_sent_at = time.monotonic()
        generation = self._generation
        self._send(frame, lambda *_: self._ack(generation))

    def _ack(self, generation):
        with self._lock:
            if generation != self._generation:
                return
            self.acked += 1
            self._in_flight = max(0, self._in_flight - 1)
            self._pump()

    def stats(self):
        return {"sent": self.sent, "acked": self.acked, "replaced": self.replaced, "skipped": self.skipped,
                "in_flight": self._in_flight, "max_in_flight": self.max_in_flight}

