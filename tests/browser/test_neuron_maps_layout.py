"""The neuron pictures on every classroom screen (1280×720 laptop and projector, 1920×1080, 1024×768 touch): each
inside the viewport and the diagram's box, none on a neuron's disc, bias square, label or another picture, and
large enough to read; while δ is written beside the discs they move aside; on a touch screen a tap shows one large.
Where a column is crowded (16 neurons and more, the largest network allowed) see test_neuron_maps_fit.py."""
from __future__ import annotations

import pytest
from test_layout import SCREENS, screen  # noqa: F401  (registers test_layout's fixture here)

from tests.browser.test_neuron_maps_fit import LAYOUT as FIT_LAYOUT

MAPS = '[data-testid="neuron-map"]'
HEATMAP = '[data-testid="heatmap"]'

# Every picture's box, and what it overlaps: the diagram's texts (titles, values, δ, names, the loss), discs and
# bias squares, and the other pictures (test_neuron_maps_fit.py's measure, strict: off every disc too).
LAYOUT = f"() => ({FIT_LAYOUT})(true)"


@pytest.fixture
def at(request):
    """``at(name, query)``: a page at one of test_layout's SCREENS (its ``screen`` fixture)."""
    return request.getfixturevalue("screen")


def pictures(sizes):
    return sorted(f"{l}-{i}" for l in range(1, len(sizes)) for i in range(sizes[l]))


@pytest.mark.parametrize("name", list(SCREENS))
@pytest.mark.parametrize("preset, least", [("spiral", 24), ("overfitting", 14)])  # 8 and 16 neurons a layer
def test_every_picture_fits_the_diagram_off_its_labels_and_large_enough_to_read(at, name, preset, least):
    page = at(name, f"preset={preset}")
    page.wait_for_selector(f"{MAPS}[data-epoch]")
    sizes = page.evaluate("() => window.playground.state.network.sizes")
    got = page.evaluate(LAYOUT)
    assert sorted(got["names"]) == pictures(sizes)
    assert got["outside"] == [] and got["overlaps"] == []
    assert all(w == h >= least for w, h in got["sides"]), got["sides"]


@pytest.mark.parametrize("name", list(SCREENS))
@pytest.mark.parametrize("preset", ["spiral", "regression-bumps"])  # 8 neurons a layer: under its δ label, smaller
def test_while_delta_is_written_beside_the_discs_the_pictures_move_aside(at, name, preset):
    page = at(name, f"preset={preset}")
    page.wait_for_selector(f"{MAPS}[data-epoch]")
    sizes = page.evaluate("() => window.playground.state.network.sizes")
    page.click('[data-show="delta"]')
    page.wait_for_function("() => [...document.querySelectorAll('.neuron .delta')].some((t) => t.textContent)")
    got = page.evaluate(LAYOUT)
    assert sorted(got["names"]) == pictures(sizes)
    assert got["outside"] == [] and got["overlaps"] == []
    assert all(w == h >= 10 for w, h in got["sides"]), got["sides"]
    page.click('[data-show="a"]')
    page.wait_for_function("() => ![...document.querySelectorAll('.neuron .delta')].some((t) => t.textContent)")
    got = page.evaluate(LAYOUT)
    assert sorted(got["names"]) == pictures(sizes) and got["overlaps"] == []


def test_on_a_touch_screen_a_tap_shows_a_picture_large_and_a_second_tap_hides_it(at):
    page = at("tablet", "preset=spiral")
    page.wait_for_selector(f"{MAPS}[data-epoch]")
    page.tap(f'{MAPS}[data-neuron="1-2"]')
    page.wait_for_selector(f'{HEATMAP}[data-view="neuron 1-2"]')
    assert page.evaluate("() => window.playground.state.neuronMap") == {"layer": 1, "index": 2}
    page.tap(f'{MAPS}[data-neuron="1-2"]')
    page.wait_for_selector(f'{HEATMAP}[data-view="boundary"]')
    assert page.evaluate("() => window.playground.state.neuronMap") is None
