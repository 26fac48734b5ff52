"""The playground page in headless Chromium against the live server: loading, training, stepping, replay."""
from __future__ import annotations

import pytest

from tests.support.letters import LETTER_A


def test_the_page_loads_with_no_console_errors_and_every_view_mounted(ui):
    page = ui.open("preset=letters")
    page.wait_for_selector('[data-testid="equations"] [data-eq="w"], [data-testid="equations"] [data-eq="a"]')
    assert page.locator("[data-neuron]").count() == 30 + 5 + 3
    assert page.locator("[data-weight]").count() == 30 * 5 + 5 * 3
    assert page.locator(".module-missing").count() == 0
    assert page.locator('[data-testid="draw-grid"] [data-cell]').count() == 30
    assert page.inner_text('[data-testid="status"]') == "Ready"
    assert page.errors == []


def test_the_page_loads_nothing_from_outside(ui, live_server):
    page = ui.open("preset=letters")
    page.wait_for_selector('[data-testid="equations"] .katex')
    outside = [u for u in page.requests if not u.startswith((live_server.url, "data:", "ws://127.0.0.1"))]
    assert outside == []
    assert any(u.endswith("/static/vendor/katex/katex.mjs") for u in page.requests)


def test_training_advances_the_epoch_and_pausing_stops_it(ui):
    page = ui.open("preset=letters")
    assert ui.epoch() == 0
    ui.train_until(50)
    stopped = ui.epoch()
    assert stopped >= 50
    assert page.get_attribute('[data-testid="play"]', "data-state") == "paused"
    assert page.inner_text('[data-testid="status"]').startswith("Paused")
    page.wait_for_timeout(300)
    assert ui.epoch() == stopped
    assert page.errors == []


def test_after_training_letters_drawing_an_a_predicts_a(ui):
    page = ui.open("preset=letters")
    ui.train_until(300)
    cells = page.locator('[data-testid="draw-grid"] [data-cell]')
    for k, on in enumerate(LETTER_A):
        if on:
            cells.nth(k).click()
    page.wait_for_function("() => document.querySelector('[data-testid=prediction]')?.textContent.trim() === 'A'")
    assert page.errors == []


def test_step_sample_animates_the_four_phases_with_nonzero_deltas(ui):
    page = ui.open("preset=letters")
    page.click('[data-testid="step-sample"]')
    net = '[data-testid="network"]'
    page.wait_for_selector(f'{net}[data-phase="forward"]')
    page.wait_for_selector(f'{net}[data-phase="backward"]')
    deltas = [float(d) for d in page.eval_on_selector_all(
        "[data-neuron][data-delta]", "els => els.map(e => e.dataset.delta).filter(d => d !== '')")]
    assert deltas and any(d != 0 for d in deltas)
    assert "Backward" in page.inner_text('[data-testid="phase-caption"]')
    page.wait_for_selector(f'{net}[data-phase="idle"]', timeout=10_000)
    assert page.get_attribute(net, "data-phase-log") == "forward loss backward update"
    trace = ui.state("s.trace")
    assert trace["index"] == 0 and trace["epoch"] == 0
    assert page.errors == []


def test_seek_replays_an_earlier_epoch(ui):
    page = ui.open("preset=letters")
    ui.train_until(200)
    page.eval_on_selector('[data-testid="timeline"]',
                          "el => { el.value = '40'; el.dispatchEvent(new Event('change')); }")
    page.wait_for_function("() => window.playground.state.snapshot.replay === true")
    replayed = ui.state("s.snapshot.epoch")
    assert replayed <= 40
    page.wait_for_function(f"() => document.querySelector('[data-testid=epoch]')?.dataset.value === '{replayed}'")
    assert ui.state("s.live") is False
    assert "replay" in page.inner_text('[data-testid="status"]')
    assert page.errors == []


