"""The classroom in headless Chromium: a teacher page and two student pages in one browser, on a live server.

Screenshots of the teacher's join screen, the teacher's view and a student's view go to ``$CLASSROOM_SCREENSHOTS``
(docs/screenshots when refreshing the README) or the test's temporary directory.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from class_cases import LETTER_A, TOKEN

pytestmark = [pytest.mark.browser, pytest.mark.live]



@pytest.fixture
def shots(tmp_path):
    return Path(os.environ.get("CLASSROOM_SCREENSHOTS") or tmp_path)


def state(page, expr):
    return page.evaluate(f"() => {{ const s = window.playground.state; return {expr}; }}")


def draw(page, pixels):
    for k, on in enumerate(pixels):
        if on:
            page.click(f'[data-testid="draw-grid"] [data-cell="{k}"]')


def test_a_teacher_and_two_students(open_page, class_server, shots):
    code = class_server.code
    teacher = open_page(f"/?preset=letters&speed=max#teacher={TOKEN}")  # max: the default speed is 30 epochs/s
    teacher.wait_for_selector('[data-testid="join-screen"]')
    assert teacher.inner_text('[data-testid="join-screen"] .big-code') == f"{code[:3]}-{code[3:]}"
    assert "teacher=" not in teacher.url and TOKEN not in teacher.url  # a projected address bar shows no token
    teacher.wait_for_function("() => window.playground.state.snapshot !== null")

    ana = open_page(f"/join?code={code}")  # the QR code's link: the form has the code, the name is up to her
    assert ana.input_value('[data-testid="join-code"]') == code
    ana.fill('[data-testid="join-name"]', "Ana")
    ana.click('[data-testid="join-submit"]')
    ben = open_page("/join")
    ben.fill('[data-testid="join-code"]', f"{code[:3].lower()}-{code[3:].lower()}")
    ben.fill('[data-testid="join-name"]', "Ben")
    ben.click('[data-testid="join-submit"]')
    for s in (ana, ben):
        s.wait_for_function("() => window.playground.state.snapshot !== null")
    assert ben.inner_text('[data-ref="name"]') == "Ben" and not ben.is_visible('[data-testid="join-overlay"]')
    teacher.wait_for_function("() => document.querySelector('.class-screen .joined b')?.textContent === '2'")
    teacher.screenshot(path=str(shots / "classroom-join-screen.png"))
    teacher.click('[data-testid="join-screen-close"]')
    assert teacher.inner_text('[data-testid="class-students"]') == "2"

    for s in (ana, ben):  # a student's page has no transport, settings, nor the mistake lab's check (its verdict)
        assert not s.is_visible('[data-testid="play"]') and not s.is_visible('[data-testid="lab-gradcheck"]')
        assert s.is_visible('[data-testid="timeline"]') and s.is_visible('[data-testid="draw-grid"]')

    teacher.click('[data-testid="play"]')
    for s in (ana, ben):
        s.wait_for_function("() => Number(document.querySelector('[data-testid=epoch]')?.dataset.value) > 2000")
    ana.keyboard.press("Space")  # a student's keys drive nothing
    assert "teacher drives the network" in ana.inner_text('[data-testid="class-say"]')
    assert state(teacher, "s.status.state") == "training"

    ana.evaluate("() => { const t = document.querySelector('[data-testid=timeline]');"
                 " t.value = '50'; t.dispatchEvent(new Event('change')); }")  # look back, on this page only
    ana.wait_for_function("() => !window.playground.state.live")
    assert state(ana, "s.snapshot.replay") is True and state(ana, "s.snapshot.epoch") <= 50
    assert state(teacher, "s.status.state") == "training" and state(teacher, "s.live") is True
    ana.click(".tl-live")
    ana.wait_for_function("() => window.playground.state.live && window.playground.state.snapshot.epoch > 2000")

    draw(ben, LETTER_A)
    ben.wait_for_function("() => document.querySelector('[data-testid=prediction]')?.textContent.length === 1")
    ben.click('[data-testid="add-example"][data-label="A"]')
    ben.wait_for_selector('[data-testid="my-submission"][data-state="pending"]')
    card = teacher.wait_for_selector('[data-testid="submission"][data-label="A"]')
    assert card.get_attribute("data-guess") in ("A", "B", "C")
    assert "Ben" in card.inner_text()
    assert ana.is_visible('[data-testid="class-bar"][data-role="student"]')
    draw(ana, [1 - v for v in LETTER_A])
    ana.click('[data-testid="add-example"][data-label="B"]')
    teacher.wait_for_selector('[data-testid="submission"][data-label="B"]')
    teacher.wait_for_timeout(600)
    teacher.screenshot(path=str(shots / "classroom-teacher.png"))
    ben.screenshot(path=str(shots / "classroom-student.png"))

    teacher.click('[data-testid="submission"][data-label="A"] [data-testid="accept"]')
    ben.wait_for_selector('[data-testid="my-submission"][data-state="accepted"]')
    teacher.click('[data-testid="submission"][data-label="B"] [data-testid="reject"]')
    ana.wait_for_selector('[data-testid="my-submission"][data-state="rejected"]')
    for page in (teacher, ana, ben):  # the accepted drawing is a training image for everyone
        page.wait_for_function("() => document.querySelectorAll('[data-testid=training-images] [data-sample]')"
                               ".length === 4")
    assert teacher.inner_text('[data-ref="naccepted"]') == "1"
    for page in (teacher, ben):  # the run went on: no epoch 0, its curve kept and marked where the data changed
        page.wait_for_function("() => window.playground.state.snapshot?.curve?.data_changes?.length === 1")
        assert state(page, "s.snapshot.curve.data_changes[0]") > 2000 and state(page, "s.snapshot.epoch") > 2000
        assert state(page, "s.snapshot.curve.epochs[0]") == 0
    teacher.wait_for_function("() => document.querySelector('[data-testid=loss-chart]')?.dataset.changes === "
                              "String(window.playground.state.snapshot?.curve.data_changes[0])")  # drawn on the chart
    teacher.click('[data-testid="play"]')
    teacher.wait_for_function("() => window.playground.state.status.state === 'paused'")
    paused = state(teacher, "s.status.epoch")
    for s in (ana, ben):  # the students stop where the teacher paused
        s.wait_for_function(f"() => document.querySelector('[data-testid=epoch]')?.dataset.value === '{paused}'")
    teacher.once("dialog", lambda d: d.accept())  # "Forget every accepted drawing?"
    teacher.click('[data-testid="clear-accepted"]')
    for page in (teacher, ben):
        page.wait_for_function("() => document.querySelectorAll('[data-testid=training-images] [data-sample]')"
                               ".length === 3")
    # The button follows the queue message, which may arrive after the new network: wait for it, do not sample.
    teacher.wait_for_function("() => document.querySelector('[data-testid=clear-accepted]')?.disabled")
    for page in (teacher, ana, ben):
        assert page.errors == []


def test_a_page_without_a_code_asks_for_one(open_page, class_server):
    page = open_page("/")
    page.wait_for_selector('[data-testid="join-overlay"]')
    page.fill('[data-testid="join-code"]', "ZZZ-ZZZ")
    page.click('[data-testid="join-submit"]')
    page.wait_for_function("() => document.querySelector('[data-testid=join-error]')?.textContent.includes('no class')")
    page.fill('[data-testid="join-code"]', class_server.code)
    page.click('[data-testid="join-submit"]')
    page.wait_for_selector('[data-testid="join-overlay"]', state="hidden")
    page.wait_for_function("() => window.playground.state.connected")
    assert urlparse(page.url).path == "/join" and page.is_visible('[data-testid="class-bar"][data-role="student"]')
