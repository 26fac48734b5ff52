"""The network diagram's words and pictures fit its box and each other on every screen classrooms use (1280×720
laptop and projector, 1920×1080, 1024×768 touch): the output read-out (a, its target y, a − y, the loss) stays
inside the diagram's SVG, and each neuron's picture of its output over the plane stays beside the δ labels, not
under them and not hidden, while the step sends δ back."""
from __future__ import annotations

import pytest

from tests.browser import test_layout

screen = test_layout.screen  # the fixture: a page at one of test_layout.SCREENS
SCREENS = list(test_layout.SCREENS)

# The boxes of what the diagram shows, measured in one task: the SVG, every read-out text with words, and (when
# asked for phases) only once the network shows one of them with the read-out's a − y line written; the δ labels
# and the neuron pictures (when asked for δ, once they are written).
BOXES = """([phases, need, deltasShown]) => {
  const svg = document.querySelector('[data-testid="network"]');
  if (phases && !phases.includes(svg.dataset.phase)) return null;
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const texts = [...svg.querySelectorAll('.readout text, .loss-text tspan')].filter((t) => t.textContent.trim())
    .map((t) => ({ text: t.textContent, cls: t.getAttribute('class'), box: box(t) }));
  if (need && !texts.some((t) => t.cls === need)) return null;
  const deltas = [...svg.querySelectorAll('.neuron .delta')].filter((t) => t.textContent.trim())
    .map((t) => ({ text: t.textContent, neuron: t.parentNode.dataset.neuron, box: box(t) }));
  if (deltasShown && !deltas.length) return null;
  const maps = [...document.querySelectorAll('[data-testid="neuron-map"]')]
    .map((c) => ({ neuron: c.dataset.neuron, box: box(c), shown: !c.closest('[hidden]') && c.offsetWidth > 0 }));
  return { svg: box(svg), texts, deltas, maps };
}"""


def inside(inner, outer):
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def overlap(a, b, slack=1.0):
    """Whether two boxes share more than a hairline (a text's box is its font's full line: neighbours touch)."""
    return a[0] + slack < b[2] and b[0] + slack < a[2] and a[1] + slack < b[3] and b[1] + slack < a[3]


def measured(page, phases=None, need=None, deltas=False):
    return page.wait_for_function(BOXES, arg=[phases, need, deltas], polling="raf", timeout=30_000).json_value()


def slow_step(page):
    """Step one sample with the phases drawn slowly enough for the frames between them to be measured."""
    page.evaluate("() => { window.playground.state.phaseScale = 3; }")
    page.click('[data-testid="step-sample"]')


@pytest.mark.parametrize("name", SCREENS)
@pytest.mark.parametrize("preset", ["regression-bumps", "sine-curve", "letters"])
def test_every_output_text_stays_inside_the_diagram_while_a_sample_meets_its_target(screen, preset, name):
    page = screen(name, f"preset={preset}")
    slow_step(page)
    seen = measured(page, ["loss", "backward"], "out-err")  # a, y, a − y and the loss all written
    kinds = {t["cls"] for t in seen["texts"]}
    assert {"out-name", "out-val", "out-err", "loss-label", "loss-value"} <= kinds, kinds
    assert any(t["text"].startswith("y = ") for t in seen["texts"])
    outside = [t for t in seen["texts"] if not inside(t["box"], seen["svg"])]
    assert outside == [], (seen["svg"], outside)
    clashes = [(a["text"], b["text"]) for k, a in enumerate(seen["texts"]) for b in seen["texts"][k + 1:]
               if overlap(a["box"], b["box"])]
    assert clashes == []
    assert page.errors == []


@pytest.mark.parametrize("name", SCREENS)
@pytest.mark.parametrize("preset", ["spiral", "regression-bumps"])
def test_neuron_pictures_move_aside_for_the_delta_labels_and_both_stay_in_the_diagram(screen, preset, name):
    page = screen(name, f"preset={preset}")
    page.wait_for_selector('[data-testid="neuron-map"][data-epoch]')
    page.click('[data-show="delta"]')  # the δ view: every neuron's δ beside its disc
    seen = measured(page, None, None, deltas=True)
    sizes = page.evaluate("() => window.playground.state.network.sizes")
    assert len(seen["deltas"]) >= sum(sizes[1:])  # δ of every hidden and output neuron is written
    assert [m["neuron"] for m in seen["maps"]] == [f"{lay}-{i}" for lay in range(1, len(sizes))
                                                   for i in range(sizes[lay])]
    assert all(m["shown"] for m in seen["maps"]), seen["maps"]
    things = [("δ " + d["neuron"], d["box"]) for d in seen["deltas"]] + [("map " + m["neuron"], m["box"])
                                                                        for m in seen["maps"]]
    assert [n for n, b in things if not inside(b, seen["svg"])] == []
    clashes = [(d["neuron"], d["text"], m["neuron"]) for d in seen["deltas"] for m in seen["maps"]
               if overlap(d["box"], m["box"])]
    assert clashes == []
    assert page.errors == []
