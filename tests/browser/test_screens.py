"""Issue 11's leftovers, as a person sees them: the tablet's header, the equation cards on a projector, the data
change on the timeline, undo after every way of starting again, and when a prediction is marked not sure.

The screens and their helpers (``screen``, ``box``, ``on_screen``, ``SMALL_TEXT``) are test_layout.py's.
"""
from __future__ import annotations

import math

import pytest

from app.session import UNDO_FROM
from app.wire import encode
from tests.browser import test_layout
from tests.browser.test_layout import SMALL_TEXT, box, on_screen
from tests.support import shown
from tests.support.browser import watched_page
from tests.support.letters import LETTER_A

screen = test_layout.screen  # the fixture: a page at one of test_layout.SCREENS

# ---- the tablet's header --------------------------------------------------------------------------------------

# Each bar of the header: how many rows its shown children take (a child starts a new row when it begins below
# the lowest bottom of the row so far).
ROWS = """() => Object.fromEntries([...document.querySelectorAll('.topbar .bar')].map((bar) => {
  const kids = [...bar.children].filter((c) => c.getClientRects().length && getComputedStyle(c).position !== 'absolute')
    .map((c) => c.getBoundingClientRect()).sort((a, b) => a.top - b.top);
  let rows = 0, bottom = -Infinity;
  for (const r of kids) {
    if (r.top >= bottom - 1) { rows += 1; bottom = r.bottom; } else bottom = Math.max(bottom, r.bottom);
  }
  return [bar.classList[1], rows];
}))"""

# Every control of the header a finger may need: its tap target (a checkbox's is its label), whether it is the
# element a tap at its centre reaches, and its box.
TARGETS = """() => [...document.querySelectorAll('.topbar :is(button, select, input)')]
  .filter((e) => e.getClientRects().length && !e.closest('[hidden]') && getComputedStyle(e).visibility !== 'hidden')
  .map((e) => {
    const t = e.type === 'checkbox' ? e.closest('label') : e, r = t.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return { name: e.dataset.testid || e.dataset.act || e.dataset.ref || e.getAttribute('aria-label') || e.type,
             box: [r.left, r.top, r.right, r.bottom], reached: !!hit && (t.contains(hit) || hit.contains(t)) };
  })"""

VISIBLE_KEYS = """() => [...document.querySelectorAll('kbd, .key-hint, .footer .keys')]
  .filter((e) => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden').map((e) => e.outerHTML)"""


@pytest.fixture
def tablet(browser, live_server):
    """A 1024×768 touch tablet (touch events, a mobile viewport), normal or projector mode."""
    contexts = []

    def open_(query="preset=letters"):
        context = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True, is_mobile=True,
                                      base_url=live_server.url)
        contexts.append(context)
        page = watched_page(context)
        page.goto(f"/?{query}")
        page.wait_for_function("() => window.playground.state.snapshot !== null")
        return page

    yield open_
    for c in contexts:
        c.close()


@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
def test_on_a_tablet_the_header_is_one_row_per_bar_of_finger_sized_controls_without_key_hints(tablet, projector):
    page = tablet("preset=letters" + ("&projector=1" if projector else ""))
    rows = page.evaluate(ROWS)
    if projector:  # 16 px type: the transport and the settings may take two rows each
        assert rows["bar-main"] <= 2 and rows["bar-settings"] <= 2 and rows["bar-timeline"] == 1, rows
    else:
        assert rows == {"bar-main": 1, "bar-settings": 1, "bar-timeline": 1}
        assert box(page, ".topbar")[3] <= 768 / 4.5  # the stage keeps most of the screen
    targets = page.evaluate(TARGETS)
    assert len(targets) >= 20  # transport, speed, help, projector, every setting, more…, the timeline
    for t in targets:
        left, top, right, bottom = t["box"]
        assert right - left >= 32 and bottom - top >= 32, t
        assert left >= 0 and top >= 0 and right <= 1024 and bottom <= 768, t
        assert t["reached"], t
    page.tap('[data-testid="help-button"]')
    assert page.is_visible('[data-testid="help"]')
    assert page.evaluate(VISIBLE_KEYS) == []  # no key is named anywhere, the help included
    page.tap('[data-testid="help-close"]')
    page.tap('[data-testid="play"]')
    page.wait_for_selector('[data-testid="play"][data-state="playing"]')
    page.tap('[data-testid="play"]')
    assert page.errors == []


# ---- the equation cards on a projector ---------------------------------------------------------------------------

