"""The solo page's "Add to training set as …": the drawing joins the training set and training restarts on it."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

A_CELLS = (2, 3, 7, 10, 12, 13, 14, 15, 16, 17, 18, 23, 24, 29)  # an A on the 5×6 pad
IMAGES = '[data-testid="training-images"] [data-sample]'


def stored_letters(live_server):
    return len(live_server.get("/api/examples?dataset=letters")["examples"])


def test_adding_a_drawing_puts_it_in_the_training_set_and_restarts(ui, live_server):
    page = ui.open("preset=letters")
    before = 3 + stored_letters(live_server)  # the live server is shared: earlier tests may have stored drawings
    assert page.locator(IMAGES).count() == 3  # examples is off until the page adds one
    page.click('[data-testid="step"]')
    page.wait_for_function("() => document.querySelector('[data-testid=epoch]').dataset.value === '1'")
    for k in A_CELLS:
        page.locator('[data-testid="draw-grid"] [data-cell]').nth(k).click()

    page.click('[data-testid="add-example"][data-label="A"]')
    page.wait_for_selector('[data-testid="add-status"][data-state="ok"]')

    n = before + 1
    assert stored_letters(live_server) == n - 3
    assert page.inner_text('[data-testid="add-status"]') == (
        f"Added as A — training set now {n} images; restarted from epoch 0")
    assert page.locator(IMAGES).count() == n
    assert ui.state("s.network.dataset.n_samples") == n
    assert ui.state("s.network.config.examples") is True
    newest = page.locator(IMAGES).nth(n - 1)
    assert newest.get_attribute("data-label") == "A"
    assert ui.state(f"s.network.dataset.X[{n - 1}]") == [1.0 if k in A_CELLS else 0.0 for k in range(30)]
    assert ui.epoch() == 0
    assert parse_qs(urlparse(page.url).query)["examples"] == ["1"]

    page.click('[data-testid="step"]')  # it trains on the bigger set: one output row per training image
    page.wait_for_function("() => document.querySelector('[data-testid=epoch]').dataset.value === '1'")
    ui.wait_state(f"s.snapshot.outputs.length === {n}")
    assert page.locator(f'{IMAGES}[data-correct]').count() == n
    assert ui.errors == []
