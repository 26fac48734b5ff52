"""What a person sees on the screens classrooms use: a 1280×720 laptop or projector, a 1920×1080 screen, a
1024×768 touch tablet. Bounding boxes against the viewport, font sizes from computed style, picks by clicking at
computed points."""
from __future__ import annotations

import pytest

from tests.support.browser import watched_page
from tests.support.letters import LETTER_A
from tests.support.shown import count

SCREENS = {
    "laptop": ({"width": 1280, "height": 720}, False, False),
    "projector": ({"width": 1280, "height": 720}, False, True),
    "hd": ({"width": 1920, "height": 1080}, False, False),
    "tablet": ({"width": 1024, "height": 768}, True, False),
}

# Every element with text of its own, shown, and its computed font size. KaTeX counts by its root (.katex): its
# sub- and superscripts are smaller by design. Font size 0 is the projector's way of replacing a text by a
# ::before label (the layer count), not a text to read.
SMALL_TEXT = """(floor) => {
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e.closest('.katex') && !e.classList.contains('katex')) continue;
    if (e.closest('[hidden]') || e.closest('title')) continue;
    const own = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own && !e.classList.contains('katex')) continue;
    const r = e.getBoundingClientRect();
    const cs = getComputedStyle(e);
    if (!r.width || !r.height || cs.visibility === 'hidden' || cs.display === 'none') continue;
    const fs = parseFloat(cs.fontSize);
    const name = `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`;
    if (fs > 0 && fs < floor) out.push(`${name} ${fs}px: ${e.textContent.trim().slice(0, 30)}`);
  }
  return out;
}"""

BOX = "(el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }"

# The given elements that are not wholly inside the viewport (or not shown at all), with their boxes.
OFF_SCREEN = """(sels) => sels.map((s) => {
  const e = document.querySelector(s);
  if (!e || !e.getClientRects().length) return [s, 'not shown'];
  const r = e.getBoundingClientRect();
  return r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight ? null
    : [s, [r.left, r.top, r.right, r.bottom]];
}).filter(Boolean)"""


@pytest.fixture
def screen(browser, live_server):
    """``screen(name, query)`` → a page at one of SCREENS (touch for the tablet; projector=1 for the projector)."""
    contexts = []

    def open_(name, query="preset=letters"):
        viewport, touch, projector = SCREENS[name]
        context = browser.new_context(viewport=viewport, has_touch=touch, is_mobile=False, base_url=live_server.url)
        contexts.append(context)
        page = watched_page(context)
        page.goto(f"/?{query}{'&projector=1' if projector else ''}")
        page.wait_for_selector('[data-testid="network"] [data-neuron]')
        page.wait_for_function("() => window.playground.state.snapshot !== null")
        page.wait_for_selector('[data-testid="equations"] [data-eq]', state="attached")  # projector: cards on demand
        return page

    yield open_
    for c in contexts:
        c.close()


def box(page, selector):
    return page.eval_on_selector(selector, BOX)


def on_screen(page, selector):
    left, top, right, bottom = box(page, selector)
    vw, vh = page.viewport_size["width"], page.viewport_size["height"]
    return left >= 0 and top >= 0 and right <= vw and bottom <= vh


def state(page, expr):
    return page.evaluate(f"() => {{ const s = window.playground.state; return {expr}; }}")


def draw(page, pixels):
    cells = page.locator('[data-testid="draw-grid"] [data-cell]')
    for k, on in enumerate(pixels):
        if on:
            cells.nth(k).click()


def train(page, at_least):
    page.evaluate("() => window.playground.actions.setSpeed('max')")
    page.click('[data-testid="play"]')
    page.wait_for_function(f"() => window.playground.state.snapshot.epoch >= {at_least}")
    page.click('[data-testid="play"]')
    page.wait_for_function("() => { const s = window.playground.state; return s.status.state === 'paused'"
                           " && s.snapshot.epoch === s.status.epoch"
                           " && document.querySelector('[data-testid=epoch]')?.dataset.value"
                           " === String(s.snapshot.epoch); }")


def seek(page, epoch):
    page.eval_on_selector('[data-testid="timeline"]',
                          f"el => {{ el.value = '{epoch}'; el.dispatchEvent(new Event('change')); }}")


