"""Takes the README's screenshots of every view into docs/screenshots/ (headless Chromium, 1280×720).

Starts ``backprop-playground serve`` on a free loopback port with a temporary data dir, drives the page as a
teacher would, and writes one PNG per view: start, training, step-sample mid-backward, equations for a clicked
weight, the mistake lab, the 2-D decision boundary, the regression surface, the 1-D fit with clicked points,
projector mode (and a card opened large), tablets, and the Code view (mid-backward in row and column layout, and a
variant's diff). Look at each one afterwards.

Usage: ``python3 -m scripts.screenshots [--out docs/screenshots] [--only NAME ...]``
"""
from __future__ import annotations

import argparse
import os

from tests.support.browser import launched
from tests.support.letters import LETTER_A
from tests.support.liveserver import ROOT, serving

MOONS = "preset=binary-2-5-5-1&dataset=moons&layers=8,8&activation=tanh&init=xavier&schedule=constant" \
        "&reduction=mean&lr=0.5"


def wait_epoch(page, n):
    page.wait_for_function(f"() => window.playground.state.snapshot && window.playground.state.snapshot.epoch >= {n}",
                           timeout=30_000)


def pause(page):
    page.click('[data-testid="play"]')
    page.wait_for_function("() => { const s = window.playground.state; return s.status.state === 'paused' "
                           "&& s.snapshot.epoch === s.status.epoch; }")
    page.wait_for_timeout(400)


def click_link(page, key):
    x, y = page.eval_on_selector(f'[data-hit="{key}"]', """el => {
        const p = el.getPointAtLength(el.getTotalLength() / 2), m = el.getScreenCTM();
        return [p.x * m.a + p.y * m.c + m.e, p.x * m.b + p.y * m.d + m.f]; }""")
    page.mouse.click(x, y)


def start(page):
    page.wait_for_timeout(600)


def training(page):
    set_speed(page, 3)
    page.click('[data-testid="play"]')
    wait_epoch(page, 30)
    page.wait_for_timeout(300)


def set_speed(page, position):
    page.eval_on_selector('[data-testid="speed"]',
                          f"el => {{ el.value = '{position}'; el.dispatchEvent(new Event('input')); }}")


def step_sample(page):
    page.click('[data-testid="step"]')  # one epoch in: δ is still large, so the arrows have something to carry
    page.wait_for_function("() => window.playground.state.snapshot.epoch === 1")
    page.click('[data-testid="step-sample"]')
    page.wait_for_selector('[data-testid="network"][data-phase="backward"][data-phase-layer="1"]', timeout=15_000)


def equations(page):
    set_speed(page, 4)  # 30 epochs/s: stop early, while the gradients are still visible
    page.click('[data-testid="play"]')
    wait_epoch(page, 40)
    pause(page)
    click_link(page, "0-13-0")
    page.wait_for_selector('[data-testid="equations"] [data-eq="w"]')
    page.click('.seg button[data-links="gradients"]')
    page.wait_for_timeout(600)


def lab(page):
    page.click('[data-testid="lab-variant"][data-variant="flipped-sign"]')
    page.wait_for_function("() => window.playground.state.network.config.compare === true")
    set_speed(page, 8)  # max
    page.click('[data-testid="play"]')
    wait_epoch(page, 400)
    pause(page)
    page.click('[data-testid="lab-gradcheck"]')
    page.wait_for_selector('[data-testid="lab-verdict"][data-ok]')
    page.locator('[data-testid="lab"]').scroll_into_view_if_needed()
    page.evaluate("() => window.scrollBy(0, 160)")
    page.wait_for_timeout(500)


def heatmap(page):
    set_speed(page, 8)  # max (the page's default is 30 epochs/s)
    page.click('[data-testid="play"]')
    wait_epoch(page, 3000)
    pause(page)


def add_points(page):
    """Six points clicked onto the spiral's plane (three of each class) while it trains, then paused."""
    set_speed(page, 8)
    page.click('[data-testid="play"]')
    wait_epoch(page, 300)
    box = page.locator('[data-testid="heatmap"] canvas').bounding_box()
    for k, (fx, fy) in enumerate([(0.15, 0.15), (0.2, 0.2), (0.25, 0.12), (0.85, 0.85), (0.8, 0.9), (0.9, 0.8)]):
        if k in (0, 3):
            page.click(f'[data-testid="add-class-{0 if k else 1}"]')
        page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
        page.wait_for_function(f"() => window.playground.state.network.dataset.n_samples === {301 + k}")
    wait_epoch(page, 600)
    pause(page)
    page.locator('[data-testid="heatmap"]').scroll_into_view_if_needed()


