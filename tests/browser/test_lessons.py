"""Every lesson walked to its end in headless Chromium, each step's setup checked against the server's state.

For each step: the page says "step k of n"; once the lesson panel reports the step ready, the configuration the server
reports (the `network` message) equals the step's, and the selection, speed and layout are the step's; every part
in focus is ringed. A prediction is answered (alternately the right and a wrong choice) and reveals its explanation;
a run is started and, for training, waited for until the server stops at the step's epoch; the claim the lesson
makes about what the run shows is checked against the server's numbers (``CLAIMS``); the NumPy lines are the ones
for the layout shown. Then next, up to `lesson-done`, with no page error.
"""
from __future__ import annotations

import pytest

from app import lessons
from engine import variants

LESSONS = lessons.load_all()
LESSON = '[data-testid="lesson"]'
PROGRESS = "() => JSON.parse(localStorage.getItem('backprop-playground.lessons'))"

# The last half of the loss curve spans less than 0.001.
FLAT = ("(() => { const l = s.snapshot.curve.loss.slice(-Math.floor(s.snapshot.curve.loss.length / 2));"
        " return Math.max(...l) - Math.min(...l) < 1e-3; })()")
# What each training run's question claims, as expressions over the page state `s` (the server's snapshot).
CLAIMS = {
    ("tour", 4): "s.snapshot.accuracy === 1",
    ("plus-equals", 3): "s.snapshot.companion.loss > START.loss && s.snapshot.loss < START.loss",
    ("previous-activation", 3): "s.snapshot.weights[0][0][0] === START.weights[0][0][0]"
                                " && s.snapshot.weights[0][1][0] !== START.weights[0][1][0]",
    ("sigma-prime", 3): "s.snapshot.companion.loss < START.loss && s.snapshot.companion.loss < s.snapshot.loss",
    ("mse-cross-entropy", 3): "s.snapshot.companion.accuracy === 1 && s.snapshot.accuracy < 1",
    ("not-learning", 1): f"s.snapshot.accuracy < 0.6 && {FLAT}",
    ("not-learning", 3): f"s.snapshot.accuracy < 0.6 && {FLAT}",
    ("not-learning", 4): "s.snapshot.accuracy > 0.8 && s.snapshot.accuracy < 1",
    ("not-learning", 5): "s.snapshot.accuracy === 1",
}


def _ready(page, k):
    page.wait_for_selector(f'{LESSON}[data-step="{k}"][data-ready="true"]', timeout=30_000)


def _check_setup(ui, step):
    page = ui.page
    assert ui.state("s.network.config") == step["config"]
    if "select" in step:
        assert ui.state("s.selection") == step["select"]
    if "layout" in step:
        assert ui.state("s.layout") == step["layout"]
    if "speed" in step:
        assert ui.state("s.speed") == step["speed"]
    for name in step["focus"]:
        page.wait_for_selector(f'[data-testid="{name}"].lesson-spot', state="attached")
    if "card" in step:
        page.wait_for_selector(f'[data-testid="equations"] [data-card="{step["card"]}"].lesson-spot')


def _answer(page, step, k):
    choices = page.locator('[data-testid="lesson-choice"]')
    assert choices.count() == len(step["ask"]["choices"])
    rights = [c["right"] for c in step["ask"]["choices"]]
    pick = rights.index(True) if k % 2 else rights.index(False)  # answer right and wrong in turn
    choices.nth(pick).click()
    explain = page.locator('[data-testid="lesson-explain"]')
    assert explain.get_attribute("data-correct") == str(rights[pick]).lower()
    assert step["ask"]["explain"].replace("`", "")[:40] in explain.inner_text().replace("\n", " ")
    assert choices.nth(pick).is_disabled()


def _after_run(ui, lesson, step, k):
    run = step.get("run")
    if run is None:
        return
    if run["action"] == "train":
        ui.wait_state(f"s.status && s.status.state === 'done' && s.snapshot.epoch === START_EPOCH + {run['epochs']}"
                      .replace("START_EPOCH", str(ui.page.evaluate("() => window.__start.snapshot.epoch"))))
        ui.wait_state("s.snapshot.curve && s.snapshot.curve.epochs.length > 0")
    elif run["action"] == "gradcheck":
        variant = variants.get(step["config"]["variant"])
        ui.page.wait_for_selector(f'[data-testid="lab-verdict"][data-ok="{str(not variant.wrong_gradient).lower()}"]')
    elif run["action"] == "step-sample":
        ui.page.wait_for_selector('[data-testid="network"][data-phase="idle"]'
                                  '[data-phase-log="forward loss backward update"]', timeout=20_000)
    claim = CLAIMS.get((lesson["id"], k))
    if claim:
        assert ui.page.evaluate("() => { const s = window.playground.state, START = window.__start.snapshot; "
                                f"return {claim}; }}"), claim


