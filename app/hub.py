"""Which session belongs to which socket: the registry the event handlers look sessions up in.

Each connected tab gets a ``Session`` whose ``emit`` and snapshot gate address
exactly that sid (never a bare broadcast).  A classroom room registers
many sids against one shared session: ``classroom.hub.ClassroomHub`` is this registry for a class.  Both make
their sessions (``_new_session``) and their viewers' snapshot gates (``_gate``) here, and count them for
``/api/health`` here (``stats`` over ``_sessions`` and ``_gates``): one code path for a tab and for a class.
A solo tab's session reads the drawings stored from its page (``/api/examples``, the
most recent ``MAX_ADDED`` of a dataset) when its config asks for ``examples``.

A reload or a brief disconnect does not lose the run: each session has a random resume token, sent
to its tab in the ``session`` event; when the tab goes away the session is *parked* (training paused)
for ``RESUME_SECONDS``, and a tab that connects with ``auth = {"resume": token}`` in that time gets it
back — weights, history, config — on its new sid.  At most ``MAX_PARKED`` sessions wait (the oldest
goes first); expired ones are closed whenever a tab connects or leaves.
Nothing here trains or validates.
"""
from __future__ import annotations

import re
import secrets
import threading
import time
from collections import OrderedDict

from .flow import SnapshotGate
from .frames import MAX_DRAWINGS
from .session import Session

MAX_ADDED = MAX_DRAWINGS  # stored drawings a solo session adds to its training set at most (the most recent ones)
RESUME_SECONDS = 300.0  # how long a tab that went away may come back to its run (config RESUME_SECONDS)
MAX_PARKED = 32  # sessions waiting for their tab, at most (config MAX_PARKED)
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")  # what a resume token looks like (``secrets.token_urlsafe``)
AWAY = "the page was away"  # the status reason of a run that paused because its tab went away


class Hub:
    def __init__(self, socketio, config, store=None):
        self.socketio = socketio
        self.config = config
        self.store = store
        self._lock = threading.Lock()
        self.sessions: dict[str, Session] = {}
        self.tokens: dict[str, str] = {}  # sid → the resume token of its session
        self.parked: OrderedDict[str, tuple[Session, float]] = OrderedDict()  # token → (session, expires)
        self.resume_seconds = float(config.get("RESUME_SECONDS", RESUME_SECONDS))
        self.max_parked = int(config.get("MAX_PARKED", MAX_PARKED))

    def _emitter(self, to):
        def emit(event, payload):
            self.socketio.emit(event, payload, to=to)
        return emit

    def _sender(self, to):
        def send(payload, callback):
            self.socketio.emit("snapshot", payload, to=to, callback=callback)
        return send

    def _gate(self, sid, cls=SnapshotGate):
        """The snapshot gate of viewer ``sid`` (``cls``: a class's students get ``fanout.StudentGate``)."""
        return cls(self._sender(sid), window=self.config["SNAPSHOT_WINDOW"])

    def _new_session(self, emit, cls=Session, **extra):
        """A session with the server's limits (``cls``: a class's ``RoomSession``, with its ``extra`` options)."""
        c = self.config
        return cls(emit, self.socketio.start_background_task, max_epochs=c["MAX_EPOCHS"], frame_rate=c["FRAME_RATE"],
                   curve_rate=c["CURVE_RATE"], boundary_rate=c["BOUNDARY_RATE"], keep_budget=c["KEEP_BUDGET"],
                   **extra)

    def open(self, sid, auth=None) -> Session:
        """The session of a newly connected tab: its own run back if ``auth`` has a live resume token, else a fresh
        one; then ``session`` ``{resume, resumed}`` (and, resumed, the run's ``network``, snapshot and status)."""
        gate = self._gate(sid)
        token = auth.get("resume") if isinstance(auth, dict) else None
        session = self._take(token) if isinstance(token, str) and TOKEN.fullmatch(token) else None
        if session is not None:
            session.reattach(sid, self._emitter(sid), gate)
        else:
            token = secrets.token_urlsafe(18)
            session = self._new_session(self._emitter(sid),
                                        stored_examples=self._stored_examples if self.store is not None else None)
            session.add_viewer(sid, gate)
        with self._lock:
            old = self.sessions.pop(sid, None)
            self.sessions[sid] = session
            self.tokens[sid] = token
        if old is not None:
            old.close()
        resumed = session.setup is not None
        self.socketio.emit("session", {"resume": token, "resumed": resumed}, to=sid)
        if resumed:
            session.welcome()
        return session

    def _take(self, token):
        """The session with resume ``token``: parked (and not expired), or still held by a sid whose tab has
        already come back on a new connection (that sid keeps nothing)."""
        now = time.monotonic()
        with self._lock:
            self._sweep(now)
            if token in self.parked:
                return self.parked.pop(token)[0]
            sid = next((s for s, t in self.tokens.items() if secrets.compare_digest(t, token)), None)
            if sid is None:
                return None
            del self.tokens[sid]
            return self.sessions.pop(sid)

    def _sweep(self, now):
        """Close parked sessions that expired, and the oldest beyond ``max_parked`` (under ``_lock``)."""
        while self.parked:
            token, (session, expires) = next(iter(self.parked.items()))
            if expires > now and len(self.parked) <= self.max_parked:
                break
            del self.parked[token]
            session.close()

    def _stored_examples(self, dataset):
        """[(label, input)] of the drawings stored for ``dataset``, the most recent ``MAX_ADDED``."""
        return [(e["label"], e["input"]) for e in self.store.list_examples(dataset)[-MAX_ADDED:]]

    def authorize(self, sid, event):
        """A tab may send every event to its own session (a classroom's students may not: ``classroom.hub``)."""

    def get(self, sid) -> Session | None:
        return self.sessions.get(sid)

    def close(self, sid):
        """The tab went away: its training stops (within one chunk) and a run it set up is parked for its return."""
        with self._lock:
            session = self.sessions.pop(sid, None)
            token = self.tokens.pop(sid, None)
        if session is None:
            return
        if token is None or session.setup is None or self.max_parked < 1:
            session.close()
            return
        session.park(AWAY)
        now = time.monotonic()
        with self._lock:
            self.parked[token] = (session, now + self.resume_seconds)
            self._sweep(now)

    def close_all(self):
        for sid in list(self.sessions):
            self.close(sid)
        with self._lock:
            parked, self.parked = list(self.parked.values()), OrderedDict()
        for session, _ in parked:
            session.close()

    def _sessions(self):
        return list(self.sessions.values())

    def _gates(self):
        """Every viewer's snapshot gate."""
        return [g for s in self._sessions() for g in list(s.viewers.values())]

    def stats(self):
        """Counts for ``/api/health``: sessions, how many train, and flow control over all viewers."""
        sessions, gates = self._sessions(), self._gates()
        return {"sessions": len(sessions), "training": sum(1 for s in sessions if s.training),
                "parked": len(self.parked),
                "flow": {"window": self.config["SNAPSHOT_WINDOW"],
                         "max_in_flight": max((g.max_in_flight for g in gates), default=0),
                         "sent": sum(g.sent for g in gates), "replaced": sum(g.replaced for g in gates),
                         "skipped": sum(g.skipped for g in gates)}}
