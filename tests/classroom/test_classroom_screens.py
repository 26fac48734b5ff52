"""The classroom at the screens classrooms use, as the teacher and a student see it: every control they need, the
pad with its buttons, the network and (on a projector) the open equation card inside the viewport without
scrolling; every text at least 16 px on a projector; the "Start here" button covers no panel. A teacher page and a
student page on the live classroom server, at 1280×720, 1920×1080 and a 1024×768 touch tablet, normal and projector.
With many drawings sent by real student clients the teacher's queue stays in its box: rows of cards that scroll down
in it, never sideways, every ✓ and ✕ reachable."""
from __future__ import annotations

import pytest
from class_cases import LETTER_A, LETTER_C, TOKEN

from tests.browser.test_layout import BOX, OFF_SCREEN, SMALL_TEXT
from tests.support.browser import watched_page

pytestmark = [pytest.mark.browser, pytest.mark.live]

SCREENS = {  # name: viewport, touch, projector
    "laptop": ({"width": 1280, "height": 720}, False, False),
    "projector": ({"width": 1280, "height": 720}, False, True),
    "hd": ({"width": 1920, "height": 1080}, False, False),
    "hd-projector": ({"width": 1920, "height": 1080}, False, True),
    "tablet": ({"width": 1024, "height": 768}, True, False),
    "tablet-projector": ({"width": 1024, "height": 768}, True, True),
}

PAD = ['[data-testid="draw-grid"]', '[data-testid="prediction"]'] + [
    f'[data-testid="add-example"][data-label="{c}"]' for c in "ABC"]
TEACHER = ['[data-testid="play"]', '[data-testid="step"]', '[data-testid="step-sample"]', '[data-testid="reset"]',
           '[data-testid="speed"]', '[data-testid="epoch"]', '[data-testid="status"]', '[data-testid="timeline"]',
           '[data-testid="network"]', '[data-testid="class-qr"]', '[data-testid="class-code"]',
           '[data-testid="class-students"]', '[data-testid="class-queue"]']
STUDENT = ['[data-testid="epoch"]', '[data-testid="status"]', '[data-testid="timeline"]', '[data-testid="network"]',
           '[data-testid="class-bar"]', '[data-testid="class-students"]']

# The given elements cut by their panel's edge, or that a tap at their centre misses (covered).
MISSED = """(sels) => sels.filter((s) => {
  const e = document.querySelector(s), r = e.getBoundingClientRect(), p = e.closest('.panel').getBoundingClientRect();
  return r.left < p.left || r.top < p.top || r.right > p.right || r.bottom > p.bottom
    || !e.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
})"""

PANELS = """() => [...document.querySelectorAll('.stage > .panel')].filter((p) => p.getClientRects().length)
  .map((p) => { const r = p.getBoundingClientRect(); return [p.className, r.left, r.top, r.right, r.bottom]; })"""


@pytest.fixture
def pair(browser, class_server):
    """``pair(screen)`` → (teacher page, student page) at one of SCREENS, both with the class's first snapshot."""
    contexts = []

    def open_(name):
        viewport, touch, projector = SCREENS[name]
        extra = "&projector=1" if projector else ""
        pages = []
        for role in ("teacher", "student"):
            context = browser.new_context(viewport=viewport, has_touch=touch, is_mobile=False,
                                          base_url=class_server.url)
            contexts.append(context)
            page = watched_page(context, timeout=20_000)
            if role == "teacher":
                page.goto(f"/?preset=letters&momentum=0.9{extra}#teacher={TOKEN}")  # the longest UPDATE card
                page.wait_for_selector('[data-testid="join-screen"]')
                page.click('[data-testid="join-screen-close"]')
            else:
                page.goto(f"/join?code={class_server.code}{extra}")
                page.fill('[data-testid="join-name"]', "Ana")
                page.click('[data-testid="join-submit"]')
            page.wait_for_function("() => window.playground.state.network?.config?.momentum === 0.9"
                                   " && !!document.querySelector('[data-testid=network] [data-neuron]')")
            page.wait_for_selector('[data-testid="add-example"][data-label="C"]')  # the pad's panel is built
            pages.append(page)
        return pages

    yield open_
    for c in contexts:
        c.close()