PICKS = {  # how a teacher reaches a selection: a weight chip of the default output neuron, or a neuron first
    "output weight": [],
    "hidden weight": ['[data-neuron="1-2"] circle'],
    "hidden neuron": ['[data-neuron="1-2"] circle'],
}


def pick(page, how):
    for sel in PICKS[how]:
        page.click(sel)
    if how.endswith("weight"):
        page.click('[data-testid="weight-chips"] .eq-chip[data-kind="weight"]')
        page.wait_for_function("() => window.playground.state.selection?.kind === 'weight'")
    page.wait_for_timeout(300)  # the cards re-typeset (at most ten times a second)


def visible_cards(page):
    return page.eval_on_selector_all('[data-testid="equations"] [data-card]',
                                     "els => els.filter((e) => e.getClientRects().length).map((e) => e.dataset.card)")


# Lines of TeX that scroll sideways, and text that sticks out of the shown card.
CLIPPED = """(card) => {
  const c = card.getBoundingClientRect(), out = [];
  for (const e of card.querySelectorAll('.vis-tex, p, h4, form')) {
    if (!e.getClientRects().length) continue;
    const r = e.getBoundingClientRect();
    if (e.scrollWidth > e.clientWidth + 1 || r.left < c.left - 1 || r.right > c.right + 1 || r.bottom > c.bottom + 1)
      out.push(e.className + ': ' + e.textContent.slice(0, 40));
  }
  return out;
}"""


@pytest.mark.parametrize(("name", "query", "how"), [
    ("projector", "preset=letters&momentum=0.9", "output weight"),  # the longest UPDATE card: momentum's velocity
    ("projector", "preset=letters&batch=2", "hidden weight"),
    ("projector", "preset=binary-2-5-5-1", "output weight"),  # biases: BP3 with numbers
    ("projector", "preset=xor-3-4-1&batch=full", "hidden neuron"),
    ("projector-hd", "preset=letters&momentum=0.9", "output weight"),
])
def test_in_projector_mode_each_equation_card_opens_large_and_fits_the_screen(screen, name, query, how):
    page = screen("projector" if name == "projector" else "hd", query + ("&projector=1" if name != "projector" else ""))
    pick(page, how)
    cards = page.eval_on_selector_all('[data-testid="equations"] [data-card]', "els => els.map((e) => e.dataset.card)")
    tabs = page.eval_on_selector_all('[data-testid="eq-tabs"] [data-tab]:not([data-tab=""])',
                                     "els => els.map((e) => e.dataset.tab)")
    assert tabs == cards and len(cards) >= 3
    # beside the data: the list of cards and the output error's card (BP1, or BP2 for a hidden neuron), with the pad,
    # the prediction and the network on screen
    assert visible_cards(page) == [next(c for c in cards if c in ("bp1", "bp2"))]
    for sel in [f'[data-testid="eq-tabs"] [data-tab="{c}"]' for c in cards] + [
            '[data-testid="draw-grid"]' if "letters" in query else '.panel-data', '[data-testid="network"]',
            '[data-testid="play"]', '[data-testid="step-sample"]']:
        assert on_screen(page, sel), sel
    for card in cards:
        page.click(f'[data-testid="eq-tabs"] [data-tab="{card}"]')
        page.wait_for_selector(f'[data-testid="equations"] [data-card="{card}"][data-shown]')
        page.wait_for_timeout(150)  # the network redraws for its new width
        assert visible_cards(page) == [card]
        shown = f'[data-testid="equations"] [data-card="{card}"]'
        assert on_screen(page, shown), (card, box(page, shown))
        left, top, right, bottom = box(page, shown)
        pl, pt, pr, pb = box(page, ".panel-maths")
        assert pl <= left and right <= pr and pt <= top and bottom <= pb, card
        assert page.eval_on_selector(shown, CLIPPED) == [], card
        assert on_screen(page, '[data-testid="network"]') and on_screen(page, '[data-testid="play"]')
        assert page.evaluate(SMALL_TEXT, 16) == [], card
        assert page.evaluate("() => window.scrollY") == 0
    page.click('[data-testid="eq-tabs"] [data-tab=""]')  # "◂ data": the pad comes back
    page.wait_for_function("() => !document.querySelector('[data-testid=equations]').dataset.open")
    assert visible_cards(page) == [cards[-1]]  # the card last opened stays, beside the data
    assert on_screen(page, '[data-testid="draw-grid"]' if "letters" in query else ".panel-data")
    assert page.errors == []