# ---- projector mode --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 720}, {"width": 1920, "height": 1080}])
def test_projector_mode_shows_controls_settings_network_pad_and_prediction_without_scrolling(browser, live_server,
                                                                                            viewport):
    context = browser.new_context(viewport=viewport, base_url=live_server.url)
    page = context.new_page()
    page.goto("/?preset=letters&projector=1")
    page.wait_for_function("() => window.playground.state.snapshot !== null")
    page.wait_for_selector('[data-testid="equations"] [data-eq]', state="attached")
    draw(page, LETTER_A)
    page.wait_for_function("() => document.querySelector('[data-testid=prediction]')?.textContent.trim().length === 1")
    page.wait_for_timeout(300)  # the prediction's bars settle (a transition)
    for sel in ['[data-testid="play"]', '[data-testid="step"]', '[data-testid="step-sample"]', '[data-testid="reset"]',
                '[data-testid="speed"]', '[data-testid="epoch"]', '[data-ref="lr"]', '[data-ref="activation"]',
                '[data-ref="loss"]', '[data-ref="batch"]', '[data-ref="seed"]', '[data-testid="timeline"]',
                '[data-testid="network"]', '[data-testid="draw-grid"]', '[data-testid="prediction"]',
                '[data-testid="pad-bars"]', '[data-testid="add-example"][data-label="C"]']:
        assert page.is_visible(sel), sel
        assert on_screen(page, sel), sel
    assert page.evaluate("() => window.scrollY") == 0
    assert page.evaluate(SMALL_TEXT, 16) == []
    context.close()


@pytest.mark.parametrize("name", ["laptop", "hd", "tablet"])
def test_outside_projector_mode_the_smallest_text_is_still_readable(screen, name):
    page = screen(name)
    assert page.evaluate(SMALL_TEXT, 9) == []


# ---- the equations panel ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(SCREENS))
def test_the_equations_cards_are_read_without_a_scroll_box(screen, name):
    page = screen(name)
    page.click('[data-testid="weight-chips"] .eq-chip')  # a weight: its cards are the longest (FORWARD … UPDATE)
    if name == "projector":  # one card at a time there (test_screens.py opens each)
        page.click('[data-testid="eq-tabs"] [data-tab="update"]')
    page.wait_for_selector('[data-testid="equations"] [data-card="update"]')
    body = ".panel-maths .panel-body"
    assert page.eval_on_selector(body, "el => el.scrollHeight <= el.clientHeight + 1")
    panel_bottom = box(page, ".panel-maths")[3]
    for card in page.query_selector_all('[data-testid="equations"] [data-card]'):
        assert card.evaluate(BOX)[3] <= panel_bottom
    top = box(page, ".panel-maths")[1]
    assert top < page.viewport_size["height"] or name == "tablet"  # beside the network, except on the tablet


def test_a_selected_neuron_lists_its_incoming_weights_and_each_leads_to_bp4_and_update(screen):
    page = screen("laptop")
    page.click('[data-neuron="1-2"] circle')
    chips = page.locator('[data-testid="weight-chips"] .eq-chip[data-kind="weight"]')
    chips.first.wait_for()
    w = state(page, "s.snapshot.weights[0].map((row) => row[2])")
    by_size = sorted(range(30), key=lambda i: -abs(w[i]))[:8]
    assert [chips.nth(k).get_attribute("data-pick") for k in range(chips.count())] == [f"0-{i}-2" for i in by_size]
    page.click('[data-testid="weight-chips"] .eq-chip.more')
    page.wait_for_function("() => document.querySelectorAll("
                           "'[data-testid=weight-chips] .eq-chip[data-kind=weight]').length === 30")
    chips.nth(3).click()
    assert state(page, "s.selection") == {"kind": "weight", "layer": 0, "from": by_size[3], "to": 2}
    for card in ("bp4", "update"):
        page.wait_for_selector(f'[data-testid="equations"] [data-card="{card}"]')
    page.click('[data-testid="weight-chips"] .eq-chip[data-kind="neuron"][data-pick="1-2"]')  # and back
    assert state(page, "s.selection") == {"kind": "neuron", "layer": 1, "index": 2}
    assert page.errors == []