def set_weight(page):
    """A weight of the output layer typed by hand in the UPDATE card."""
    set_speed(page, 8)
    page.click('[data-testid="play"]')
    wait_epoch(page, 100)
    pause(page)
    page.click('[data-testid="equations"] .vis-gcell[data-from="2"][data-to="0"]')
    page.wait_for_function("() => document.querySelector('[data-testid=equations]').dataset.target === 'w:2:2:0'")
    page.fill('[data-testid="set-weight-input"]', "2.5")
    page.press('[data-testid="set-weight-input"]', "Enter")
    page.wait_for_function("() => document.querySelector('[data-testid=set-weight-status]').textContent !== ''")
    page.wait_for_timeout(400)
    page.locator('[data-testid="set-weight"]').scroll_into_view_if_needed()


def neuron_maps(page):
    """The spiral trained a while, the pointer on a hidden neuron's picture: its map large in the heatmap panel."""
    set_speed(page, 8)
    page.click('[data-testid="play"]')
    wait_epoch(page, 600)
    pause(page)
    page.hover('[data-testid="neuron-map"][data-neuron="2-3"]')
    page.wait_for_selector('[data-testid="heatmap"][data-view="neuron 2-3"]')
    page.wait_for_timeout(300)


def regression_surface(page):
    """The regression preset trained a while: the fitted surface on its value scale, the targets as dots."""
    set_speed(page, 8)
    page.click('[data-testid="play"]')
    wait_epoch(page, 1500)
    pause(page)
    page.locator('[data-testid="heatmap"]').scroll_into_view_if_needed()
    page.wait_for_timeout(300)


def fit1d_added(page):
    """The sine trained a while, then five points clicked well above the curve: it bends towards them."""
    set_speed(page, 8)
    page.click('[data-testid="play"]')
    wait_epoch(page, 300)
    page.locator('[data-testid="fit1d"]').scroll_into_view_if_needed()
    box = page.locator('[data-testid="fit1d"] canvas').bounding_box()
    plot = [float(v) for v in page.get_attribute('[data-testid="fit1d"]', "data-plot").split()]
    for k, (fx, fy) in enumerate([(0.2, 0.1), (0.22, 0.14), (0.24, 0.08), (0.26, 0.12), (0.28, 0.1)]):
        fx, fy = plot[0] + fx * plot[2], plot[1] + fy * plot[3]  # fractions of the plotting area → of the canvas
        page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
        page.wait_for_function(f"() => window.playground.state.network.dataset.added === {k + 1}")
    wait_epoch(page, 3000)
    pause(page)
    page.locator('[data-testid="fit1d"]').scroll_into_view_if_needed()
    page.wait_for_timeout(300)


def projector(page):
    step_sample(page)


def projector_card(page):
    """Projector mode after 40 epochs: a weight of output A chosen, its UPDATE card opened large."""
    set_speed(page, 4)
    page.click('[data-testid="play"]')
    wait_epoch(page, 40)
    pause(page)
    page.click('[data-testid="weight-chips"] .eq-chip[data-kind="weight"]')
    page.click('[data-testid="eq-tabs"] [data-tab="update"]')
    page.wait_for_selector('[data-testid="equations"] [data-card="update"][data-shown]')
    page.wait_for_timeout(600)


def timeline_data_change(page):
    """A drawing added at epoch 300, then 400 epochs more: the dashed mark on the timeline and on the loss chart."""
    page.evaluate("() => window.playground.send('start', {speed: 'max', until: 300})")
    page.wait_for_function("() => window.playground.state.status?.epoch === 300", timeout=30_000)
    for k, on in enumerate(LETTER_A):
        if on:
            page.locator('[data-testid="draw-grid"] [data-cell]').nth(k).click()
    page.click('[data-testid="add-example"][data-label="A"]')
    page.wait_for_selector('[data-testid="add-status"][data-state="ok"]')
    page.evaluate("() => window.playground.send('start', {speed: 'max', until: 700})")
    page.wait_for_function("() => window.playground.state.status?.epoch === 700", timeout=30_000)
    page.wait_for_function("() => document.querySelector('.tl-curve').dataset.changes === '300'")
    page.wait_for_timeout(400)


def undo_setting(page):
    """150 epochs trained, then the activation changed: the new network offers the old run back."""
    page.evaluate("() => window.playground.send('start', {speed: 'max', until: 150})")
    page.wait_for_function("() => window.playground.state.status?.epoch === 150", timeout=30_000)
    page.select_option('[data-testid="field-activation"]', "tanh")
    page.wait_for_selector('[data-testid="undo-toast"]:not([hidden])')
    page.wait_for_timeout(400)