def test_in_projector_mode_an_open_card_follows_the_step_sample_phase(screen):
    page = screen("projector")
    pick(page, "output weight")
    page.click('[data-testid="eq-tabs"] [data-tab="bp4"]')
    page.evaluate("() => { window.playground.state.phaseScale = 2; }")
    page.click('[data-testid="step-sample"]')
    for phase, card in [("forward", "forward"), ("loss", "bp1"), ("update", "update")]:
        page.wait_for_selector(f'[data-testid="network"][data-phase="{phase}"]')
        page.wait_for_selector(f'[data-testid="equations"][data-open="{card}"] [data-card="{card}"][data-shown]')
        assert page.get_attribute(f'[data-testid="eq-tabs"] [data-tab="{card}"]', "aria-selected") == "true"
        assert on_screen(page, f'[data-testid="equations"] [data-card="{card}"]')
    assert page.errors == []


# ---- the data change on the timeline -------------------------------------------------------------------------

# Where the timeline's canvas paints the mark's colour: the middle of those columns, in CSS pixels.
PURPLE_COLUMNS = """(c) => {
  const g = c.getContext('2d'), d = g.getImageData(0, 0, c.width, c.height).data, cols = [];
  for (let x = 0; x < c.width; x++) {
    for (let y = 0; y < c.height; y++) {
      const k = (y * c.width + x) * 4;
      const near = (i, v) => Math.abs(d[k + i] - v) < 12;
      if (d[k + 3] > 200 && near(0, 204) && near(1, 121) && near(2, 167)) { cols.push(x); break; }
    }
  }
  return cols.length ? (cols[0] + cols[cols.length - 1]) / 2 / (window.devicePixelRatio || 1) : null;
}"""


def test_the_timeline_marks_the_epoch_where_a_drawing_joined_the_training_set(ui):
    page = ui.open("preset=letters")
    page.locator('[data-testid="training-images"] [data-sample]').nth(2).wait_for()
    ui.train_until(300)
    epoch = ui.epoch()
    for k, on in enumerate(LETTER_A):
        if on:
            page.locator('[data-testid="draw-grid"] [data-cell]').nth(k).click()
    page.click('[data-testid="add-example"][data-label="A"]')
    page.wait_for_selector('[data-testid="add-status"][data-state="ok"]')
    ui.train_until(2 * epoch)
    ui.wait_state(f"s.snapshot.curve.data_changes.includes({epoch})")
    page.wait_for_function(f"() => document.querySelector('.tl-curve')?.dataset.changes === '{epoch}'")
    assert page.get_attribute('[data-testid="loss-chart"]', "data-changes") == str(epoch)  # the same epoch there
    x = page.eval_on_selector(".tl-curve", PURPLE_COLUMNS)
    assert x is not None
    # The browser's own range puts the thumb at the epoch under the pointer: a click on the mark lands on its epoch.
    page.eval_on_selector('[data-testid="timeline"]',
                          "el => el.addEventListener('input', () => { window.__picked = Number(el.value); })")
    left, top, right, bottom = box(page, ".tl-curve")
    page.mouse.click(left + x, (top + bottom) / 2)
    picked = page.wait_for_function("() => window.__picked !== undefined && window.__picked").json_value()
    newest = ui.state("s.maxEpoch")
    per_pixel = newest / (right - left - 14)  # epochs per pixel of the thumb's travel
    assert abs(picked - epoch) <= per_pixel + 0.5, (picked, epoch, per_pixel)
    assert ui.errors == []


# ---- undo after every way of starting again ---------------------------------------------------------------------

RESTARTS = {  # a way of throwing the run away: what the learner does
    "reset button": lambda page: page.click('[data-testid="reset"]'),
    "new seed": lambda page: page.click('[data-act="new-seed"]'),
    "setting": lambda page: page.select_option('[data-testid="field-activation"]', "tanh"),
    "preset": lambda page: page.select_option('[data-testid="field-preset"]', "xor-3-4-1"),
    "mistake lab": lambda page: page.click('[data-testid="lab-variant"][data-variant="flipped-sign"]'),
}


