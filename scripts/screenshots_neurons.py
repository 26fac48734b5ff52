"""Screenshots of the neuron pictures where a column is crowded, on every classroom screen, into docs/screenshots/.

Starts ``backprop-playground serve`` on a free loopback port, opens each network by its URL on each screen of
tests/browser/test_neuron_maps_fit.py (1280×720, 1920×1080, 1024×768 touch, each also in projector mode), trains it to
a given epoch, pauses, and writes the diagram's panel with a written beside the discs and with δ:
``neurons-<network>-<screen>-<a|delta>.png``. Look at each one afterwards.

Usage: ``python3 -m scripts.screenshots_neurons [--out docs/screenshots] [--only NETWORK ...] [--screens NAME ...]``
"""
from __future__ import annotations

import argparse
import os

from tests.browser.test_neuron_maps_fit import SCREENS
from tests.support.browser import launched
from tests.support.liveserver import ROOT, serving

NETWORKS = {  # name: (URL query, epoch to train to)
    "sixteen": ("preset=spiral&layers=16", 300),
    "overfitting": ("preset=overfitting", 300),
    "widest": ("preset=spiral&layers=64,64,64,64,64,64", 20),
}


def shoot(page, path, view):
    page.click(f'[data-show="{view}"]')
    written = "[...document.querySelectorAll('.neuron .delta')].some((t) => t.textContent)"
    page.wait_for_function(f"() => {'' if view == 'delta' else '!'}{written}")
    page.locator('[data-testid="network"]').locator("xpath=ancestor::section[1]").screenshot(path=path)
    print(path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--only", nargs="*", choices=sorted(NETWORKS))
    ap.add_argument("--screens", nargs="*", choices=sorted(SCREENS))
    a = ap.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    with serving() as server, launched() as browser:
        for screen in a.screens or SCREENS:
            viewport, touch, projector = SCREENS[screen]
            for name in a.only or NETWORKS:
                query, epoch = NETWORKS[name]
                context = browser.new_context(viewport=viewport, has_touch=touch, device_scale_factor=1)
                page = context.new_page()
                page.goto(f"{server.url}/?{query}{'&projector=1' if projector else ''}")
                page.wait_for_selector('[data-testid="neuron-map"][data-epoch]')
                page.evaluate("() => window.playground.actions.setSpeed('max')")
                page.click('[data-testid="play"]')
                page.wait_for_function(f"() => window.playground.state.snapshot.epoch >= {epoch}", timeout=180_000)
                page.click('[data-testid="play"]')
                page.wait_for_function("() => { const s = window.playground.state;"
                                       " return s.status.state === 'paused' && s.snapshot.epoch === s.status.epoch"
                                       " && s.snapshot.boundary?.epoch === s.snapshot.epoch; }")
                for view in ("a", "delta"):
                    shoot(page, os.path.join(a.out, f"neurons-{name}-{screen}-{view}.png"), view)
                context.close()


if __name__ == "__main__":
    main()
