"""What a class shares: the teacher's session (with the accepted drawings in its training set), the queue of
students' submissions, and, on a server process that does not train, a mirror of the network it follows.

* ``RoomSession`` is a ``Session`` whose every network (``configure``, ``reset``, ``load_model``) trains on
  the dataset *plus* the accepted examples.  ``retrain`` (the teacher accepted or forgot drawings) changes
  the training set under the running network: weights, epoch, curves and training go on, and the curve
  marks the epoch of the change.
* ``Submissions`` is the teacher's queue: who sent which drawing as which label; bounded per student and in all.
* ``Mirror`` is what any process knows from the room's messages (the last ``network``, ``status`` and
  snapshot): enough to welcome a late student and to answer ``predict`` where the network is not trained.

No sockets and no roles here: ``hub.py`` wires these to the students and the teacher.
"""
from __future__ import annotations

import dataclasses
import threading
import time

from .. import frames
from ..session import MODEL_EVERY, Session
from ..validate import Invalid

MAX_PENDING = 100  # drawings waiting for the teacher, in all
MAX_PER_STUDENT = 3  # ... and from one student


class RoomSession(Session):
    """The class's one session; ``examples(dataset_name)`` returns the accepted drawings to train on."""

    def __init__(self, emit, start_task, *, examples, **kwargs):
        super().__init__(emit, start_task, **kwargs)
        self._examples = examples

    def _added_examples(self, setup):
        return self._examples(setup.dataset.name) if setup.dataset.kind == "images" else []

    def retrain(self):
        """The accepted drawings changed: the run goes on with them (``Session.refresh_data``)."""
        with self.lock:
            if self.setup is None:
                return None
            info = self.refresh_data()
            return {"samples": info["samples"], "training": info["training"]}

    def gradcheck(self):
        """The mistake lab's gradient check, asked by the teacher → also ``lab_check`` to the whole class: the
        students see the verdict the teacher sees (they may not run it: ``ClassroomHub.authorize``)."""
        result = super().gradcheck()
        self._emit("lab_check", result)
        return result

    @property
    def dataset(self):
        return None if self.setup is None else self.setup.dataset


@dataclasses.dataclass
class Submission:
    id: str
    key: str  # the student: (server process, socket id); bounds how many one student may have waiting
    sid: str
    name: str
    label: str
    input: list
    at: float
    guess: dict | None = None

    def public(self):
        """What the teacher's queue shows (never the student's socket id)."""
        return {"id": self.id, "name": self.name, "label": self.label, "input": self.input, "at": self.at,
                "guess": self.guess}


class Submissions:
    """Students' drawings waiting for the teacher: accept takes one into training, reject drops it."""

    def __init__(self, max_pending=MAX_PENDING, per_student=MAX_PER_STUDENT):
        self.max_pending, self.per_student = max_pending, per_student
        self._lock = threading.Lock()
        self.pending: dict[str, Submission] = {}

    def add(self, sub: Submission):
        with self._lock:
            if sum(1 for s in self.pending.values() if s.key == sub.key) >= self.per_student:
                raise Invalid("queue", f"you already have {self.per_student} drawings waiting for the teacher")
            if len(self.pending) >= self.max_pending:
                raise Invalid("queue", f"the teacher's queue is full ({self.max_pending} drawings); try later")
            self.pending[sub.id] = sub
            return sub

    def get(self, submission_id):
        sub = self.pending.get(submission_id)
        if sub is None:
            raise Invalid("id", f"no drawing {submission_id!r} is waiting (already accepted or rejected?)")
        return sub

    def take(self, submission_id):
        with self._lock:
            sub = self.get(submission_id)
            del self.pending[submission_id]
            return sub

    def public(self):
        with self._lock:
            return [s.public() for s in self.pending.values()]

    def __len__(self):
        return len(self.pending)


class Mirror:
    """The class's network as the room's messages describe it: for late joiners and predict on any process."""

    def __init__(self):
        self.network = None
        self.status = None
        self.lab_check = None  # the mistake lab's last verdict on this network (``lab_check``), for late joiners
        self.frame = None  # the newest fanout.Encoded snapshot
        self._lock = threading.Lock()
        self._model = None  # (network payload, epoch, net, labels)
        self._model_at = 0.0

    def observe(self, event, payload):
        if event == "network":  # a new network: the last verdict was about another one
            self.network, self.frame, self._model, self.lab_check = payload, None, None, None
        elif event == "lab_check":
            self.lab_check = payload
        elif event == "dataset" and self.network is not None:  # the training set changed; the run goes on
            self.network = {**self.network, "dataset": payload["dataset"], "config": payload["config"]}
        elif event == "status":
            self.status = payload

    def set_frame(self, encoded):
        self.frame = encoded

    def _published(self):
        network, frame = self.network, self.frame
        if network is None or frame is None:
            raise Invalid("session", "the teacher has not set up a network yet")
        with self._lock:
            m = self._model
            fresh = m is not None and m[0] is network and (m[1] == frame.epoch or
                                                           time.monotonic() - self._model_at < MODEL_EVERY)
            if not fresh:
                snap = frame.decode()
                setup, _ = frames.load({"config": network["config"], "weights": snap["weights"],
                                        "biases": snap["biases"]})
                self._model = m = (network, frame.epoch, setup.net, list(network["dataset"]["labels"]))
                self._model_at = time.monotonic()
        return m[2], m[3]  # what a Session publishes: (net, labels)

    def input_size(self):
        if self.network is None:
            raise Invalid("session", "the teacher has not set up a network yet")
        return self.network["sizes"][0]

    def predict(self, x):
        net, labels = self._published()
        return frames.answer(net, x, labels)