@pytest.mark.parametrize("way", list(RESTARTS))
def test_every_way_of_starting_again_offers_undo_and_undo_brings_the_run_back(ui, way):
    page = ui.open("preset=letters")
    ui.train_until(UNDO_FROM + 60)
    before = ui.state("({ epoch: s.snapshot.epoch, weights: s.snapshot.weights, curve: s.curve,"
                      " config: s.network.config })")
    url = page.url
    toast = page.locator('[data-testid="undo-toast"]')
    assert toast.is_hidden()

    RESTARTS[way](page)

    toast.wait_for(state="visible")
    page.wait_for_function("() => document.querySelector('[data-testid=epoch]')?.dataset.value === '0'")
    assert toast.get_attribute("data-epoch") == str(before["epoch"])
    assert f"The run you left at epoch {shown.count(before['epoch'])} is kept." in toast.inner_text()
    assert on_screen(page, '[data-testid="undo"]')

    page.click('[data-testid="undo"]')

    toast.wait_for(state="hidden")
    ui.wait_state(f"s.snapshot.epoch === {before['epoch']} && s.status.epoch === {before['epoch']}")
    page.wait_for_function(f"() => document.querySelector('[data-testid=epoch]')?.dataset.value === "
                           f"'{before['epoch']}'")
    after = ui.state("({ epoch: s.snapshot.epoch, weights: s.snapshot.weights, curve: s.curve,"
                     " config: s.network.config })")
    assert after == before
    page.wait_for_function("(u) => location.href === u", arg=url)  # the address names the run's setup again
    assert ui.errors == []


# ---- when a prediction is marked not sure ---------------------------------------------------------------------


def logit(p):
    return math.log(p / (1 - p))


def model_answering(config, outputs):
    """A letters network whose every answer is ``outputs``: the hidden layer sits at σ(0) = 0.5 whatever the
    drawing, and only hidden neuron 1 feeds the outputs, with weights 2·logit(y) (so z = logit(y), σ(z) = y)."""
    return {"config": config, "weights": [[[0.0] * 5 for _ in range(30)],
                                          [[2 * logit(y) for y in outputs]] + [[0.0] * 3 for _ in range(4)]],
            "biases": []}


ABOVE, MARGIN = encode.SURE_ABOVE, encode.SURE_MARGIN


@pytest.mark.parametrize(("outputs", "sure"), [
    ((ABOVE + 0.01, ABOVE + 0.01 - MARGIN - 0.01, 0.05), True),  # just above the floor, just far enough ahead
    ((ABOVE - 0.01, 0.10, 0.05), False),  # just under the floor
    ((0.95, 0.95 - MARGIN + 0.01, 0.05), False),  # the runner-up just too close
    ((0.95, 0.95 - MARGIN - 0.01, 0.05), True),  # the runner-up just far enough
    ((0.9, 0.7, 0.05), False),  # close, and printed as the bars print it: 0.9 and 0.7 (never 0.90 and 0.70)
], ids=["above-and-ahead", "under-the-floor", "runner-up-close", "runner-up-far-enough", "close-as-the-bars-print"])
def test_a_prediction_is_marked_not_sure_on_one_side_of_each_threshold_only(ui, outputs, sure):
    page = ui.open("preset=letters")
    name = f"doubt-{'-'.join(f'{y:.2f}' for y in outputs)}"
    reply = page.request.post("/api/models", data={"name": name, **model_answering(ui.state("s.network.config"),
                                                                                    outputs)})
    assert reply.status == 201, reply.text()
    assert page.evaluate(f"() => new Promise((done) => window.playground.send('load_model', {{name: '{name}'}}, done))"
                         )["ok"] is True
    ui.wait_state("s.snapshot && s.snapshot.epoch === 0")
    page.locator('[data-testid="draw-grid"] [data-cell]').nth(7).click()
    prediction = page.locator('[data-testid="prediction"]')
    page.wait_for_function("() => document.querySelector('[data-testid=prediction]')?.dataset.value !== undefined")
    assert float(prediction.get_attribute("data-value")) == pytest.approx(max(outputs), abs=1e-12)
    assert prediction.inner_text() == "A"
    if sure:
        assert prediction.get_attribute("data-doubt") is None
        assert "not sure" not in page.inner_text(".vis-pred-head")
    else:  # the server's reason, worded with each output printed exactly as its prediction bar prints it
        doubt = encode.doubt(list(outputs), ["A", "B", "C"])
        bar = {label: page.inner_text(f'[data-testid="pad-bars"] .vis-bar[data-label="{label}"] .vis-bar-value')
               for label in doubt["labels"]}
        first, runner_up = doubt["labels"]
        words = {"low": f"not sure: no output is above {ABOVE:g} (the highest, {first}, is {bar[first]})",
                 "close": f"not sure: {first} {bar[first]} and {runner_up} {bar[runner_up]} are close"}
        assert prediction.get_attribute("data-doubt") == words[doubt["reason"]]
        assert words[doubt["reason"]] in page.inner_text(".vis-pred-head")
    rule = page.inner_text('[data-testid="doubt-rule"]')  # the rule itself, in the server's words, on the page
    assert rule == encode.doubt_rule()["words"] and f"{ABOVE:g}" in rule and f"{MARGIN:g}" in rule
    assert ui.errors == []
