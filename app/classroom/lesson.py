"""A lesson for the class: the step the teacher shows everyone, and how the students answered its question.

``ClassLesson`` holds the state (which lesson, which step, revealed or not, each student's choice) and says what
the room and the teachers are told; the hub hands it the room's ``send(event, payload, to)`` and who is present.
``lesson`` goes to the whole room (with the counts once revealed); ``lesson_answers`` to the teachers only.
No sockets of its own and no roles: ``hub.py`` checks who may call what.
"""
from __future__ import annotations

import threading

from .. import lessons, validate
from ..validate import Invalid


class ClassLesson:
    def __init__(self, send, room, teachers_room, present, students):
        self._send, self.room, self.teachers_room = send, room, teachers_room
        self._present, self._students = present, students  # fn() -> sids in the class; fn() -> students (all hosts)
        self._lock = threading.Lock()
        self.current = None  # {"lesson", "step", "revealed"}: the lesson step the teacher shows the class
        self.answers: dict[str, int] = {}  # student sid -> the choice they picked at that step

    def step(self, lesson_id, step, revealed):
        """The teacher shows step ``step`` (1-based) of a lesson, or ends it (``lesson_id`` None) → ``lesson`` to
        the room; a new step starts with no answers."""
        if lesson_id is None:
            self.current, self.answers = None, {}
            self._send("lesson", {"lesson": None}, self.room)
            return {"lesson": None}
        lesson = next((x for x in lessons.load_all() if x["id"] == lesson_id), None)
        if lesson is None:
            raise Invalid("lesson", f"{lesson_id!r} is not one of {', '.join(x['id'] for x in lessons.load_all())}")
        step = validate.integer("step", step, 1, len(lesson["steps"]))
        with self._lock:
            if self.current is None or (self.current["lesson"], self.current["step"]) != (lesson_id, step):
                self.answers = {}
            self.current = {"lesson": lesson_id, "step": step, "revealed": bool(revealed)}
        self._send("lesson", self.payload(), self.room)
        self._send("lesson_answers", self.answers_payload(), self.teachers_room)
        return self.payload()

    def answer(self, sid, lesson_id, step, choice):
        """A student's answer to the question on the teacher's current step (changeable until the reveal)."""
        current = self.current
        if current is None or (current["lesson"], current["step"]) != (lesson_id, step):
            raise Invalid("step", "the class is not on this lesson step any more")
        if current["revealed"]:
            raise Invalid("step", "the teacher has already revealed the answer")
        ask = self._step().get("ask")
        if ask is None:
            raise Invalid("choice", "this step asks no question")
        choice = validate.integer("choice", choice, 0, len(ask["choices"]) - 1)
        with self._lock:
            self.answers[sid] = choice
        self._send("lesson_answers", self.answers_payload(), self.teachers_room)
        return {"lesson": lesson_id, "step": step, "choice": choice}

    def welcome(self, sid, teacher):
        """What a newcomer is told of the lesson under way (nothing when there is none)."""
        if self.current is None:
            return
        self._send("lesson", self.payload(), sid)
        if teacher:
            self._send("lesson_answers", self.answers_payload(), sid)

    def _step(self):
        lesson = next(x for x in lessons.load_all() if x["id"] == self.current["lesson"])
        return lesson["steps"][self.current["step"] - 1]

    def _counts(self):
        ask = self._step().get("ask")
        counts = [0] * (len(ask["choices"]) if ask else 0)
        present = self._present()
        for sid, choice in list(self.answers.items()):
            if sid in present and choice < len(counts):
                counts[choice] += 1
        return counts

    def payload(self):
        """To everyone: the step; once revealed, the class's counts too."""
        payload = dict(self.current)
        if payload["revealed"]:
            payload["counts"] = self._counts()
        return payload

    def answers_payload(self):
        """To the teachers: how the class has answered so far (before the reveal)."""
        if self.current is None:
            return {"lesson": None}
        counts = self._counts()
        return {**self.current, "counts": counts, "answered": sum(counts), "students": self._students()}
