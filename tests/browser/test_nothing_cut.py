"""Nothing on the first screen is cut or covered, at the four screens of test_layout.py: the status pill's whole
sentence is read (the longest the page shows: the end of a run with its reason, a divergence with what to do), and
the "Start here · lessons" button covers no panel."""
from __future__ import annotations

import pytest

from engine import presets
from tests.browser import test_layout
from tests.browser.test_layout import SCREENS, box

screen = test_layout.screen  # the fixture: a page at one of test_layout.SCREENS

# The pill's text overflows neither across nor down (its box clips: overflow hidden).
CLIPPED = """(e) => ({ text: e.textContent, across: e.scrollWidth - e.clientWidth,
  down: e.scrollHeight - e.clientHeight })"""

# Every shown panel's box.
PANELS = """() => [...document.querySelectorAll('.stage > .panel')].filter((p) => p.getClientRects().length)
  .map((p) => { const r = p.getBoundingClientRect(); return [p.className, r.left, r.top, r.right, r.bottom]; })"""

RUNS = {  # a run that ends with a long status: how it is set up and started, and the sentence the pill must show
    "done": ("preset=letters", {"speed": "max", "until": 700}, "Done — reached epoch 700"),
    "diverged": ("preset=xor-3-4-1&activation=linear&lr=100", {"speed": "max"}, None),
}


@pytest.mark.parametrize("run", list(RUNS))
@pytest.mark.parametrize("name", list(SCREENS))
def test_the_status_pill_shows_its_whole_sentence(screen, name, run):
    query, start, words = RUNS[run]
    page = screen(name, query)
    page.evaluate("(body) => new Promise((done) => window.playground.send('start', body, done))", start)
    page.wait_for_function("(st) => document.querySelector('[data-testid=status]')?.dataset.state === st", arg=run)
    status = page.evaluate("() => window.playground.state.status")
    if words is None:  # the server's reason, and what to do
        words = f"Diverged — {status['reason']}. Lower η and press reset."
    assert page.inner_text('[data-testid="status"]') == words
    clipped = page.eval_on_selector('[data-testid="status"]', CLIPPED)
    assert clipped["across"] <= 0 and clipped["down"] <= 0, clipped
    left, top, right, bottom = box(page, '[data-testid="status"]')
    assert left >= 0 and top >= 0 and right <= page.viewport_size["width"] and bottom <= box(page, ".topbar")[3]
    assert page.errors == []


def covered(page, selector):
    """The shown panels whose box meets ``selector``'s box."""
    left, top, right, bottom = box(page, selector)
    return [p[0] for p in page.evaluate(PANELS)
            if p[1] < right and left < p[3] and p[2] < bottom and top < p[4]]


@pytest.mark.parametrize("name", list(SCREENS))
def test_the_start_here_button_covers_no_panel(screen, name):
    page = screen(name)
    page.wait_for_selector('[data-testid="lessons-start"]')
    assert covered(page, '[data-testid="lessons-start"]') == []
    if name == "projector":  # a card opened large puts the network at the bottom-left: it ends above the button too
        page.click('[data-testid="weight-chips"] .eq-chip[data-kind="weight"]')
        page.click('[data-testid="eq-tabs"] [data-tab="update"]')
        page.wait_for_selector('[data-testid="equations"] [data-card="update"][data-shown]')
        page.wait_for_function("() => !document.querySelector('.panel-data').getClientRects().length")
        assert covered(page, '[data-testid="lessons-start"]') == []
    assert page.errors == []


# The closed picker's room for text (its content box less the arrow, 1.2em) against each preset name's width in
# the picker's own font.
NAME_ROOM = """(e) => { const cs = getComputedStyle(e); const pen = document.createElement('canvas').getContext('2d');
  pen.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
  const room = e.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 1.2 * parseFloat(cs.fontSize);
  return [...e.options].map((o) => [o.value, o.textContent, pen.measureText(o.textContent).width, room]); }"""


@pytest.mark.parametrize("name", list(SCREENS))
def test_the_preset_picker_shows_every_preset_name_whole(screen, name):
    page = screen(name)
    page.wait_for_function("() => document.querySelector('[data-testid=field-preset]')?.options.length > 1")
    names = page.eval_on_selector('[data-testid="field-preset"]', NAME_ROOM)
    assert [n for n, _, _, _ in names] == list(presets.PRESETS)
    for value, text, width, room in names:
        assert text == value and width <= room, (value, width, room)
    left, top, right, bottom = box(page, '[data-testid="field-preset"]')
    assert left >= 0 and right <= page.viewport_size["width"] and bottom <= box(page, ".topbar")[3]
    assert page.errors == []


@pytest.mark.parametrize("name", list(SCREENS))
def test_every_menu_of_settings_shows_each_of_its_choices_whole(screen, name):
    """The dataset, activation, loss, batch, initial weights… menus (and those of "more…"): whichever choice is
    picked, the closed menu shows all of its words (the dataset menu cut "letters (3 samples)" on a tablet)."""
    page = screen(name)
    page.click('[data-act="more"]')
    page.wait_for_selector('[data-ref="more"]:not([hidden])')
    menus = page.eval_on_selector_all(".bar-settings select", f"els => els.map({NAME_ROOM})")
    assert len(menus) >= 8
    for choices in menus:
        for value, text, width, room in choices:
            assert text and width <= room, (value, text, width, room)
    assert page.errors == []
