"""Every neuron picture shows, on every classroom screen (1280×720, 1920×1080, 1024×768 touch, each also in
projector mode), for every 2-D preset, a layer of 16 and the widest and deepest network the settings allow (six
hidden layers of 64): inside the diagram and the window, with a size, off the δ labels and off the other pictures,
whether the diagram writes a (the pictures beside the discs: off every disc, square and text too) or δ (beside its
δ label, left of its disc, or on its own disc where the column has no room left). While the network trains, no
picture is one flat colour where the server's map of that neuron is not; a picture too small to read shows large on
hover or tap, and a click selects its neuron."""
from __future__ import annotations

import pytest

from engine.checks import MAX_HIDDEN_LAYERS, MAX_WIDTH
from tests.browser import test_layout
from tests.support.browser import watched_page

# test_layout's screens (laptop, projector, hd, tablet), and projector mode on the large screen and the tablet too
SCREENS = {**test_layout.SCREENS, "projector-hd": ({"width": 1920, "height": 1080}, False, True),
           "projector-tablet": ({"width": 1024, "height": 768}, True, True)}

MAPS = '[data-testid="neuron-map"]'
HEATMAP = '[data-testid="heatmap"]'
LOADED = 60_000  # ms: six layers of 64 on a loaded machine draw and train slowly; each wait ends when it is seen
WIDEST = ",".join([str(MAX_WIDTH)] * MAX_HIDDEN_LAYERS)
NETWORKS = {  # what the diagram draws: every 2-D preset, one hidden layer of 16, the largest network allowed
    "spiral": "preset=spiral",
    "moons": "preset=binary-2-5-5-1",
    "circles": "preset=circle-features",
    "overfitting": "preset=overfitting",
    "bumps": "preset=regression-bumps",
    "sixteen": "preset=spiral&layers=16",
    "widest": f"preset=spiral&layers={WIDEST}",
}

# Every shown picture's box and what it lands on, measured in one task. `strict`: the a view, where a picture
# keeps off every disc, bias square and text; else (δ written) off every text and bias square.
LAYOUT = """(strict) => {
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const net = document.querySelector('[data-testid="network"]');
  const all = [...document.querySelectorAll('[data-testid="neuron-map"]')];
  const maps = all.filter((c) => c.getClientRects().length && getComputedStyle(c).visibility !== 'hidden')
    .map((c) => ({ name: c.dataset.neuron, box: box(c) }));
  const marks = [...net.querySelectorAll(strict ? 'text, circle, rect' : 'text, rect.bias')]
    .map((e) => ({ e, box: box(e) }))
    .filter(({ e, box: b }) => b[2] > b[0] && b[3] > b[1] && getComputedStyle(e).visibility !== 'hidden'
      && (e.tagName !== 'text' || e.textContent.trim()))
    .map(({ e, box: b }) => ({ name: `${e.tagName}.${e.getAttribute('class')} ${e.textContent.trim()}`, box: b }));
  const hit = (a, b) => a[0] < b[2] - 0.5 && b[0] < a[2] - 0.5 && a[1] < b[3] - 0.5 && b[1] < a[3] - 0.5;
  const overlaps = [];
  for (const m of maps) {
    for (const k of marks) if (hit(m.box, k.box)) overlaps.push(`${m.name} on ${k.name}`);
    for (const o of maps) if (m.name < o.name && hit(m.box, o.box)) overlaps.push(`${m.name} on picture ${o.name}`);
  }
  const n = box(net);
  const outside = maps.filter(({ box: b }) => b[0] < Math.max(0, n[0]) || b[1] < Math.max(0, n[1])
    || b[2] > Math.min(innerWidth, n[2]) || b[3] > Math.min(innerHeight, n[3])).map((m) => m.name);
  const deltas = [...net.querySelectorAll('.neuron .delta')].filter((t) => t.textContent.trim()).length;
  return { all: all.length, names: maps.map((m) => m.name).sort(), deltas, overlaps, outside,
    sides: maps.map(({ box: b }) => [Math.round(b[2] - b[0]), Math.round(b[3] - b[1])]) };
}"""

# Each picture's colours against its server map: how many colours it shows, and whether the server's values for
# it span more than one colour of the discs' palette (then one flat colour is a blank picture, not a flat map).
COLOURS = """async () => {
  const { diverging } = await import('/static/lib/visual-kit.js');
  const s = window.playground.state;
  const maps = s.snapshot.boundary.neurons;
  const key = (c) => c.join(',');
  return { epoch: s.snapshot.epoch, pictures: [...document.querySelectorAll('[data-testid="neuron-map"]')].map((c) => {
    const [l, i] = c.dataset.neuron.split('-').map(Number);
    const wanted = new Set(maps.values[l - 1][i].flat().map((v) => key(diverging(v))));
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const shown = new Set();
    for (let k = 0; k < d.length; k += 4) shown.add(`${d[k]},${d[k + 1]},${d[k + 2]}`);
    const r = c.getBoundingClientRect();
    return { name: c.dataset.neuron, painted: c.dataset.epoch !== undefined && c.dataset.epoch !== '',
      shown: shown.size, wanted: wanted.size, width: r.width };
  }) };
}"""


