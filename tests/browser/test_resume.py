"""A reload keeps the run (epoch, weights, curve, selection, config); a reset of a long run can be undone."""
from __future__ import annotations

import pytest

from app.hub import AWAY
from app.session import UNDO_FROM
from tests.support.shown import count


def test_a_reload_gets_the_same_run_back(ui):
    page = ui.open("preset=letters&lr=0.5")
    ui.train_until(400)
    page.locator('[data-testid="network"] [data-neuron]').nth(31).click()  # the first hidden neuron
    selection = ui.state("s.selection")
    assert selection is not None
    epoch, weights, points = ui.epoch(), ui.state("s.snapshot.weights"), ui.state("s.snapshot.curve.epochs.length")

    page.reload()
    page.wait_for_function("() => window.playground.state.snapshot !== null")

    ui.wait_state(f"s.snapshot.epoch === {epoch} && s.status && s.status.epoch === {epoch}")
    page.wait_for_function(f"() => document.querySelector('[data-testid=epoch]')?.dataset.value === '{epoch}'")
    assert ui.state("s.snapshot.weights") == weights
    assert ui.state("s.snapshot.curve.epochs.length") == points
    assert ui.state("s.network.config.lr") == 0.5
    assert ui.state("s.status.state") == "paused" and ui.state("s.status.reason") in ("", AWAY)
    assert ui.state("s.selection") == selection
    page.click('[data-testid="step"]')  # and it goes on from there
    page.wait_for_function(f"() => document.querySelector('[data-testid=epoch]')?.dataset.value === '{epoch + 1}'")
    assert ui.errors == []


def test_another_address_in_the_same_tab_starts_that_setup_not_the_old_run(ui):
    """A link reproduces its setup even in a tab that had a run: only a reload (the same address) resumes."""
    ui.open("preset=letters")
    ui.train_until(50)
    page = ui.open("preset=spiral")
    ui.wait_state("s.network && s.network.preset.name === 'spiral' && s.snapshot !== null")
    assert ui.epoch() == 0 and "preset=spiral" in page.url


def test_another_tab_starts_its_own_run(ui, page):
    ui.open("preset=letters")
    ui.train_until(50)
    other = page.context.new_page()
    other.goto("/?preset=letters")
    other.wait_for_function("() => window.playground.state.snapshot !== null")
    assert other.evaluate("() => window.playground.state.snapshot.epoch") == 0
    assert ui.epoch() >= 50
    other.close()


def test_r_on_a_long_run_offers_undo_and_undo_brings_the_run_back(ui, tmp_path):
    page = ui.open("preset=letters")
    ui.train_until(UNDO_FROM + 100)
    epoch, weights, points = ui.epoch(), ui.state("s.snapshot.weights"), ui.state("s.snapshot.curve.epochs.length")
    toast = page.locator('[data-testid="undo-toast"]')
    assert toast.is_hidden()

    page.keyboard.press("r")

    toast.wait_for(state="visible")
    page.wait_for_function("() => document.querySelector('[data-testid=epoch]')?.dataset.value === '0'")
    assert toast.get_attribute("data-epoch") == str(epoch)
    assert toast.inner_text().startswith(f"Reset to epoch 0. The run you left at epoch {count(epoch)} is kept.")
    box = toast.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= 1280 and box["y"] + box["height"] <= 720
    page.screenshot(path=str(tmp_path / "undo-reset.png"))

    page.click('[data-testid="undo"]')

    toast.wait_for(state="hidden")
    page.wait_for_function(f"() => document.querySelector('[data-testid=epoch]')?.dataset.value === '{epoch}'")
    assert ui.state("s.snapshot.weights") == weights and ui.state("s.snapshot.curve.epochs.length") == points
    assert ui.errors == []


def test_r_early_in_a_run_just_resets(ui):
    page = ui.open("preset=letters")
    page.click('[data-testid="step"]')
    page.wait_for_function("() => document.querySelector('[data-testid=epoch]')?.dataset.value === '1'")
    page.keyboard.press("r")
    page.wait_for_function("() => document.querySelector('[data-testid=epoch]')?.dataset.value === '0'")
    assert page.locator('[data-testid="undo-toast"]').is_hidden()


@pytest.mark.parametrize("width, height, touch, projector", [
    (1280, 720, False, False), (1280, 720, False, True), (1920, 1080, False, False), (1024, 768, True, False)])
def test_the_undo_toast_is_on_screen_and_readable(browser, live_server, width, height, touch, projector):
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=touch, is_mobile=touch,
                                  base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto("/?preset=xor-3-4-1" + ("&projector=1" if projector else ""))
        page.wait_for_function("() => window.playground.state.snapshot !== null")
        page.evaluate(f"() => window.playground.send('start', {{speed: 'max', until: {UNDO_FROM + 10}}})")
        page.wait_for_function(f"() => window.playground.state.status?.epoch === {UNDO_FROM + 10}")
        page.evaluate("() => window.playground.actions.reset()")
        toast = page.locator('[data-testid="undo-toast"]')
        toast.wait_for(state="visible")
        box = toast.bounding_box()
        assert box["x"] >= 0 and box["y"] >= 0
        assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height
        size = page.eval_on_selector('[data-testid="undo-toast"]', "e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 16
        undo = page.locator('[data-testid="undo"]').bounding_box()
        assert undo["x"] + undo["width"] <= width and undo["height"] >= 24  # a finger can hit it
    finally:
        context.close()