@pytest.mark.parametrize("lesson", LESSONS, ids=[x["id"] for x in LESSONS])
def test_every_lesson_walks_to_its_end_with_the_server_in_each_steps_setup(ui, lesson):
    page = ui.page
    page.goto(f"/?lesson={lesson['id']}")
    n = len(lesson["steps"])
    for k, step in enumerate(lesson["steps"], 1):
        _ready(page, k)
        assert page.inner_text('[data-testid="lesson-step"]') == f"step {k} of {n}"
        _check_setup(ui, step)
        page.evaluate("() => { window.__start = { snapshot: structuredClone(window.playground.state.snapshot) }; }")
        if "ask" in step:
            _answer(page, step, k)
        elif "run" in step:
            page.click('[data-testid="lesson-run"]')
        _after_run(ui, lesson, step, k)
        if "code" in step:
            layout = ui.state("s.layout")
            code = page.locator('[data-testid="lesson-code"]')
            assert code.get_attribute("data-layout") == layout
            assert code.inner_text() == step["code"][layout]
        page.click('[data-testid="lesson-next"]')
    page.wait_for_selector('[data-testid="lesson-done"]')
    assert page.evaluate(PROGRESS)[lesson["id"]] == {"step": n, "done": True}
    assert not page.evaluate("() => document.documentElement.classList.contains('lesson-focus')")
    assert page.errors == []


def test_start_here_lists_every_lesson_and_opens_one(ui):
    page = ui.open("preset=letters")
    page.click('[data-testid="lessons-start"]')
    opens = page.locator('[data-testid="lesson-open"]')
    assert [opens.nth(i).get_attribute("data-lesson") for i in range(opens.count())] == [x["id"] for x in LESSONS]
    page.click('[data-testid="lesson-open"][data-lesson="forward"]')
    _ready(page, 1)
    assert page.get_attribute(LESSON, "data-lesson") == "forward"
    assert page.evaluate(PROGRESS) == {"forward": {"step": 1}}
    assert page.errors == []


def test_step_in_the_address_opens_that_step_and_back_returns_to_the_one_before(ui):
    page = ui.page
    page.goto("/?lesson=sigma-prime&step=3")
    _ready(page, 3)
    assert ui.state("s.network.config") == LESSONS[5]["steps"][2]["config"]
    page.click('[data-testid="lesson-back"]')
    _ready(page, 2)
    assert ui.state("s.network.config") == LESSONS[5]["steps"][1]["config"]
    assert page.inner_text('[data-testid="lesson-step"]') == "step 2 of 5"
    assert page.errors == []


def test_skipping_a_question_reveals_nothing_and_leaving_keeps_the_playground_as_it_is(ui):
    page = ui.page
    page.goto("/?lesson=mse-cross-entropy&step=2")
    _ready(page, 2)
    assert page.inner_text('[data-testid="lesson-next"]') == "skip →"
    assert page.locator('[data-testid="lesson-explain"]').count() == 0
    page.click('[data-testid="lesson-next"]')
    _ready(page, 3)
    assert page.locator('[data-testid="lesson-explain"]').count() == 0
    config = ui.state("s.network.config")
    page.click('[data-testid="lesson-leave"]')
    page.wait_for_selector(LESSON, state="detached")
    page.wait_for_selector('[data-testid="lessons-start"]')
    assert ui.state("s.network.config") == config
    assert "variant=output-sigma-prime-dropped" in page.url
    assert page.locator(".lesson-spot").count() == 0
    assert page.errors == []


def test_a_lesson_left_half_way_opens_where_it_was_left(ui):
    page = ui.page
    page.goto("/?lesson=transposes&step=3")
    _ready(page, 3)
    page.click('[data-testid="lesson-leave"]')
    page.click('[data-testid="lessons-start"]')
    assert "step 3 of 4" in page.inner_text('[data-testid="lesson-open"][data-lesson="transposes"]')
    page.click('[data-testid="lesson-open"][data-lesson="transposes"]')
    _ready(page, 3)
    assert page.errors == []


@pytest.mark.parametrize("width, height, touch", [(1280, 720, False), (1920, 1080, False), (1024, 768, True)])
@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
@pytest.mark.parametrize("where", ["tour&step=4", "not-learning&step=6"], ids=["question", "code"])
def test_the_lesson_card_fits_the_screen(browser, live_server, width, height, touch, projector, where):
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=touch,
                                  base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto(f"/?lesson={where}{'&projector=1' if projector else ''}")
        page.wait_for_selector(f'{LESSON}[data-ready="true"]', timeout=30_000)
        box = page.locator(LESSON).bounding_box()
        assert box["x"] >= 0 and box["y"] >= 0
        assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height
        nav = page.locator('[data-testid="lesson-next"]').bounding_box()
        assert nav["y"] + nav["height"] <= box["y"] + box["height"]  # the way on never scrolls out of the card
    finally:
        context.close()


def test_the_start_here_button_is_readable(ui):
    """Its text is white on the accent colour (a page-wide `button.pill` rule once made it white on white)."""
    page = ui.open("preset=letters")
    page.wait_for_selector('[data-testid="lessons-start"]')
    fg, bg = page.eval_on_selector('[data-testid="lessons-start"]',
                                   "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
    assert fg == "rgb(255, 255, 255)" and bg not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), (fg, bg)