def tablet_letters(page):
    """A 1024×768 touch tablet: one header row per bar, a hidden neuron tapped, its equations brought into view."""
    page.locator('[data-neuron="1-2"] circle').tap()
    page.wait_for_timeout(900)


def code_step(page):
    """The Code view mid-backward: the BP2 line of hidden layer 1 lit, as the diagram's δ¹ arrives."""
    page.click('[data-testid="code-tab"]')
    page.wait_for_selector('[data-testid="code-line"]')
    page.evaluate("() => { window.playground.state.phaseScale = 3; }")  # hold each phase three times as long
    step_sample(page)
    page.wait_for_selector('[data-testid="code"][data-active="backward:1"]')
    page.hover('[data-testid="code-line"][data-active="true"] [data-var="delta1"]')
    page.wait_for_selector('[data-testid="code-tip"]:not([hidden])')


def code_diff(page):
    page.click('[data-testid="lab-variant"][data-variant="sigma-prime-of-activation"]')
    page.wait_for_function("() => window.playground.state.network.config.compare === true")
    page.click('[data-testid="code-tab"]')
    page.wait_for_selector('[data-testid="code-diff"]:not([hidden])')
    page.evaluate("() => { window.playground.state.phaseScale = 3; }")
    page.click('[data-testid="step-sample"]')
    page.wait_for_selector('[data-testid="code"][data-active="backward:1"]')


def edit_link(page):
    """A link with two clicked points and a typed weight, opened in a fresh page: trained again to epoch 60."""
    page.wait_for_selector('[data-testid="heatmap"][data-added="2"]')
    page.wait_for_function("() => { const s = window.playground.state; return s.runs && s.snapshot"
                           " && s.snapshot.epoch === 60 && s.snapshot.curve; }")
    page.wait_for_timeout(400)


EDIT_LINK = ("preset=spiral&runs=60&edit=0,20,x1:-0.75,x2:-0.75,label:1&edit=0,40,x1:0.9,x2:1.2,label:0"
             "&edit=0,40,layer:2,row:2,col:0,value:1.25")


SCENES = {  # name: (query, viewport, action[, "touch": a touch screen])
    "start": ("preset=letters", (1280, 720), start),
    "training": ("preset=letters", (1280, 720), training),
    "step-sample-backward": ("preset=letters", (1280, 720), step_sample),
    "equations": ("preset=letters", (1440, 900), equations),
    "mistake-lab": ("preset=letters", (1280, 720), lab),
    "heatmap-2d": (MOONS, (1280, 720), heatmap),
    "neuron-maps": ("preset=spiral", (1280, 720), neuron_maps),
    "neuron-maps-1920": ("preset=spiral", (1920, 1080), neuron_maps),
    "projector": ("preset=letters&projector=1", (1280, 720), projector),
    "projector-card": ("preset=letters&projector=1", (1280, 720), projector_card),
    "tablet-letters": ("preset=letters", (1024, 768), tablet_letters, "touch"),
    "timeline-data-change": ("preset=letters", (1280, 720), timeline_data_change),
    "undo-setting": ("preset=letters", (1280, 720), undo_setting),
    "add-points": ("preset=spiral", (1280, 720), add_points),
    "set-weight": ("preset=spiral", (1280, 720), set_weight),
    "regression-surface": ("preset=regression-bumps", (1280, 720), regression_surface),
    "fit1d-added-point": ("preset=sine-curve", (1280, 720), fit1d_added),
    "tablet": ("preset=xor-3-4-1", (820, 1180), heatmap),
    "code-row-backward": ("preset=letters", (1280, 720), code_step),
    "code-column-backward": ("preset=binary-2-5-5-1&layout=column", (1280, 720), code_step),
    "code-variant-diff": ("preset=letters", (1280, 720), code_diff),
    "edit-link": (EDIT_LINK, (1280, 720), edit_link),
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--only", nargs="*", choices=sorted(SCENES), help="just these views")
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    with serving() as server, launched() as browser:
        url = server.url
        for name in args.only or SCENES:
            query, (w, h), action, *touch = SCENES[name]
            context = browser.new_context(viewport={"width": w, "height": h}, device_scale_factor=1,
                                          has_touch=bool(touch), is_mobile=bool(touch))
            page = context.new_page()
            page.goto(f"{url}/?{query}")
            page.wait_for_function("() => performance.getEntriesByName('network-drawn').length > 0")
            page.wait_for_selector('[data-testid="equations"] [data-eq]', state="attached")  # projector: on demand
            action(page)
            path = os.path.join(args.out, f"{name}.png")
            page.screenshot(path=path)
            print(path)
            context.close()


if __name__ == "__main__":
    main()