# Where the pointer lands: a point on the link (by the SVG's own geometry), moved `off` px across it.
AIM = """([key, off]) => {
  const el = document.querySelector(`[data-hit="${key}"]`), m = el.getScreenCTM(), L = el.getTotalLength();
  const p = el.getPointAtLength(L * 0.42), q = el.getPointAtLength(L * 0.42 + 1);
  const n = Math.hypot(q.x - p.x, q.y - p.y) || 1, x = p.x - (q.y - p.y) / n * off, y = p.y + (q.x - p.x) / n * off;
  return [x * m.a + y * m.c + m.e, x * m.b + y * m.d + m.f];
}"""
# The independent reference: each link's distance from the point, along its path as the browser's SVG geometry
# samples it.
DISTANCES = """([x, y]) => {
  const out = {};
  for (const el of document.querySelectorAll('[data-hit]')) {
    const m = el.getScreenCTM(), L = el.getTotalLength();
    let best = Infinity;
    for (let k = 0; k <= 1000; k++) {
      const p = el.getPointAtLength(L * k / 1000);
      best = Math.min(best, Math.hypot(p.x * m.a + p.y * m.c + m.e - x, p.x * m.b + p.y * m.d + m.f - y));
    }
    out[el.dataset.hit] = best;
  }
  return out;
}"""


@pytest.mark.parametrize(("name", "key", "off"), [
    ("laptop", "0-7-2", 1.5), ("laptop", "0-21-0", -1.5), ("laptop", "0-14-4", 2.0), ("laptop", "1-3-1", 2.5),
    ("hd", "0-7-2", 2.0), ("tablet", "0-7-2", 2.0),
])
def test_a_click_among_crossing_links_picks_the_link_nearest_the_pointer(screen, name, key, off):
    page = screen(name)
    x, y = (round(v) for v in page.evaluate(AIM, [key, off]))  # a pointer sits on whole pixels
    distance = page.evaluate(DISTANCES, [x, y])
    if name == "tablet":
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)
    page.wait_for_function("() => window.playground.state.selection !== null")
    sel = state(page, "s.selection")
    assert sel["kind"] == "weight"
    picked = f"{sel['layer']}-{sel['from']}-{sel['to']}"
    nearest = sorted(distance.items(), key=lambda kv: kv[1])[:3]
    assert distance[picked] <= min(distance.values()) + 0.25, (picked, nearest)
    assert page.errors == []


# ---- cut-off texts --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(SCREENS))
def test_six_hidden_layers_have_column_titles_that_do_not_overlap(screen, name):
    page = screen(name, "preset=letters&layers=5,5,5,5,5,5")
    page.wait_for_function("() => window.playground.state.network.sizes.length === 8")
    page.wait_for_function("() => document.querySelectorAll('.net .col-title').length === 8")
    boxes = page.eval_on_selector_all(".net .col-title", f"els => els.map({BOX})")
    net = box(page, '[data-testid="network"]')
    for (_l1, _, r1, _b1), (l2, _, _r2, _b2) in zip(boxes, boxes[1:], strict=False):
        assert r1 <= l2, (boxes, name)
    assert boxes[0][0] >= net[0] and boxes[-1][2] <= net[2]


@pytest.mark.parametrize("name", list(SCREENS))
def test_the_full_batch_update_caption_is_shown_whole(screen, name):
    page = screen(name, "preset=xor-3-4-1&batch=full")
    page.evaluate("() => { window.playground.state.phaseScale = 2; }")
    page.click('[data-testid="step-sample"]')
    page.wait_for_selector('[data-testid="network"][data-phase="update"]')
    rule = '[data-testid="phase-caption"] .rule'
    assert "after the batch" in page.inner_text(rule)
    assert page.eval_on_selector(rule, "el => el.scrollWidth <= el.clientWidth + 1"
                                       " && el.scrollHeight <= el.clientHeight + 1")
    left, top, right, bottom = box(page, rule)
    panel = box(page, ".network-wrap")
    assert panel[0] <= left and right <= panel[2] and panel[1] <= top and bottom <= panel[3]


@pytest.mark.parametrize("name", list(SCREENS))
def test_the_training_cards_badges_and_the_preset_name_stay_inside_their_boxes(screen, name):
    page = screen(name)
    train(page, 1200)
    page.wait_for_function("() => [...document.querySelectorAll('.vis-mark')]"
                           ".every((m) => m.textContent.startsWith('✓'))")
    for fig in page.query_selector_all('[data-testid="training-images"] [data-sample]'):
        left, top, right, bottom = fig.evaluate(BOX)
        ml, mt, mr, mb = fig.eval_on_selector(".vis-mark", BOX)
        assert left <= ml and mr <= right and top <= mt and mb <= bottom, fig.inner_text()
    fits = page.eval_on_selector('[data-ref="preset"]', """el => {
        const g = document.createElement('canvas').getContext('2d'), cs = getComputedStyle(el);
        g.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        const text = el.options[el.selectedIndex].textContent;
        return [text, g.measureText(text).width + parseFloat(cs.paddingLeft) + 20 <= el.clientWidth]; }""")
    assert fits == ["letters", True]


