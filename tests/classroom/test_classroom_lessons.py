"""A lesson for the whole class, through Flask-SocketIO's test client: the teacher shows a step, every student's
page follows it, a prediction question collects each student's answer, the teacher sees the counts before the
reveal, and the reveal tells everyone."""
from __future__ import annotations

import pytest

from app import lessons

TOUR = lessons.load_all()[0]
ASK_STEP = next(k for k, s in enumerate(TOUR["steps"], 1) if "ask" in s)  # the tour's first question
N_CHOICES = len(TOUR["steps"][ASK_STEP - 1]["ask"]["choices"])


@pytest.fixture
def teacher(join):
    t = join("teacher")
    assert t.call("configure", {"preset": "letters"})["ok"] is True
    return t


def test_students_follow_the_step_the_teacher_shows(teacher, join):
    ana, ben = join("student", name="Ana"), join("student", name="Ben")
    ack = teacher.call("lesson_step", {"lesson": "tour", "step": ASK_STEP})
    assert ack == {"ok": True, "lesson": "tour", "step": ASK_STEP, "revealed": False}
    for s in (ana, ben, teacher):
        assert s.wait_for("lesson") == {"lesson": "tour", "step": ASK_STEP, "revealed": False}
    assert teacher.wait_for("lesson_answers")["counts"] == [0] * N_CHOICES


def test_answers_are_counted_for_the_teacher_before_the_reveal_and_sent_to_all_with_it(teacher, join):
    ana, ben = join("student", name="Ana"), join("student", name="Ben")
    teacher.call("lesson_step", {"lesson": "tour", "step": ASK_STEP})
    assert ana.call("lesson_answer", {"lesson": "tour", "step": ASK_STEP, "choice": 0})["ok"] is True
    assert ben.call("lesson_answer", {"lesson": "tour", "step": ASK_STEP, "choice": 1})["ok"] is True
    assert ben.call("lesson_answer", {"lesson": "tour", "step": ASK_STEP, "choice": 0})["ok"] is True  # changed
    counts = [2] + [0] * (N_CHOICES - 1)
    seen = teacher.wait_for("lesson_answers", lambda p: p.get("answered") == 2 and p["counts"] == counts)
    assert seen["students"] == 2
    assert not any("counts" in p for p in ana.events("lesson"))  # students see no counts before the reveal
    teacher.call("lesson_step", {"lesson": "tour", "step": ASK_STEP, "revealed": True})
    for s in (ana, ben):
        assert s.wait_for("lesson", lambda p: p["revealed"]) == {"lesson": "tour", "step": ASK_STEP, "revealed": True,
                                                                "counts": counts}
    late = ana.call("lesson_answer", {"lesson": "tour", "step": ASK_STEP, "choice": 2})
    assert late["ok"] is False and late["error"]["field"] == "step"


def test_a_new_step_starts_with_no_answers_and_a_late_student_joins_the_current_step(teacher, join):
    ana = join("student", name="Ana")
    teacher.call("lesson_step", {"lesson": "tour", "step": ASK_STEP})
    ana.call("lesson_answer", {"lesson": "tour", "step": ASK_STEP, "choice": 0})
    teacher.call("lesson_step", {"lesson": "tour", "step": ASK_STEP + 1})
    assert teacher.wait_for("lesson_answers", lambda p: p["step"] == ASK_STEP + 1)["answered"] == 0
    stale = ana.call("lesson_answer", {"lesson": "tour", "step": ASK_STEP, "choice": 0})
    assert stale["ok"] is False and "not on this lesson step" in stale["error"]["message"]
    cara = join("student", name="Cara")
    assert cara.wait_for("lesson") == {"lesson": "tour", "step": ASK_STEP + 1, "revealed": False}


def test_ending_the_lesson_tells_the_class(teacher, join):
    ana = join("student", name="Ana")
    teacher.call("lesson_step", {"lesson": "forward", "step": 1})
    assert teacher.call("lesson_step", {"lesson": None}) == {"ok": True, "lesson": None}
    assert ana.wait_for("lesson", lambda p: p["lesson"] is None) == {"lesson": None}


@pytest.mark.parametrize("payload, field", [
    ({"lesson": "juggling", "step": 1}, "lesson"),
    ({"lesson": "tour", "step": 0}, "step"),
    ({"lesson": "tour", "step": len(TOUR["steps"]) + 1}, "step"),
    ({"lesson": "tour", "step": 1, "revealed": "yes"}, "revealed"),
    ({"lesson": "tour", "step": 1, "extra": 1}, "extra"),
])
def test_a_step_that_does_not_exist_is_refused_naming_the_field(teacher, payload, field):
    ack = teacher.call("lesson_step", payload)
    assert ack["ok"] is False and ack["error"]["field"] == field


@pytest.mark.parametrize("choice", [-1, N_CHOICES, "A", True])
def test_an_answer_outside_the_choices_is_refused(teacher, join, choice):
    ana = join("student", name="Ana")
    teacher.call("lesson_step", {"lesson": "tour", "step": ASK_STEP})
    ack = ana.call("lesson_answer", {"lesson": "tour", "step": ASK_STEP, "choice": choice})
    assert ack["ok"] is False and ack["error"]["field"] == "choice"


def test_a_step_without_a_question_takes_no_answer_and_only_the_teacher_moves_the_lesson(teacher, join):
    ana = join("student", name="Ana")
    teacher.call("lesson_step", {"lesson": "tour", "step": 1})
    ack = ana.call("lesson_answer", {"lesson": "tour", "step": 1, "choice": 0})
    assert ack["ok"] is False and ack["error"]["field"] == "choice"
    moved = ana.call("lesson_step", {"lesson": "tour", "step": 2})
    assert moved["ok"] is False and moved["error"]["field"] == "role"