@pytest.mark.parametrize("weight", ["1-2-0", "0-12-3"])
def test_the_equations_show_the_servers_numbers_for_the_clicked_weight(ui, weight):
    page = ui.open("preset=letters")
    ui.train_until(20)
    # click the middle of the link's hit path (a curve: its bounding-box centre may miss it)
    x, y = page.eval_on_selector(f'[data-hit="{weight}"]', """el => {
        const p = el.getPointAtLength(el.getTotalLength() / 2), m = el.getScreenCTM();
        return [p.x * m.a + p.y * m.c + m.e, p.x * m.b + p.y * m.d + m.f]; }""")
    page.mouse.click(x, y)
    sel = ui.state("s.selection")
    assert sel["kind"] == "weight"
    eq = '[data-testid="equations"]'
    page.wait_for_selector(f'{eq} [data-eq="w"]')
    snap = ui.state("s.snapshot")
    l, i, j = sel["layer"], sel["from"], sel["to"]

    def shown(name):
        return float(page.get_attribute(f'{eq} [data-eq="{name}"]', "data-value"))

    assert shown("w") == pytest.approx(snap["weights"][l][i][j], rel=1e-12, abs=1e-15)
    assert shown("grad_w") == pytest.approx(snap["gradients"]["weights"][l][i][j], rel=1e-12, abs=1e-15)
    assert shown("eta") == pytest.approx(snap["eta"])
    assert page.errors == []


def test_keyboard_steps_resets_and_toggles_play(ui):
    page = ui.open("preset=xor-3-4-1")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('[data-testid=epoch]')?.dataset.value === '1'")
    first = ui.state("s.snapshot.weights")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('[data-testid=epoch]')?.dataset.value === '2'")
    page.keyboard.press("r")
    page.wait_for_function("() => document.querySelector('[data-testid=epoch]')?.dataset.value === '0'")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('[data-testid=epoch]')?.dataset.value === '1'")
    assert ui.state("s.snapshot.weights") == first  # reset: same seed, same start, same first step
    page.keyboard.press(" ")
    page.wait_for_selector('[data-testid="play"][data-state="playing"]')
    page.keyboard.press(" ")
    page.wait_for_selector('[data-testid="play"][data-state="paused"]')
    ui.wait_state("s.status.state === 'paused'")
    assert page.errors == []


def test_the_slowest_speed_plays_one_animated_sample_after_another(ui):
    page = ui.open("preset=xor-3-4-1")
    page.eval_on_selector('[data-testid="speed"]', "el => { el.value = '0'; el.dispatchEvent(new Event('input')); }")
    assert ui.state("s.speed") == "sample"
    page.click('[data-testid="play"]')
    ui.wait_state("s.trace && s.trace.index === 1")  # the second sample: the loop asked for the next one itself
    assert ui.state("s.playing") is True
    page.click('[data-testid="play"]')
    page.wait_for_selector('[data-testid="network"][data-phase="idle"]')
    assert "speed=sample" in page.url
    assert page.errors == []


def test_hovering_a_neuron_shows_its_numbers_and_the_layer_buttons_reshape_the_network(ui):
    page = ui.open("preset=xor-3-4-1")
    page.hover('[data-neuron="1-2"] circle')
    tip = page.locator(".net-tooltip")
    tip.wait_for()
    a = ui.state("s.snapshot.activations[1][0][2]")
    assert "neuron 3 of the hidden layer 1" in tip.inner_text()
    assert f"{a:.4f}"[:5].replace("-", "−") in tip.inner_text()
    page.click('[data-act="layer+"]')
    ui.wait_state("s.network.sizes.length === 4")
    assert ui.state("s.network.sizes") == [3, 4, 4, 1]
    page.click('.layer-chip button[data-act="+"][data-layer="1"]')
    ui.wait_state("s.network.sizes[2] === 5")
    assert "layers=4,5" in page.url
    assert page.errors == []


def test_divergence_is_said_in_words_and_stops_play(ui):
    page = ui.open("preset=letters&activation=linear&lr=50")
    page.click('[data-testid="play"]')
    status = page.locator('[data-testid="status"][data-state="diverged"]')
    status.wait_for()
    reason = ui.state("s.status.reason")
    assert reason and status.inner_text() == f"Diverged — {reason}. Lower η and press reset."
    page.wait_for_selector('[data-testid="play"][data-state="paused"]')
    assert page.errors == []