def test_the_timeline_curve_ends_under_the_sliders_thumb(screen):
    page = screen("laptop", "preset=xor-3-4-1")
    for n in (1, 2, 3):
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"() => window.playground.state.snapshot.epoch === {n}")
    page.wait_for_timeout(200)  # the timeline is a 10-per-second view
    painted = page.eval_on_selector(".tl-curve", """c => {
        const g = c.getContext('2d'), d = g.getImageData(0, 0, c.width, c.height).data, cols = [];
        for (let x = 0; x < c.width; x++) {
          for (let y = 0; y < c.height; y++) if (d[(y * c.width + x) * 4 + 3] > 40) { cols.push(x); break; }
        }
        return [cols[0] / (window.devicePixelRatio || 1), cols[cols.length - 1] / (window.devicePixelRatio || 1)]; }""")
    width = page.eval_on_selector(".tl-curve", "c => c.clientWidth")
    thumb = 14  # the thumb's centre runs from 7 px to width − 7 px
    assert painted[0] == pytest.approx(thumb / 2, abs=2)  # epoch 0 under the thumb at the left end
    assert painted[1] == pytest.approx(width - thumb / 2, abs=2)  # the live epoch under the thumb at the right end


# ---- the tablet -----------------------------------------------------------------------------------------------

def test_on_a_tablet_tapping_a_neuron_brings_its_equations_into_view(screen):
    page = screen("tablet")
    assert not on_screen(page, ".panel-maths .vis-eq-title, .panel-maths h3, .panel-maths [data-card]")
    x, y = page.eval_on_selector('[data-neuron="1-3"] circle', "el => { const r = el.getBoundingClientRect();"
                                 " return [r.x + r.width / 2, r.y + r.height / 2]; }")
    page.touchscreen.tap(x, y)
    assert state(page, "s.selection") == {"kind": "neuron", "layer": 1, "index": 3}
    page.wait_for_function("() => { const r = document.querySelector('.panel-maths [data-card]')"
                           ".getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight - 100; }")
    header = box(page, ".topbar")[3]
    assert box(page, '[data-testid="weight-chips"]')[1] >= header  # not hidden under the sticky header


def test_on_a_tablet_gradient_cells_are_finger_sized_and_no_key_hints_are_shown(screen):
    page = screen("tablet")
    page.click('[data-testid="weight-chips"] .eq-chip')
    # Measured in the task that sees them laid out and shown: under load a redraw between a wait and a separate
    # measurement once read every cell at 0 px.
    sizes = page.wait_for_function(
        "() => { const w = [...document.querySelectorAll('.vis-gcell')].map((e) => e.getBoundingClientRect().width);"
        " return w.length && w.every((x) => x > 0) && w; }").json_value()
    assert min(sizes) >= 24
    for sel in (".footer .keys", ".key-hint"):
        assert not page.is_visible(sel)


def test_on_a_laptop_the_key_hints_are_shown(screen):
    page = screen("laptop")
    assert page.is_visible(".footer .keys") and page.is_visible(".key-hint")


# ---- controls -------------------------------------------------------------------------------------------------

def test_the_speed_slider_stays_put_whatever_the_status_says(screen):
    page = screen("laptop", "preset=letters&speed=max")
    slider = '[data-testid="speed"]'
    seen = {"Ready": box(page, slider)[0]}
    page.click('[data-testid="play"]')
    page.wait_for_function("() => document.querySelector('[data-testid=status]')?.textContent === 'Training'")
    seen["Training"] = box(page, slider)[0]
    page.wait_for_function("() => window.playground.state.snapshot.epoch >= 100")
    page.click('[data-testid="play"]')
    page.wait_for_function("() => document.querySelector('[data-testid=status]')?.textContent === 'Paused'")
    seen["Paused"] = box(page, slider)[0]
    seek(page, 10)
    page.wait_for_function("() => document.querySelector('[data-testid=status]')?.textContent === 'Paused · replay'")
    seen["Paused · replay"] = box(page, slider)[0]
    page.eval_on_selector(slider, "el => { el.value = '0'; el.dispatchEvent(new Event('input')); }")
    page.wait_for_function("() => document.querySelector('[data-ref=speedlabel]')?.textContent"
                           " === 'one sample at a time'")
    seen["one sample at a time"] = box(page, slider)[0]
    assert len(set(seen.values())) == 1, seen


