"""Socket.IO events of classroom mode (docs/protocol.md, "Classroom"), beside ``events.py``'s.

They use ``events.handler`` (validated keys, ``error`` + ``{"ok": false}`` on a rejection, nothing changed) and
the ``ClassroomHub``.  Roles are checked before any handler runs (``ClassroomHub.authorize``): students may
send ``submit_example``, ``lesson_answer`` (and ``predict``); the rest is the teacher's.  On a server without
``--classroom`` each of these answers an ``error`` with field ``event``.
"""
from __future__ import annotations

from flask import current_app, request

from ..events import handler
from ..validate import Invalid

MAX_ID = 40


def _room():
    hub = current_app.extensions["playground_hub"]
    if not hasattr(hub, "classroom"):
        raise Invalid("event", "classroom events need a server started with --classroom")
    return hub


def _submission_id(value):
    if not isinstance(value, str) or not 0 < len(value) <= MAX_ID:
        raise Invalid("id", f"must be a submission id (a string of 1 to {MAX_ID} characters) from 'submissions'")
    return value


def _teacher():
    hub = _room()
    if hub.role(request.sid) != "teacher":
        raise Invalid("role", "only the teacher may do this")
    return hub


@handler("submit_example", fields=("input", "label"), required=("input", "label"))
def submit_example(session, body):
    """A student sends a drawing and the label it should have → the teacher's queue (``submissions``) with the
    live model's guess; ack ``{id, state: "pending"}``; later ``submission`` says accepted or rejected."""
    return _room().submit(request.sid, body)


@handler("accept_example", fields=("id",), required=("id",))
def accept_example(session, body):
    """The teacher accepts a drawing → stored, added to the training set (``network``, a new run with the same
    weights; training goes on if it was on), ``submissions`` updated, the student gets ``submission`` accepted."""
    return _teacher().accept(_submission_id(body["id"]))


@handler("reject_example", fields=("id",), required=("id",))
def reject_example(session, body):
    """The teacher rejects a drawing → dropped from the queue; the student gets ``submission`` rejected."""
    return _teacher().reject(_submission_id(body["id"]))


@handler("clear_examples")
def clear_examples(session, body):
    """The teacher forgets every accepted drawing → the training set is the dataset's own again (a new run)."""
    return _teacher().clear_examples()


@handler("lesson_step", fields=("lesson", "step", "revealed"), required=("lesson",))
def lesson_step(session, body):
    """The teacher shows a lesson step to the class (``lesson`` null ends the lesson) → ``lesson`` to the room
    (with the answers' counts once ``revealed``), ``lesson_answers`` to the teachers."""
    revealed = body.get("revealed", False)
    if not isinstance(revealed, bool):
        raise Invalid("revealed", "must be true or false")
    return _teacher().lesson.step(body["lesson"], body.get("step", 1), revealed)


@handler("lesson_answer", fields=("lesson", "step", "choice"), required=("lesson", "step", "choice"))
def lesson_answer(session, body):
    """A student answers the question of the step the class is on → the teachers' ``lesson_answers`` (counts)."""
    return _room().lesson.answer(request.sid, body["lesson"], body["step"], body["choice"])
