"""Screenshots of the 2-D presets that learn (issue 12) into docs/screenshots/, headless Chromium at 1280×720.

Starts ``backprop-playground serve`` on a free loopback port, opens each preset by its URL, trains it at max
speed to a given epoch, pauses and writes ``twod-<preset>.png``. Look at each one afterwards.
Usage: ``python3 scripts/screenshots_twod.py [--out docs/screenshots] [--only NAME ...]``
"""
from __future__ import annotations

import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from screenshots import pause  # noqa: E402

from tests.support.browser import launched  # noqa: E402
from tests.support.liveserver import serving  # noqa: E402

SHOTS = {  # name: (URL query, epoch to train to)
    "spiral": ("preset=spiral", 1000),
    "overfitting": ("preset=overfitting", 3000),
    "overfitting-l2": ("preset=overfitting&regularization=l2", 3000),
    "circle-features": ("preset=circle-features", 200),
    "regression-bumps": ("preset=regression-bumps", 1000),
    "sine-curve": ("preset=sine-curve", 600),
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "screenshots"))
    ap.add_argument("--only", nargs="*")
    a = ap.parse_args(argv)
    with serving() as server, launched() as browser:
        for name, (query, epoch) in SHOTS.items():
            if a.only and name not in a.only:
                continue
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(f"{server.url}/?{query}")
            page.wait_for_function("() => window.playground && window.playground.state.snapshot")
            page.click('[data-testid="play"]')
            page.wait_for_function(f"() => window.playground.state.snapshot.epoch >= {epoch}",
                                   timeout=180_000)  # a loaded machine trains slowly
            pause(page)
            path = os.path.join(a.out, f"twod-{name}.png")
            page.screenshot(path=path, full_page=True)
            print(path, page.evaluate("() => window.playground.state.snapshot.epoch"))
            page.close()

if __name__ == "__main__":
    main()