@pytest.mark.parametrize("slider", ['[data-testid="speed"]', '[data-testid="timeline"]'])
def test_after_using_a_slider_the_shortcuts_still_work(screen, slider):
    page = screen("laptop", "preset=xor-3-4-1")
    page.click(slider)
    assert page.evaluate("() => document.activeElement.type") == "range"
    page.keyboard.press("s")
    page.wait_for_function("() => window.playground.state.trace !== null")
    page.keyboard.press("p")
    page.wait_for_function("() => document.documentElement.classList.contains('projector')")
    page.keyboard.press("?")
    assert page.is_visible('[data-testid="help"]')


def test_stepping_while_replaying_says_it_steps_from_the_newest_epoch(screen):
    page = screen("laptop")
    train(page, 200)
    newest = state(page, "s.snapshot.epoch")
    seek(page, 40)
    page.wait_for_function("() => window.playground.state.live === false")
    page.keyboard.press("ArrowRight")
    notice = page.locator('[data-testid="step-notice"]')
    notice.wait_for()
    assert f"newest epoch, {count(newest)}" in notice.inner_text()
    page.wait_for_function("() => window.playground.state.live"
                           f" && window.playground.state.snapshot.epoch === {newest + 1}")
    assert on_screen(page, '[data-testid="step-notice"]')


def test_during_the_one_sample_loop_the_badge_says_training_and_the_epoch_waits_for_the_animation(screen):
    page = screen("laptop")
    page.evaluate("() => { window.playground.state.phaseScale = 0.5; }")
    page.eval_on_selector('[data-testid="speed"]', "el => { el.value = '0'; el.dispatchEvent(new Event('input')); }")
    page.click('[data-testid="play"]')
    page.wait_for_selector('[data-testid="play"][data-state="playing"]')
    page.wait_for_function("() => window.playground.state.phase !== null")
    assert page.inner_text('[data-testid="status"]') == "Training, sample by sample"
    # the third sample of epoch 0 is animated while the server is already at epoch 1: the counter says 0
    page.wait_for_function("() => { const s = window.playground.state; return s.trace && s.trace.index === 2"
                           " && s.phase === 'backward' && s.snapshot.epoch === 1; }")
    assert page.get_attribute('[data-testid="epoch"]', "data-value") == "0"
    page.wait_for_function("() => window.playground.state.trace.epoch === 1")
    assert page.get_attribute('[data-testid="epoch"]', "data-value") == "1"
    page.click('[data-testid="play"]')
    assert page.errors == []


def test_when_paused_the_equations_show_the_counters_epoch(screen):
    page = screen("laptop")
    train(page, 500)
    epoch = page.get_attribute('[data-testid="epoch"]', "data-value")
    page.wait_for_function(f"() => document.querySelector('.vis-eq-meta')?.textContent.endsWith('epoch {epoch}')")


def test_the_default_speed_lets_learning_unfold_and_max_is_one_step_of_the_slider(screen):
    page = screen("laptop")
    assert state(page, "s.speed") == 30
    assert page.inner_text('[data-ref="speedlabel"]') == "30 epochs/s"
    page.click('[data-testid="play"]')
    page.wait_for_function("() => window.playground.state.status.state === 'training'")
    assert state(page, "s.status.speed") == 30  # the server paces the run at 30 epochs a second
    page.click('[data-testid="play"]')
    page.eval_on_selector('[data-testid="speed"]', "el => { el.value = el.max; el.dispatchEvent(new Event('input')); }")
    assert state(page, "s.speed") == "max"
    assert "speed=max" in page.url


@pytest.mark.parametrize(("name", "key"), [("laptop", "?"), ("laptop", "h"), ("projector", "?"), ("hd", "h")])
def test_question_mark_and_h_open_the_help_with_the_keys_and_a_legend(screen, name, key):
    page = screen(name)
    page.keyboard.press(key)
    helpbox = '[data-testid="help"]'
    assert page.is_visible(helpbox)
    text = page.inner_text(helpbox)
    for words in ("space", "step one sample", "projector", "Blue and orange", "Line width", "Small squares",
                  "✓ since 670", "“loss” and “error”", "Neuron fill"):
        assert words in text, words
    assert on_screen(page, helpbox)
    if name == "projector":
        assert page.evaluate(SMALL_TEXT, 16) == []
    page.keyboard.press("Escape")
    assert not page.is_visible(helpbox)


def test_on_a_tablet_the_help_button_opens_the_help(screen):
    page = screen("tablet")
    page.tap('[data-testid="help-button"]')
    assert page.is_visible('[data-testid="help"]')
    page.tap('[data-testid="help-close"]')
    assert not page.is_visible('[data-testid="help"]')
