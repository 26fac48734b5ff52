"""On a projector a card of equations is open from the start: a teacher projecting never sees an empty-looking
column. Beside the data panel the column shows the card of what the network is doing (the output error, BP1, while
it is paused or training; the step-sample phase's card while a sample is stepped through), whole on the first screen
at 1280×720 and 1920×1080, with the server's numbers; once the learner opens a card, theirs stays."""
from __future__ import annotations

import pytest

from tests.browser.test_layout import BOX, OFF_SCREEN, SMALL_TEXT
from tests.browser.test_screens import CLIPPED, visible_cards
from tests.support.browser import watched_page

SCREENS = {"projector": {"width": 1280, "height": 720}, "hd-projector": {"width": 1920, "height": 1080}}
EQ = '[data-testid="equations"]'

# The shown BP1 card's numbers ({data-eq: [values]}) and the server's for the same sample (the snapshot as received:
# the output layer's a, ∂C/∂a and δ of the sample's row, and its target y).
BP1_AND_SERVER = """() => {
  const root = document.querySelector('[data-testid=equations]'), s = window.playground.state;
  const shown = {};
  for (const e of root.querySelectorAll('[data-card=bp1][data-shown] [data-eq]'))
    (shown[e.dataset.eq] ??= []).push(Number(e.dataset.value));
  const snap = s.snapshot, L = snap.activations.length - 1, sample = Number(root.dataset.sample);
  const row = (snap.samples || snap.activations[0].map((_, i) => i)).indexOf(sample);
  return { shown, sample, row, server: { a: snap.activations[L][row][0], grad_a: snap.cost_derivative[row][0],
    delta: snap.deltas[L - 1][row][0], y: s.network.dataset.Y[sample][0] } };
}"""

@pytest.fixture
def projected(browser, live_server):
    """``projected(screen, query)`` → a solo page in projector mode at one of SCREENS, its first snapshot drawn."""
    contexts = []

    def open_(name, query="preset=letters"):
        context = browser.new_context(viewport=SCREENS[name], base_url=live_server.url)
        contexts.append(context)
        page = watched_page(context)
        page.goto(f"/?{query}&projector=1")
        page.wait_for_selector('[data-testid="network"] [data-neuron]')
        page.wait_for_function("() => window.playground.state.snapshot !== null")
        return page

    yield open_
    for c in contexts:
        c.close()


@pytest.mark.parametrize("name", list(SCREENS))
def test_a_paused_network_shows_the_output_error_card_whole_beside_the_data_with_the_servers_numbers(projected, name):
    page = projected(name)
    shown = f'{EQ}[data-beside="bp1"]:not([data-open]) [data-card="bp1"][data-shown]'
    page.wait_for_selector(f"{shown} .katex [data-eq=delta]")  # typeset with its numbers
    assert visible_cards(page) == ["bp1"]
    assert page.get_attribute(f'{EQ} [data-tab="bp1"]', "aria-selected") == "true"
    v = page.evaluate(BP1_AND_SERVER)
    assert (v["sample"], v["row"]) == (0, 0)
    assert set(v["shown"]) == {"a", "y", "grad_a", "sigma_prime", "delta"}  # MSE after a sigmoid: ∂C/∂a ⊙ σ′(z)
    assert {key: set(v["shown"][key]) for key in v["server"]} == {key: {value} for key, value in v["server"].items()}
    assert page.evaluate(OFF_SCREEN, [shown, '[data-testid="draw-grid"]', '[data-testid="prediction"]',
                                      '[data-testid="add-example"][data-label="C"]', '[data-testid="network"]',
                                      '[data-testid="play"]', '[data-testid="step-sample"]']) == []
    assert page.eval_on_selector(shown, CLIPPED) == []
    card = page.eval_on_selector(shown, BOX)
    panel = page.eval_on_selector(".panel-maths", BOX)
    assert panel[0] <= card[0] and card[2] <= panel[2] and panel[1] <= card[1] and card[3] <= panel[3]
    assert page.evaluate("() => window.scrollY") == 0
    assert page.evaluate(SMALL_TEXT, 16) == []
    assert page.errors == []


def test_a_weight_picked_under_the_card_brings_its_card_back_into_view_without_scrolling_the_page(projected):
    page = projected("projector")
    page.wait_for_selector(f'{EQ}[data-beside="bp1"] [data-card="bp1"][data-shown]')
    page.click('[data-testid="weight-chips"] .eq-chip[data-kind="weight"]')  # under the card, in the panel
    page.wait_for_function("() => window.playground.state.selection?.kind === 'weight'")
    shown = f'{EQ}[data-beside="bp1"][data-target^="w:"] [data-card="bp1"][data-shown]'
    page.wait_for_function("""(s) => { const e = document.querySelector(s); if (!e) return false;
      const r = e.getBoundingClientRect();
      const p = document.querySelector('.panel-maths .panel-body').getBoundingClientRect();
      return r.top >= p.top && r.bottom <= p.bottom; }""", arg=shown)
    assert page.evaluate(OFF_SCREEN, [shown, f'{EQ} [data-tab="bp4"]']) == []
    assert page.evaluate("() => window.scrollY") == 0
    assert page.errors == []


def test_without_a_choice_the_card_follows_the_step_sample_phase(projected):
    page = projected("hd-projector")
    page.wait_for_selector(f'{EQ}[data-beside="bp1"]')
    page.evaluate("() => { window.playground.state.phaseScale = 2; }")
    page.click('[data-testid="step-sample"]')
    page.wait_for_selector(f'{EQ}[data-mode="trace"]')
    for phase, card in [("forward", "forward"), ("loss", "bp1"), ("update", "bp1")]:  # a neuron has no update card
        page.wait_for_selector(f'[data-testid="network"][data-phase="{phase}"]')
        page.wait_for_selector(f'{EQ}[data-beside="{card}"] [data-card="{card}"][data-shown]')
        assert visible_cards(page) == [card]
    assert page.errors == []


@pytest.mark.parametrize("name", list(SCREENS))
def test_the_learners_card_stays_once_chosen(projected, name):
    page = projected(name)
    page.wait_for_selector(f'{EQ}[data-beside="bp1"]')
    page.click(f'{EQ} [data-tab="forward"]')  # opened large, in the data panel's place
    page.wait_for_selector(f'{EQ}[data-open="forward"] [data-card="forward"][data-shown]')
    assert not page.is_visible('[data-testid="draw-grid"]')
    page.click(f'{EQ} [data-tab=""]')  # "◂ data": the pad comes back, the learner's card stays beside it
    page.wait_for_selector(f'{EQ}[data-beside="forward"]:not([data-open]) [data-card="forward"][data-shown]')
    page.click('[data-testid="step"]')  # the network moves on: still the learner's card
    page.wait_for_function(f"() => document.querySelector('{EQ} .vis-eq-sample')?.textContent.includes(' · epoch 1')")
    assert visible_cards(page) == ["forward"]
    assert page.evaluate(OFF_SCREEN, [f'{EQ} [data-card="forward"]', '[data-testid="draw-grid"]']) == []
    assert page.errors == []
