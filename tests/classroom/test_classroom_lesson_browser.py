"""A lesson run by the teacher for the class, in headless Chromium: a teacher page and two student pages on a live
classroom server. The students' pages follow the teacher's steps; their answers appear as counts on the teacher's
choices before the reveal; the reveal marks each student's own answer right or wrong.

Screenshots go to ``$CLASSROOM_SCREENSHOTS`` (docs/screenshots when refreshing the README) or the test's temporary
directory.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from class_cases import TOKEN

from app import lessons

pytestmark = [pytest.mark.browser, pytest.mark.live]

TOUR = lessons.load_all()[0]
ASK = next(k for k, s in enumerate(TOUR["steps"], 1) if "ask" in s)
CHOICES = TOUR["steps"][ASK - 1]["ask"]["choices"]
RIGHT = next(i for i, c in enumerate(CHOICES) if c["right"])
WRONG = next(i for i, c in enumerate(CHOICES) if not c["right"])
LESSON = '[data-testid="lesson"]'




def join(open_page, code, name):
    page = open_page(f"/join?code={code}")
    page.fill('[data-testid="join-name"]', name)
    page.click('[data-testid="join-submit"]')
    page.wait_for_function("() => window.playground.state.snapshot !== null")
    return page


def test_the_teacher_runs_a_lesson_and_sees_the_class_answer_before_revealing(open_page, class_server, tmp_path):
    shots = Path(os.environ.get("CLASSROOM_SCREENSHOTS") or tmp_path)
    teacher = open_page(f"/?preset=letters#teacher={TOKEN}")
    teacher.wait_for_selector('[data-testid="join-screen"]')
    teacher.wait_for_function("() => window.playground.state.snapshot !== null")
    ana, ben = join(open_page, class_server.code, "Ana"), join(open_page, class_server.code, "Ben")
    teacher.click('[data-testid="join-screen-close"]')
    for s in (ana, ben):
        assert not s.is_visible('[data-testid="lessons-start"]')  # the class's lessons are the teacher's

    teacher.click('[data-testid="lessons-start"]')
    teacher.click('[data-testid="lesson-open"][data-lesson="tour"]')
    for k in range(1, ASK):
        teacher.wait_for_selector(f'{LESSON}[data-step="{k}"][data-ready="true"]')
        for s in (ana, ben):
            s.wait_for_selector(f'{LESSON}[data-lesson="tour"][data-step="{k}"]')
        teacher.click('[data-testid="lesson-next"]')

    for s in (ana, ben, teacher):
        s.wait_for_selector(f'{LESSON}[data-step="{ASK}"][data-ready="true"]')
    for s in (ana, ben):
        assert s.locator('[data-testid="lesson-next"]').count() == 0  # the teacher moves the lesson
        assert s.locator('[data-testid="lesson-explain"]').count() == 0
    assert teacher.locator('[data-testid="lesson-choice"]').nth(RIGHT).is_disabled()  # the teacher does not guess

    ana.locator('[data-testid="lesson-choice"]').nth(RIGHT).click()
    ben.locator('[data-testid="lesson-choice"]').nth(WRONG).click()
    right, wrong = (f'[data-testid="lesson-choice"][data-index="{i}"]' for i in (RIGHT, WRONG))
    teacher.wait_for_selector(f'{right}[data-count="1"]')
    teacher.wait_for_selector(f'{wrong}[data-count="1"]')
    assert "2 of 2 students answered" in teacher.inner_text(LESSON)
    assert ana.locator('[data-testid="lesson-explain"]').count() == 0  # nothing revealed yet
    teacher.screenshot(path=str(shots / "classroom-lesson-teacher.png"))

    teacher.click('[data-testid="lesson-reveal"]')
    ana.wait_for_selector('[data-testid="lesson-explain"][data-correct="true"]')
    ben.wait_for_selector('[data-testid="lesson-explain"][data-correct="false"]')
    ben.wait_for_selector(f'{right}[data-count="1"]')  # the class's answers, shown to all with the reveal
    assert "Not quite." in ben.inner_text('[data-testid="lesson-explain"]')
    teacher.wait_for_selector('[data-testid="lesson-explain"]')
    ben.screenshot(path=str(shots / "classroom-lesson-student.png"))

    teacher.click('[data-testid="lesson-leave"]')
    for s in (ana, ben):
        s.wait_for_selector(LESSON, state="detached")
    for p in (teacher, ana, ben):
        assert p.errors == []
