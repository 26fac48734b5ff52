"""The classroom's registry: one shared session for the whole class, its members and their roles.

Replaces ``hub.Hub`` when the server runs with ``--classroom``.  A socket is let in at connect only as the
teacher (``{"token"}``) or a student (``{"code", "name"?}``), joins the class's Socket.IO room, and is
welcomed with the current ``network``, ``snapshot`` and ``status``.  Teachers are viewers of the session with
their own snapshot gate; the students together are one more viewer (``fanout.RoomGate``) whose frames are
encoded once and handed to each student's own gate (≤ 2 unacknowledged, newest wins).  ``network``,
``status``, ``trace`` and the mistake lab's ``lab_check`` go to the room as they are.  Students may send only
``predict`` and ``submit_example``; every other event gets an ``error`` (``authorize``).

With a message queue (``MESSAGE_QUEUE``, Redis) several processes share the class: room events reach every
process's students, frames travel once per process (``classroom:frame``), and drawings and presence counts
travel as ``classroom:*`` messages.  The process the teacher is connected to trains (the *owner*); the others
follow from the room's messages (``room.Mirror``).  Nothing here validates payload shapes beyond drawings.
"""
from __future__ import annotations

import itertools
import time
import uuid
from dataclasses import dataclass

from flask_socketio import ConnectionRefusedError

from .. import frames, validate
from ..hub import Hub
from ..validate import Invalid
from .fanout import INTERNAL, Encoded, RoomGate, StudentGate
from .identity import Refused
from .lesson import ClassLesson
from .room import Mirror, RoomSession, Submission, Submissions

STUDENT_EVENTS = ("predict", "submit_example", "lesson_answer")
ROOM_VIEWER = "class"  # the key of the students' RoomGate among the session's viewers
FRAME_RATE = 20.0  # the room's snapshots per second, at most (CLASS_FRAME_RATE) ...
SEND_BUDGET = 1400.0  # ... and at most this many student snapshots per second from one process (CLASS_SEND_BUDGET)
MIN_FRAME_RATE = 5.0  # ... but never fewer than this per second
GUESS_EVERY = 1.0  # seconds between refreshed guesses in the teacher's queue while training
HELLO_EVERY = 0.5


@dataclass
class Member:
    role: str
    name: str


