"""Which session belongs to which socket: the registry the event handlers look sessions up in.

Each connected tab gets a ``Session`` whose ``emit`` and snapshot gate address
exactly that sid (never a bare broadcast).  A classroom room (later) registers
many sids against one shared session: ``classroom_hub.ClassroomHub`` is this registry for a class.
A solo tab's session reads the drawings stored from its page (``/api/examples``, the
most recent ``MAX_ADDED`` of a dataset) when its config asks for ``examples``.
Nothing here trains or validates.
"""
from __future__ import annotations

import threading

from .flow import SnapshotGate
from .session import Session

MAX_ADDED = 200  # stored drawings a solo session adds to its training set at most (the most recent ones)


class Hub:
    def __init__(self, socketio, config, store=None):
        self.socketio = socketio
        self.config = config
        self.store = store
        self._lock = threading.Lock()
        self.sessions: dict[str, Session] = {}

    def _emitter(self, to):
        def emit(event, payload):
            self.socketio.emit(event, payload, to=to)
        return emit

    def _sender(self, to):
        def send(payload, callback):
            self.socketio.emit("snapshot", payload, to=to, callback=callback)
        return send

    def open(self, sid, auth=None) -> Session:
        """A fresh session for a newly connected tab (``auth`` matters only to a classroom)."""
        c = self.config
        session = Session(self._emitter(sid), self.socketio.start_background_task,
                          max_epochs=c["MAX_EPOCHS"], frame_rate=c["FRAME_RATE"], curve_rate=c["CURVE_RATE"],
                          boundary_rate=c["BOUNDARY_RATE"], keep_budget=c["KEEP_BUDGET"],
                          stored_examples=self._stored_examples if self.store is not None else None)
        session.add_viewer(sid, SnapshotGate(self._sender(sid), window=c["SNAPSHOT_WINDOW"]))
        with self._lock:
            old = self.sessions.pop(sid, None)
            self.sessions[sid] = session
        if old is not None:
            old.close()
        return session

    def _stored_examples(self, dataset):
        """[(label, input)] of the drawings stored for ``dataset``, the most recent ``MAX_ADDED``."""
        return [(e["label"], e["input"]) for e in self.store.list_examples(dataset)[-MAX_ADDED:]]

    def authorize(self, sid, event):
        """A tab may send every event to its own session (a classroom's students may not: ``classroom_hub``)."""

    def get(self, sid) -> Session | None:
        return self.sessions.get(sid)

    def close(self, sid):
        """The tab went away: stop its training (the thread ends within one chunk)."""
        with self._lock:
            session = self.sessions.pop(sid, None)
        if session is not None:
            session.remove_viewer(sid)
            session.close()

    def close_all(self):
        for sid in list(self.sessions):
            self.close(sid)

    def stats(self):
        """Counts for ``/api/health``: sessions, how many train, and flow control over all viewers."""
        sessions = list(self.sessions.values())
        gates = [g for s in sessions for g in list(s.viewers.values())]
        return {"sessions": len(sessions), "training": sum(1 for s in sessions if s.training),
                "flow": {"window": self.config["SNAPSHOT_WINDOW"],
                         "max_in_flight": max((g.max_in_flight for g in gates), default=0),
                         "sent": sum(g.sent for g in gates), "replaced": sum(g.replaced for g in gates),
                         "skipped": sum(g.skipped for g in gates)}}
