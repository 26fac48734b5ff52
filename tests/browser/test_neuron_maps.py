"""Each neuron's picture of its own output over the plane: a thumbnail by every hidden and output neuron, painted
from the server's map (``boundary.neurons``) pixel for pixel; hovering one shows it large in the heatmap panel; the
big view can be discretised to the two class colours."""
from __future__ import annotations

import pytest

MAPS = '[data-testid="neuron-map"]'
HEATMAP = '[data-testid="heatmap"]'

# Every pixel of every thumbnail against the server's value at that grid point, in the discs' own palette.
PIXELS_AGAINST_SERVER = """async () => {
  const { diverging } = await import('/static/lib/visual-kit.js');
  const maps = window.playground.state.snapshot.boundary.neurons;
  return [...document.querySelectorAll('[data-testid="neuron-map"]')].map((c) => {
    const [l, i] = c.dataset.neuron.split('-').map(Number);
    const values = maps.values[l - 1][i];
    const n = maps.n;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let wrong = 0;
    const colours = new Set();
    for (let r = 0; r < n; r++) for (let col = 0; col < n; col++) {
      const o = ((n - 1 - r) * n + col) * 4;
      const want = diverging(values[r][col]);
      if (want.some((ch, k) => ch !== d[o + k]) || d[o + 3] !== 255) wrong++;
      colours.add(`${d[o]},${d[o + 1]},${d[o + 2]}`);
    }
    const box = c.getBoundingClientRect();
    return { neuron: c.dataset.neuron, epoch: c.dataset.epoch, size: [c.width, c.height], wrong,
      colours: colours.size, visible: box.width > 10 && box.height > 10 };
  });
}"""

BIG_CANVAS = """(el) => { const c = el.querySelector('canvas');
  return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data); }"""


def class_colour_share(page):
    """The share of the big view's pixels that are exactly one of the two (lightened) class colours."""
    return page.eval_on_selector(HEATMAP, """async (el) => {
      const { diverging } = await import('/static/lib/visual-kit.js');
      const tone = (t) => diverging(t).map((ch) => Math.round(ch + (255 - ch) * 0.38));
      const classes = [tone(-1), tone(1)];
      const c = el.querySelector('canvas');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let hits = 0;
      for (let k = 0; k < d.length; k += 4)
        if (classes.some((t) => t.every((ch, j) => Math.abs(ch - d[k + j]) <= 1))) hits++;
      return hits / (d.length / 4); }""")


@pytest.mark.parametrize("preset, epochs", [("spiral", 150), ("overfitting", 100), ("circle-features", 20)])
def test_every_hidden_and_output_neuron_shows_the_servers_map_of_its_output(ui, preset, epochs):
    page = ui.open(f"preset={preset}")
    ui.train_until(epochs)
    ui.wait_state("s.snapshot.boundary && s.snapshot.boundary.epoch === s.snapshot.epoch")
    epoch = ui.state("s.snapshot.epoch")
    page.wait_for_function(f"() => [...document.querySelectorAll('{MAPS}')].every(c => c.dataset.epoch === '{epoch}')")
    sizes = ui.state("s.network.sizes")
    pics = page.evaluate(PIXELS_AGAINST_SERVER)
    assert [p["neuron"] for p in pics] == [f"{l}-{i}" for l in range(1, len(sizes)) for i in range(sizes[l])]
    for p in pics:
        assert p["size"] == [16, 16] and p["wrong"] == 0 and p["visible"], p
        assert p["colours"] > 4, p  # a picture of the plane, not one flat colour
    assert ui.errors == []


@pytest.mark.parametrize("preset", ["letters", "sine-curve"])
def test_datasets_that_are_not_2d_have_no_neuron_pictures(ui, preset):
    page = ui.open(f"preset={preset}")
    assert page.locator(MAPS).count() == 0


def test_hovering_a_neurons_picture_shows_its_map_large_until_the_pointer_leaves(ui):
    page = ui.open("preset=spiral")
    ui.train_until(100)
    page.wait_for_selector(f'{HEATMAP}[data-view="boundary"][data-n="40"]')
    whole = page.eval_on_selector(HEATMAP, BIG_CANVAS)
    page.hover(f'{MAPS}[data-neuron="1-2"]')
    page.wait_for_selector(f'{HEATMAP}[data-view="neuron 1-2"][data-n="16"]')
    assert ui.state("s.neuronMap") == {"layer": 1, "index": 2}
    assert "neuron 3 of hidden layer 1's own output" in page.inner_text(".vis-heatmap .vis-caption")
    assert page.eval_on_selector(HEATMAP, BIG_CANVAS) != whole
    page.hover(f'{MAPS}[data-neuron="3-0"]')
    page.wait_for_selector(f'{HEATMAP}[data-view="neuron 3-0"]')
    assert "output neuron 1's own output" in page.inner_text(".vis-heatmap .vis-caption")
    page.mouse.move(5, 5)
    page.wait_for_selector(f'{HEATMAP}[data-view="boundary"][data-n="40"]')
    assert ui.state("s.neuronMap") is None
    assert page.eval_on_selector(HEATMAP, BIG_CANVAS) == whole  # the same epoch's boundary, as before the hover
    assert ui.errors == []


def test_discretise_paints_the_plane_in_the_two_class_colours_only(ui):
    page = ui.open("preset=spiral")  # epoch 0: the output is near 0.5 everywhere, so almost no pixel is a class colour
    page.wait_for_selector(f'{HEATMAP}[data-view="boundary"][data-n="40"]')
    smooth = class_colour_share(page)
    page.check('[data-testid="discretise"]')
    page.wait_for_selector(f'{HEATMAP}[data-view="discrete"]')
    discrete = class_colour_share(page)
    assert smooth < 0.1 < 0.6 < discrete, (smooth, discrete)
    assert "the class the network gives each point" in page.inner_text(".vis-heatmap .vis-caption")
    page.uncheck('[data-testid="discretise"]')
    page.wait_for_selector(f'{HEATMAP}[data-view="boundary"]')
    assert ui.errors == []


def test_regression_has_no_classes_to_discretise(ui):
    page = ui.open("preset=regression-bumps")
    page.wait_for_selector(f'{HEATMAP}[data-view="surface"]')
    assert not page.is_visible('[data-testid="discretise"]')