@pytest.fixture
def screen(browser, live_server):
    """``screen(name, query)`` → a page at one of SCREENS with its diagram drawn from the first snapshot."""
    contexts = []

    def open_(name, query):
        viewport, touch, projector = SCREENS[name]
        context = browser.new_context(viewport=viewport, has_touch=touch, is_mobile=False, base_url=live_server.url)
        contexts.append(context)
        page = watched_page(context)
        page.goto(f"/?{query}{'&projector=1' if projector else ''}")
        page.wait_for_selector('[data-testid="network"] [data-neuron]', timeout=LOADED)
        page.wait_for_function("() => window.playground.state.snapshot !== null", timeout=LOADED)
        return page

    yield open_
    for c in contexts:
        c.close()


def pictures(sizes):
    return sorted(f"{l}-{i}" for l in range(1, len(sizes)) for i in range(sizes[l]))


def shown_as(page, view):
    """Switches the diagram to writing a or δ beside the discs and waits until it does (δ labels there or gone)."""
    page.click(f'[data-show="{view}"]')
    any_delta = "[...document.querySelectorAll('.neuron .delta')].some((t) => t.textContent)"
    page.wait_for_function(f"() => {'' if view == 'delta' else '!'}{any_delta}", timeout=LOADED)


@pytest.mark.parametrize("name", list(SCREENS))
@pytest.mark.parametrize("network", list(NETWORKS))
def test_every_picture_shows_inside_the_diagram_off_the_delta_labels_and_the_other_pictures(screen, name, network):
    page = screen(name, NETWORKS[network])
    page.wait_for_selector(f"{MAPS}[data-epoch]", timeout=LOADED)
    sizes = page.evaluate("() => window.playground.state.network.sizes")
    for view in ("a", "delta"):
        shown_as(page, view)
        got = page.evaluate(LAYOUT, view == "a")
        assert got["names"] == pictures(sizes), (view, got["all"], len(got["names"]))
        assert got["outside"] == [], (view, got["outside"])
        assert got["overlaps"] == [], (view, got["overlaps"][:10])
        assert all(w == h >= 2 for w, h in got["sides"]), (view, got["sides"])
        assert (got["deltas"] > 0) == (view == "delta")
    assert page.errors == []


@pytest.mark.parametrize("network", list(NETWORKS))
def test_while_the_network_trains_no_picture_is_blank_where_its_neurons_map_is_not_flat(screen, network):
    page = screen("laptop", NETWORKS[network])
    page.wait_for_selector(f"{MAPS}[data-epoch]", timeout=LOADED)
    sizes = page.evaluate("() => window.playground.state.network.sizes")
    assert page.evaluate("() => window.playground.state.snapshot.weights.flat(2).some((w) => w !== 0)")
    page.evaluate("() => window.playground.actions.setSpeed('max')")
    page.click('[data-testid="play"]')
    epochs = []
    for k in range(6):  # six looks while it trains, each at a later epoch; the last three with δ written
        if k == 3:
            shown_as(page, "delta")
        after = epochs[-1] if epochs else -1
        page.wait_for_function(f"() => window.playground.state.snapshot.epoch > {after}"
                               " && window.playground.state.snapshot.boundary?.neurons", timeout=LOADED)
        seen = page.evaluate(COLOURS)
        epochs.append(seen["epoch"])
        assert [p["name"] for p in seen["pictures"]] == [f"{l}-{i}" for l in range(1, len(sizes))
                                                          for i in range(sizes[l])]
        blank = [p for p in seen["pictures"] if p["shown"] == 1 and p["wanted"] > 1]
        unpainted = [p for p in seen["pictures"] if not p["painted"] or p["width"] == 0]
        assert blank == [] and unpainted == [], (seen["epoch"], blank[:5], unpainted[:5])
        assert any(p["wanted"] > 1 for p in seen["pictures"])  # the maps are not all flat: something to paint
    assert epochs == sorted(set(epochs))
    page.click('[data-testid="play"]')
    assert page.errors == []


@pytest.mark.parametrize("name", ["laptop", "tablet"])
def test_a_picture_on_its_disc_shows_large_on_hover_or_tap(screen, name):
    # six layers of 64 with δ written: the pictures sit on their discs, a few px each
    page = screen(name, NETWORKS["widest"])
    page.wait_for_selector(f"{MAPS}[data-epoch]", timeout=LOADED)
    shown_as(page, "delta")
    picture = f'{MAPS}[data-neuron="3-40"]'
    assert page.eval_on_selector(picture, "(c) => c.getBoundingClientRect().width") < 8
    if name == "tablet":
        page.tap(picture)
    else:
        page.hover(picture)
    page.wait_for_selector(f'{HEATMAP}[data-view="neuron 3-40"]')
    assert page.evaluate("() => window.playground.state.neuronMap") == {"layer": 3, "index": 40}
    assert page.errors == []


def test_clicking_a_picture_selects_its_neuron_as_clicking_its_disc_does(screen):
    page = screen("laptop", NETWORKS["overfitting"])
    page.wait_for_selector(f"{MAPS}[data-epoch]", timeout=LOADED)
    shown_as(page, "delta")  # three layers of 16: the pictures sit on their discs
    page.click(f'{MAPS}[data-neuron="2-5"]')
    page.wait_for_function("() => window.playground.state.selection?.kind === 'neuron'")
    assert page.evaluate("() => window.playground.state.selection") == {"kind": "neuron", "layer": 2, "index": 5}
    assert page.errors == []
