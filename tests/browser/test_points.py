"""Changing the data and the network by hand, on the real page against the live server: a click on the plane adds
a point at the clicked coordinates (the server's dataset grows by exactly that point, the run goes on), and a value
typed into the UPDATE card's editor becomes exactly that weight or bias in the next snapshot."""
from __future__ import annotations

import pytest

HEAT = '[data-testid="heatmap"] canvas'
SET = '[data-testid="equations"] [data-testid="set-weight"]'


def click_plane(ui, fx, fy):
    """Click the plane at fractions (fx, fy) of its width and height (from the top left); the expected
    coordinates, rounded to two decimals as the page sends them."""
    box = ui.page.locator(HEAT).bounding_box()
    ext = ui.state("s.snapshot.boundary ? s.snapshot.boundary.extent : s.network.dataset.extent")
    x0, x1, y0, y1 = ext
    ui.page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
    return [round(x0 + fx * (x1 - x0), 2), round(y1 - fy * (y1 - y0), 2)]


@pytest.mark.parametrize("query, toggle, fx, fy, target", [
    ("preset=spiral", None, 0.25, 0.75, [1.0]),  # the toggle starts at class 1
    ("preset=spiral", "add-class-0", 0.8, 0.1, [0.0]),
    ("preset=regression-bumps", "add-value", 0.5, 0.3, [-1.5]),
])
def test_a_click_on_the_plane_adds_that_point_to_the_servers_dataset(ui, query, toggle, fx, fy, target):
    page = ui.open(query)
    ui.train_until(20)
    epoch = ui.state("s.snapshot.epoch")
    n = ui.state("s.network.dataset.n_samples")
    if toggle == "add-value":
        page.fill('[data-testid="add-value"]', str(target[0]))
    elif toggle:
        page.click(f'[data-testid="{toggle}"]')
    x = click_plane(ui, fx, fy)
    ui.wait_state(f"s.network.dataset.n_samples === {n + 1}")
    ds = ui.state("s.network.dataset")
    assert ds["X"][-1] == pytest.approx(x, abs=0.011) and ds["Y"][-1] == target
    assert ds["X"][:n] == ui.state("s.network.dataset.X.slice(0, -1)")
    page.wait_for_function("() => document.querySelector('[data-testid=point-status]')?.textContent !== ''")
    status = page.inner_text('[data-testid="point-status"]')
    assert status.startswith("Added (x₁ ") and f"{n + 1} training points (1 added by you)" in status
    assert f"the run goes on from epoch {epoch}" in status
    page.wait_for_selector(f'[data-testid="heatmap"][data-points="{n + 1}"][data-added="1"]')
    assert "Diamonds: the points you added." in page.inner_text('#heatmap-root .vis-caption')
    ui.train_until(epoch + 5)
    assert ui.state("s.snapshot.curve.data_changes") == [epoch]  # the same run, its curve marks the change
    assert ui.errors == []


def select_weight(ui, layer, i, j):
    ui.page.click(f'[data-testid="equations"] .vis-gcell[data-from="{i}"][data-to="{j}"]')
    ui.page.wait_for_function(
        f"() => document.querySelector('[data-testid=equations]')?.dataset.target === 'w:{layer}:{i}:{j}'")


def test_a_typed_weight_becomes_exactly_that_weight_in_the_next_snapshot(ui):
    page = ui.open("preset=spiral")
    ui.train_until(10)
    last = ui.state("s.snapshot.weights.length") - 1
    select_weight(ui, last, 2, 0)
    page.fill(f"{SET} input", "1.25")
    page.press(f"{SET} input", "Enter")
    ui.wait_state(f"s.snapshot.weights[{last}][2][0] === 1.25")
    page.wait_for_function("() => document.querySelector('[data-testid=set-weight-status]')?.textContent !== ''")
    epoch = ui.state("s.snapshot.epoch")
    assert page.inner_text('[data-testid="set-weight-status"]').startswith(
        f"w{last + 1} from 3 to 1 set to 1.25 at epoch {epoch}; every view now shows")
    page.wait_for_selector('[data-testid="equations"] [data-card="update"] [data-eq="w"][data-value="1.25"]')
    assert ui.errors == []


@pytest.mark.parametrize("typed, message", [
    ("abc", "value: 'abc' is not a finite number"),
    ("1e9", "value: 1000000000 is not a finite number"),
])
def test_a_bad_typed_weight_shows_the_servers_error_under_the_editor(ui, typed, message):
    page = ui.open("preset=spiral")
    last = ui.state("s.snapshot.weights.length") - 1
    select_weight(ui, last, 0, 0)
    before = ui.state(f"s.snapshot.weights[{last}][0][0]")
    page.fill(f"{SET} input", typed)
    page.click('[data-testid="set-weight-button"]')
    page.wait_for_selector('[data-testid="set-weight-status"].vis-error')
    assert page.inner_text('[data-testid="set-weight-status"]').startswith(message)
    assert ui.state(f"s.snapshot.weights[{last}][0][0]") == before


def test_a_typed_bias_becomes_exactly_that_bias_in_the_next_snapshot(ui):
    page = ui.open("preset=spiral")
    page.click('[data-neuron="1-2"] circle')  # hidden layer 1, neuron 3: its bias is biases[0][2]
    page.wait_for_function("() => document.querySelector('[data-testid=equations]')?.dataset.target === 'n:1:2'")
    page.fill(f"{SET} input", "-0.75")
    page.press(f"{SET} input", "Enter")
    ui.wait_state("s.snapshot.biases[0][2] === -0.75")
    page.wait_for_function("() => document.querySelector('[data-testid=set-weight-status]')?.textContent !== ''")
    assert page.inner_text('[data-testid="set-weight-status"]').startswith("b1 of neuron 3 set to −0.75 at epoch 0")
    assert ui.errors == []