def send_a(student, teacher):
    """The student draws an A and sends it; once it is in the teacher's queue → the selector of its card there."""
    for k, on in enumerate(LETTER_A):
        if on:
            student.click(f'[data-testid="draw-grid"] [data-cell="{k}"]')
    student.click('[data-testid="add-example"][data-label="A"]')
    sent = student.wait_for_selector('[data-testid="my-submission"]').get_attribute("data-id")
    mine = f'[data-testid="submission"][data-id="{sent}"]'
    teacher.wait_for_selector(mine)
    return mine


def reject(teacher, mine):
    """The teacher rejects the drawing: the class (the module's server) is shared by the next test."""
    teacher.click(f'{mine} [data-testid="reject"]')
    teacher.wait_for_selector(mine, state="detached")


def off_screen(page, selectors):
    return page.evaluate(OFF_SCREEN, selectors)


@pytest.mark.parametrize("name", list(SCREENS))
def test_the_teacher_and_a_student_see_every_control_without_scrolling(pair, name):
    teacher, student = pair(name)
    _, touch, projector = SCREENS[name]
    mine = send_a(student, teacher)  # a drawing waits in the teacher's queue, with its ✓ and ✕
    acts = [f'{mine} [data-testid="accept"]', f'{mine} [data-testid="reject"]']
    for page, controls in [(teacher, TEACHER + PAD + acts), (student, STUDENT + PAD)]:
        page.wait_for_selector('[data-testid="class-bar"]')
        assert off_screen(page, controls) == []
        assert page.evaluate(MISSED, PAD) == []
        assert page.evaluate("() => window.scrollY") == 0
        assert page.evaluate("() => document.documentElement.scrollWidth") <= page.viewport_size["width"]
        if projector:
            assert page.evaluate(SMALL_TEXT, 16) == []
    start = teacher.eval_on_selector('[data-testid="lessons-start"]', BOX)  # the "Start here" button covers no panel
    assert [p[0] for p in teacher.evaluate(PANELS)
            if p[1] < start[2] and start[0] < p[3] and p[2] < start[3] and start[1] < p[4]] == []
    if touch:  # a finger's targets
        for sel in acts:
            left, top, right, bottom = teacher.eval_on_selector(sel, BOX)
            assert right - left >= 32 and bottom - top >= 32, sel
    reject(teacher, mine)
    assert teacher.errors == [] and student.errors == []


@pytest.mark.parametrize("name", ["projector", "hd-projector"])
def test_on_a_projector_the_teachers_longest_card_opens_whole_beside_the_network(pair, name):
    teacher, student = pair(name)
    mine = send_a(student, teacher)  # a drawing waits in the teacher's queue: the class bar holds its card
    assert off_screen(teacher, [f'{mine} [data-testid="accept"]', f'{mine} [data-testid="reject"]']) == []
    teacher.click('[data-testid="weight-chips"] .eq-chip[data-kind="weight"]')
    teacher.wait_for_function("() => window.playground.state.selection?.kind === 'weight'")
    for card in ("bp4", "update"):
        teacher.click(f'[data-testid="eq-tabs"] [data-tab="{card}"]')
        shown = f'[data-testid="equations"] [data-card="{card}"][data-shown]'
        teacher.wait_for_selector(shown)
        if card == "update":  # momentum's velocity is in the card's numbers
            teacher.wait_for_function("(s) => document.querySelector(s).textContent.includes('momentum 0.9')",
                                      arg=shown)
        assert off_screen(teacher, [shown, '[data-testid="network"]', '[data-testid="play"]',
                                    '[data-testid="step-sample"]', '[data-testid="timeline"]',
                                    '[data-testid="class-code"]']) == []
        assert teacher.evaluate("() => window.scrollY") == 0
        assert teacher.evaluate(SMALL_TEXT, 16) == []
    reject(teacher, mine)
    assert teacher.errors == []


