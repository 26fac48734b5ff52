"""The classroom plugs into the page's declared extension points (static/core/extension-points.js), in headless Chromium
on a live classroom server: a student's policy refuses what only the teacher may do (nothing is sent, the class bar
says why), and the letters pad hands its drawings to the class's drawings service (the teacher's queue), whose
answer and later verdict the pad's own status line shows."""
from __future__ import annotations

import json

import pytest
from class_cases import LETTER_A, TOKEN

pytestmark = [pytest.mark.browser, pytest.mark.live]

NOTE = "The teacher drives the network: draw a letter, ask the network, or drag the timeline to look back."
STUDENT_EVENTS = {"predict", "submit_example", "lesson_answer"}
REFUSED = [  # what a student may try: a key, or one of the page's actions (window.playground.actions)
    ("key", " "), ("key", "ArrowRight"), ("key", "s"), ("key", "r"),
    ("action", "play", []), ("action", "pause", []), ("action", "newSeed", []), ("action", "setSpeed", [100]),
    ("action", "setLr", [2]), ("action", "choosePreset", ["xor-3-4-1"]),
]


def record_sent(page):
    """The names of the Socket.IO events ``page`` sends from now on, read off its websocket frames."""
    sent = []

    def frame(payload):
        text = payload if isinstance(payload, str) else ""
        if text.startswith("42"):
            body = text[2:].lstrip("0123456789")  # an ack id follows the packet type
            sent.append(json.loads(body)[0])

    page.on("websocket", lambda ws: ws.on("framesent", frame))
    return sent


def class_pages(open_page, class_server):
    """The teacher's page (letters, configured) and a student's, Ana, joined and following; her sent events."""
    teacher = open_page(f"/?preset=letters#teacher={TOKEN}")
    teacher.wait_for_selector('[data-testid="join-screen"]')
    teacher.click('[data-testid="join-screen-close"]')
    teacher.wait_for_function("() => window.playground.state.snapshot !== null")
    ana = open_page(f"/join?code={class_server.code}")
    ana.fill('[data-testid="join-name"]', "Ana")
    sent = record_sent(ana)  # before she connects: the websocket opens on join
    ana.click('[data-testid="join-submit"]')
    ana.wait_for_function("() => window.playground.state.snapshot !== null")
    return teacher, ana, sent


def draw(page, pixels):
    for k, on in enumerate(pixels):
        if on:
            page.click(f'[data-testid="draw-grid"] [data-cell="{k}"]')


def test_a_students_policy_refuses_the_teachers_controls_and_sends_nothing(open_page, class_server):
    teacher, ana, sent = class_pages(open_page, class_server)
    for k in (1, 2, 3):  # the teacher's keys drive the class: three epochs, each one a frame Ana keeps
        teacher.keyboard.press("ArrowRight")
        ana.wait_for_function(f"() => window.playground.state.snapshot.epoch === {k}")
    epoch = 3
    for how, name, *args in REFUSED:
        ana.evaluate("() => { document.querySelector('[data-testid=class-say]').textContent = ''; }")
        if how == "key":
            ana.keyboard.press(name)
        else:
            ana.evaluate(f"() => window.playground.actions[{name!r}](...{json.dumps(args[0])})")
        assert ana.inner_text('[data-testid="class-say"]') == NOTE, (how, name)
    assert not ana.evaluate("() => window.playground.state.playing")
    ana.keyboard.press("p")  # what stays on the page is the student's: projector mode, the help
    ana.wait_for_function("() => document.documentElement.classList.contains('projector')")
    ana.keyboard.press("p")
    draw(ana, LETTER_A)  # asking the network is a student's event
    ana.wait_for_function("() => document.querySelector('[data-testid=prediction]')?.textContent.length === 1")
    ana.evaluate("() => { const t = document.querySelector('[data-testid=timeline]');"
                 " t.value = '0'; t.dispatchEvent(new Event('change')); }")  # looking back replays on this page
    ana.wait_for_function("() => !window.playground.state.live")
    assert set(sent) <= STUDENT_EVENTS and "predict" in sent, sent
    assert teacher.evaluate("() => [window.playground.state.status.state, window.playground.state.snapshot.epoch]") \
        == ["paused", epoch]
    assert ana.errors == [] and teacher.errors == []


EVENT = {"what-if": "branch", "saved-runs": "save_model"}  # the event each button's work sends


@pytest.mark.parametrize("button", list(EVENT))
def test_a_student_sees_no_button_for_what_only_the_teacher_may_do(open_page, class_server, button):
    """A branch and a saved run are the teacher's (the policy refuses them to a student): no button offers them."""
    teacher, ana, _ = class_pages(open_page, class_server)
    teacher.wait_for_selector(f'[data-testid="{button}"]', state="visible")
    ana.wait_for_selector(f'[data-testid="{button}"]', state="hidden")
    assert EVENT[button] not in STUDENT_EVENTS


def test_the_pad_sends_a_students_drawing_through_the_class_drawings_service(open_page, class_server):
    teacher, ana, sent = class_pages(open_page, class_server)
    assert teacher.inner_text(".vis-add > span") == "Send to the queue as"
    assert ana.inner_text(".vis-add > span") == "Send to the teacher as"
    assert not ana.is_visible('[data-testid="my-drawings"]')  # the class keeps no drawings on the student's page
    draw(ana, LETTER_A)
    ana.click('[data-testid="add-example"][data-label="A"]')
    status = ana.locator('[data-testid="add-status"][data-state="ok"]')
    status.wait_for()
    assert status.inner_text() == "sent as A: waiting for the teacher"
    assert sent.count("submit_example") == 1
    card = teacher.wait_for_selector('[data-testid="submission"][data-label="A"]')
    assert "Ana" in card.inner_text()
    teacher.click('[data-testid="submission"][data-label="A"] [data-testid="accept"]')
    ana.wait_for_function("() => document.querySelector('[data-testid=add-status]')?.textContent.startsWith("
                          "'The teacher accepted')")
    assert ana.inner_text('[data-testid="add-status"]') == (
        "The teacher accepted your A: it is in the training set now — watch the network learn it.")
    assert ana.inner_text('[data-testid="class-say"]') == ana.inner_text('[data-testid="add-status"]')
    assert ana.errors == [] and teacher.errors == []