class ClassroomHub(Hub):
    def __init__(self, socketio, config, classroom, store):
        super().__init__(socketio, config, store=store)
        self.classroom = classroom
        self.room = f"class:{classroom.code}"
        self.teachers_room = f"{self.room}:teachers"
        self.queue = bool(config.get("MESSAGE_QUEUE"))
        self.host = uuid.uuid4().hex[:8]
        self.members: dict[str, Member] = {}
        self.gates: dict[str, StudentGate] = {}
        self.presence = {self.host: 0}
        self.waiting: set[str] = set()  # students to welcome once this process knows the network
        self.submissions = Submissions()
        self.mirror = Mirror()
        self._numbers = itertools.count(1)
        self._ids = itertools.count(1)
        self._shown = None  # (students, pending) last told to the room
        self.lesson = ClassLesson(self._local, self.room, self.teachers_room, present=lambda: self.members,
                                  students=lambda: sum(self.presence.values()))
        self._guessed_at = 0.0
        self._hello_at = 0.0
        self.session = self._new_session(self._room_emit, RoomSession, examples=store.list_accepted)
        self.max_rate = config.get("CLASS_FRAME_RATE", FRAME_RATE)
        self.budget = config.get("CLASS_SEND_BUDGET", SEND_BUDGET)
        self.fan = RoomGate(lambda enc: self._bus("frame", enc), socketio.start_background_task,
                            rate=self.max_rate, tick=self._tick, wanted=lambda: sum(self.presence.values()) > 0)
        self.session.add_viewer(ROOM_VIEWER, self.fan)
        if self.queue:  # the room's messages between processes come through the queue's manager
            socketio.server.manager.subscribe(self.room, self._internal, self.mirror.observe)

    # -- sending ---------------------------------------------------------------------------------------
    def _room_emit(self, event, payload):
        """The session's ``network``/``status``/``trace``: to the whole class (every process)."""
        self.mirror.observe(event, payload)
        self.socketio.emit(event, payload, to=self.room)

    def _local(self, event, payload, to):
        self.socketio.emit(event, payload, to=to, ignore_queue=True)

    def _sender(self, to):
        def send(payload, callback):
            self.socketio.emit("snapshot", payload, to=to, callback=callback, ignore_queue=True)
        return send

    def _bus(self, kind, data):
        """A message to the room's part on every process (this one included)."""
        if self.queue:
            self.socketio.emit(INTERNAL + kind, data.wire() if isinstance(data, Encoded) else data, to=self.room)
        else:
            self._internal(kind, data)

    @property
    def owner(self):
        """This process trains the class's network (the teacher configured it here)."""
        return self.session.setup is not None

    # -- members ---------------------------------------------------------------------------------------
    def open(self, sid, auth=None):
        """A socket connects: teacher, student, or refused (``ConnectionRefusedError``: no session, no room)."""
        try:
            role, name = self.classroom.role_for(auth)
        except Refused as exc:
            raise ConnectionRefusedError(str(exc)) from None
        if role == "student":
            name = name or f"Student {next(self._numbers)}"
        with self._lock:
            self.members[sid] = Member(role, name or "Teacher")
        self.socketio.server.enter_room(sid, self.room)
        if role == "teacher":
            self.socketio.server.enter_room(sid, self.teachers_room)
            self.session.add_viewer(sid, self._gate(sid))
        else:
            with self._lock:
                self.gates[sid] = self._gate(sid, StudentGate)
                self.presence[self.host] = len(self.gates)
        self._welcome(sid, role)
        return self.session

    def _info(self, sid):
        member = self.members[sid]
        info = {"role": member.role, "name": member.name, "students": sum(self.presence.values()),
                "configured": self.mirror.network is not None, "pending": len(self.submissions)}
        if member.role == "teacher":
            info.update(self.classroom.public(), accepted=self._accepted_count())
        else:
            info.update(code=self.classroom.code, may_send=list(STUDENT_EVENTS))  # the page's policy reads it
        return info

    def _welcome(self, sid, role):
        self._local("classroom", self._info(sid), sid)
        if self.mirror.network is None:
            if role == "student":
                self.waiting.add(sid)
            return
        if role == "teacher":
            self._local("submissions", self._queue_payload(), sid)
        self._local("network", self.mirror.network, sid)
        if self.owner:
            with self.session.lock:
                frame = frames.live(self.session.setup, self.session.companion, curve=True, boundary=True)
            if role == "teacher":
                self.session.viewers[sid].offer(frame)
            else:
                self.gates[sid].offer(Encoded.encode(frame, time.time()))
        elif self.mirror.frame is not None and sid in self.gates:
            self.gates[sid].offer(self.mirror.frame)
        if self.mirror.status is not None:
            self._local("status", self.mirror.status, sid)
        if self.mirror.lab_check is not None:
            self._local("lab_check", self.mirror.lab_check, sid)
        self.lesson.welcome(sid, teacher=role == "teacher")

    def get(self, sid):
        member = self.members.get(sid)
        if member is None:
            return None
        return self.session if member.role == "teacher" or self.owner else self.mirror

    def authorize(self, sid, event):
        member = self.members.get(sid)
        if member is not None and member.role == "student" and event not in STUDENT_EVENTS:
            raise Invalid("role", f"{event} is the teacher's: students follow the teacher's network and may send "
                                  f"{' and '.join(STUDENT_EVENTS)}")

    def role(self, sid):
        member = self.members.get(sid)
        return member.role if member else None

    def close(self, sid):
        with self._lock:
            member = self.members.pop(sid, None)
            self.gates.pop(sid, None)
            self.waiting.discard(sid)
            self.presence[self.host] = len(self.gates)
        if member is not None and member.role == "teacher":
            self.session.remove_viewer(sid)
        if not self.members and sum(self.presence.values()) == 0 and self.session.training:
            self.session.pause(reason="the room is empty")

    def close_all(self):
        self.fan.close()
        self.session.close()

    # -- the room's messages between processes ---------------------------------------------------------
    def _internal(self, kind, data):
        if kind == "frame":
            enc = data if isinstance(data, Encoded) else Encoded.from_wire(data)
            self.mirror.set_frame(enc)
            for gate in list(self.gates.values()):
                gate.offer(enc)
            if self.waiting and self.mirror.network is not None:
                self._welcome_waiting()
        elif kind == "hello" and self.owner:
            self._bus("state", {"network": self.mirror.network, "status": self.mirror.status,
                                "frame": self.fan.last.wire() if self.fan.last else None})
        elif kind == "state" and not self.owner and data.get("network"):
            self.mirror.observe("network", data["network"])
            self.mirror.observe("status", data.get("status"))
            if data.get("frame"):
                self.mirror.set_frame(Encoded.from_wire(data["frame"]))
            self._welcome_waiting()
        elif kind == "presence":
            self.presence[data["host"]] = int(data["students"])
        elif kind == "submit" and self.owner:
            try:
                self._enqueue(Submission(**data))
            except Invalid as exc:
                self.socketio.emit("submission", {"id": data["id"], "label": data["label"], "state": "refused",
                                                  "message": exc.message}, to=data["sid"])

    def _welcome_waiting(self):
        for sid in list(self.waiting):
            self.waiting.discard(sid)
            if sid in self.members:
                self._welcome(sid, "student")

    def _tick(self):
        """Every quarter second on the fan-out thread: presence, the queue's live guesses, late joiners."""
        now = time.monotonic()
        if self.queue:
            self._bus("presence", {"host": self.host, "students": len(self.gates)})
            if self.waiting and self.mirror.network is None and now - self._hello_at >= HELLO_EVERY:
                self._hello_at = now
                self._bus("hello", {"host": self.host})
        self.fan.set_rate(self.room_rate())
        shown = (sum(self.presence.values()), len(self.submissions))
        if shown != self._shown:
            self._shown = shown
            self._local("classroom", {"students": shown[0], "pending": shown[1]}, self.room)
        if self.owner and len(self.submissions) and self.session.training and now - self._guessed_at >= GUESS_EVERY:
            self._send_queue()

    def room_rate(self):
        """Snapshots per second for the class: CLASS_FRAME_RATE for a small class; for a big one, what keeps the
        busiest process within CLASS_SEND_BUDGET student snapshots a second (every one costs CPU under the GIL,
        beside the training loop); never below MIN_FRAME_RATE."""
        busiest = max(max(self.presence.values(), default=0), 1)
        return max(min(self.max_rate, self.budget / busiest), min(MIN_FRAME_RATE, self.max_rate))

    # -- submissions -----------------------------------------------------------------------------------
    def submit(self, sid, body):
        """A student's drawing → the teacher's queue, with the live model's guess; ack ``{id, state}``."""
        predictor = self.get(sid)
        network = self.mirror.network
        if network is None or predictor is None:
            raise Invalid("session", "the teacher has not set up a network yet")
        ds = network["dataset"]
        if ds.get("kind") != "images":
            raise Invalid("dataset", f"the class is training {ds.get('name')!r}: drawings go with a letters network")
        values = validate.number_list("input", body["input"], network["sizes"][0], 0.0, 1.0)
        if not any(values):
            raise Invalid("input", "draw something first: every pixel is 0")
        label = validate.choice("label", body["label"], tuple(ds["labels"]))
        guess = predictor.predict(values)
        data = {"id": f"{self.host[:4]}-{next(self._ids)}", "key": f"{self.host}/{sid}", "sid": sid,
                "name": self.members[sid].name, "label": label, "input": values, "at": time.time(),
                "guess": {"label": guess["label"], "outputs": guess["outputs"]}}
        if self.owner:
            self._enqueue(Submission(**data))
        else:
            self._bus("submit", data)
        return {"id": data["id"], "state": "pending"}

    def _enqueue(self, sub):
        self.submissions.add(sub)
        self._send_queue()

    def _queue_payload(self):
        return {"pending": self.submissions.public(), "accepted": self._accepted_count()}

    def _send_queue(self):
        """The queue to the teachers, each drawing with the live model's current guess."""
        self._guessed_at = time.monotonic()
        for sub in list(self.submissions.pending.values()):
            try:
                g = self.session.predict(sub.input)
                sub.guess = {"label": g["label"], "outputs": g["outputs"]}
            except Invalid:
                sub.guess = None
        self._local("submissions", self._queue_payload(), self.teachers_room)

    def _accepted_count(self):
        ds = self.session.dataset
        return len(self.store.list_accepted(ds.name)) if ds is not None and ds.kind == "images" else 0

    def accept(self, submission_id):
        """The teacher takes a drawing: stored, in the training set at once (a new run, same weights)."""
        sub = self.submissions.get(submission_id)
        ds = self.session.dataset
        if ds is None or ds.kind != "images" or sub.label not in ds.labels or len(sub.input) != ds.X.shape[1]:
            raise Invalid("id", "the class's network no longer takes this drawing (its dataset changed); reject it")
        self.store.add_accepted(ds.name, sub.label, sub.input, sub.name)
        self.submissions.take(submission_id)
        info = self.session.retrain()
        self.socketio.emit("submission", {"id": sub.id, "label": sub.label, "state": "accepted"}, to=sub.sid)
        self._send_queue()
        return {"id": sub.id, "accepted": self._accepted_count(), **(info or {})}

    def reject(self, submission_id):
        sub = self.submissions.take(submission_id)
        self.socketio.emit("submission", {"id": sub.id, "label": sub.label, "state": "rejected"}, to=sub.sid)
        self._send_queue()
        return {"id": sub.id}

    def clear_examples(self):
        ds = self.session.dataset
        if ds is None:
            raise Invalid("session", "no network yet: send configure first")
        cleared = self.store.clear_accepted(ds.name) if ds.kind == "images" else 0
        if not cleared:  # nothing to forget: the run goes on untouched
            return {"cleared": 0, "samples": int(ds.n_samples), "training": self.session.training}
        info = self.session.retrain()
        self._send_queue()
        return {"cleared": cleared, **(info or {})}

    # -- health ----------------------------------------------------------------------------------------
    def _sessions(self):
        return [self.session]

    def _gates(self):
        """The teachers' gates and the students' (the room's own ``RoomGate`` reports under ``classroom``)."""
        return [g for sid, g in list(self.session.viewers.items()) if sid != ROOM_VIEWER] + list(self.gates.values())

    def stats(self):
        return {**super().stats(),
                "classroom": {"students": sum(self.presence.values()), "local_students": len(self.gates),
                              "teachers": sum(1 for m in list(self.members.values()) if m.role == "teacher"),
                              "pending": len(self.submissions), "owner": self.owner,
                              "room": self.fan.stats()}}

def init_classroom(app, socketio):
    """Classroom mode for ``app``: the hub above instead of one session per tab, and the classroom routes."""
    from .routes import bp

    store = app.extensions["playground_store"]
    app.extensions["playground_hub"] = ClassroomHub(socketio, app.config, app.config["CLASSROOM"], store)
    app.register_blueprint(bp)