def test_a_student_sees_the_mistake_lab_verdict_the_teacher_sees(pair):
    teacher, student = pair("laptop")
    teacher.click('[data-testid="lab-variant"][data-variant="sigma-prime-of-activation"]')
    teacher.wait_for_selector('[data-testid="lab-verdict"][data-ok="false"]')
    student.wait_for_selector('[data-testid="lab"][data-chosen="sigma-prime-of-activation"]')
    student.wait_for_selector('[data-testid="lab-verdict"][data-ok="false"]')
    rows = '[data-testid="lab-verdict"] [data-layer]'
    seen = [p.eval_on_selector_all(rows, "els => els.map((e) => [e.dataset.layer, e.dataset.ok, e.innerText])")
            for p in (teacher, student)]
    assert seen[0] == seen[1] and len(seen[0]) == 2
    assert student.inner_text('[data-testid="lab-verdict"]') == teacher.inner_text('[data-testid="lab-verdict"]')
    assert not student.is_visible('[data-testid="lab-gradcheck"]')  # the check is the teacher's to run
    student.click('[data-testid="lab-variant"][data-variant="correct"]', force=True)  # a student's click does nothing
    assert student.get_attribute('[data-testid="lab"]', "data-chosen") == "sigma-prime-of-activation"
    teacher.click('[data-testid="lab-gradcheck"]')  # asked again: the same verdict reaches the class again
    teacher.wait_for_selector('[data-testid="lab-verdict"][data-ok="false"]')
    student.wait_for_selector('[data-testid="lab-verdict"][data-ok="false"]')
    assert teacher.errors == [] and student.errors == []


# The teacher's queue: its box, how far its content reaches past it sideways, and the cards not wholly inside it
# across (each card's box against the queue's).
QUEUE = """() => {
  const q = document.querySelector('[data-testid=class-queue]'), r = q.getBoundingClientRect();
  const cards = [...q.querySelectorAll('[data-testid=submission]')];
  return { box: [r.left, r.top, r.right, r.bottom], across: q.scrollWidth - q.clientWidth,
    ids: cards.map((c) => c.dataset.id),
    outside: cards.filter((c) => { const b = c.getBoundingClientRect(); return b.left < r.left || b.right > r.right; })
      .map((c) => c.dataset.id) };
}"""


@pytest.mark.parametrize("name", ["tablet", "projector", "tablet-projector"])
def test_fifteen_drawings_stay_in_the_queues_box_and_each_is_reviewed_there(browser, class_server, clients, name):
    viewport, touch, projector = SCREENS[name]
    context = browser.new_context(viewport=viewport, has_touch=touch, is_mobile=False, base_url=class_server.url)
    try:
        teacher = watched_page(context, timeout=20_000)
        teacher.goto(f"/?preset=letters{'&projector=1' if projector else ''}#teacher={TOKEN}")
        teacher.wait_for_selector('[data-testid="join-screen"]')
        teacher.click('[data-testid="join-screen-close"]')
        teacher.wait_for_selector('[data-testid="add-example"][data-label="C"]')
        sent = []
        for k in range(5):  # five students, three drawings each (the most one student may have waiting)
            student = clients(class_server.url, {"code": class_server.code, "name": f"Student {k + 1}"})
            for label, letter in (("A", LETTER_A), ("B", LETTER_A), ("C", LETTER_C)):
                ack = student.call("submit_example", {"input": letter, "label": label})
                assert ack["ok"] is True
                sent.append(ack["id"])
        teacher.wait_for_function("(ids) => ids.every((id) => document.querySelector("
                                  "`[data-testid=submission][data-id='${id}']`))", arg=sent)
        queue = teacher.evaluate(QUEUE)
        assert [sub for sub in queue["ids"] if sub in sent] == sent  # the oldest first: a new one joins at the end
        assert queue["across"] <= 0 and queue["outside"] == []  # rows of cards, nothing past the box sideways
        left, top, right, bottom = queue["box"]
        assert left >= 0 and top >= 0 and right <= viewport["width"] and bottom <= viewport["height"]
        assert off_screen(teacher, PAD + ['[data-testid="play"]', '[data-testid="timeline"]']) == []
        assert teacher.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
        for sub in sent:  # each card scrolled to in the queue: its ✓ and ✕ inside the queue's box
            card = f'[data-testid="submission"][data-id="{sub}"]'
            teacher.locator(card).scroll_into_view_if_needed()
            for act in ("accept", "reject"):
                b = teacher.eval_on_selector(f'{card} [data-testid="{act}"]', BOX)
                assert left <= b[0] and b[2] <= right and top <= b[1] and b[3] <= bottom, (sub, act, b, queue["box"])
                if touch:
                    assert b[2] - b[0] >= 32 and b[3] - b[1] >= 32, (sub, act)
        for sub in sent:  # and reviewed there, one after another (the class is the next test's too)
            teacher.click(f'[data-testid="submission"][data-id="{sub}"] [data-testid="reject"]')
            teacher.wait_for_selector(f'[data-testid="submission"][data-id="{sub}"]', state="detached")
        assert teacher.evaluate("() => [window.scrollX, window.scrollY]") == [0, 0]
        assert teacher.errors == []
    finally:
        context.close()
