"""The network diagram's output read-out fits its box on every screen classrooms use (1280×720 laptop and
projector, 1920×1080, 1024×768 touch): a, its target y, a − y and the loss stay inside the diagram's SVG and off
each other while a sample meets its target; a hidden neuron's δ label stops short of the next column, condensed
where the gap is narrower than the label, at its font size (the neuron pictures beside δ: test_neuron_maps_fit.py)."""
from __future__ import annotations

import pytest

from tests.browser import test_layout

screen = test_layout.screen  # the fixture: a page at one of test_layout.SCREENS
SCREENS = list(test_layout.SCREENS)

# The boxes of what the diagram shows, measured in one task: the SVG and every read-out text with words, once the
# network shows one of the phases with the read-out's line of class `need` written.
BOXES = """([phases, need]) => {
  const svg = document.querySelector('[data-testid="network"]');
  if (phases && !phases.includes(svg.dataset.phase)) return null;
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const texts = [...svg.querySelectorAll('.readout text, .loss-text tspan')].filter((t) => t.textContent.trim())
    .map((t) => ({ text: t.textContent, cls: t.getAttribute('class'), box: box(t) }));
  if (need && !texts.some((t) => t.cls === need)) return null;
  return { svg: box(svg), texts };
}"""


def inside(inner, outer):
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def overlap(a, b, slack=1.0):
    """Whether two boxes share more than a hairline (a text's box is its font's full line: neighbours touch)."""
    return a[0] + slack < b[2] and b[0] + slack < a[2] and a[1] + slack < b[3] and b[1] + slack < a[3]


def measured(page, phases, need):
    return page.wait_for_function(BOXES, arg=[phases, need], polling="raf", timeout=30_000).json_value()


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


# Each hidden δ label's box, font size and whether it is condensed, and the left edge of the next column's discs and
# bias squares, measured in one task once the labels are written.
DELTA_LABELS = """() => {
  const svg = document.querySelector('[data-testid="network"]');
  const labels = [...svg.querySelectorAll('.neuron .delta')].filter((t) => t.textContent.trim());
  if (!labels.length) return null;
  const sizes = window.playground.state.network.sizes;
  const nextLeft = (l) => Math.min(...[...svg.querySelectorAll(`[data-neuron^="${l + 1}-"] :is(circle, rect.bias)`)]
    .map((e) => e.getBoundingClientRect().left));
  return labels.map((t) => ({ t, l: Number(t.parentNode.dataset.neuron.split('-')[0]) }))
    .filter(({ l }) => l < sizes.length - 1)
    .map(({ t, l }) => ({ l, text: t.textContent, right: t.getBoundingClientRect().right,
      px: parseFloat(getComputedStyle(t).fontSize), condensed: t.hasAttribute('textLength'), limit: nextLeft(l) }));
}"""


@pytest.mark.parametrize("name, condensed", [("projector", True), ("laptop", True), ("hd", False)])
def test_a_delta_label_too_wide_for_the_gap_is_condensed_to_fit_it_at_its_font_size(screen, name, condensed):
    # three hidden layers of 16: "δ +0.0047" (66 px at 12 px, 88 at a projector's 16) is wider than the ~59 px a laptop
    # leaves between a disc and the next column's, or the ~50 px a projector leaves; 1920 px wide leaves room
    page = screen(name, "preset=overfitting")
    page.click('[data-show="delta"]')
    labels = page.wait_for_function(DELTA_LABELS).json_value()
    assert len(labels) == 48
    assert [d["text"] for d in labels if d["right"] > d["limit"]] == []
    assert {d["condensed"] for d in labels} == {condensed}
    assert min(d["px"] for d in labels) >= (16 if name == "projector" else 12)
    assert page.errors == []
