"""Screenshots of the saved-run view and of a link's "what if" runs into docs/screenshots/ (headless Chromium).

Saves a run of the ``overfitting`` preset (it has a test split), opens its view at 1280×720, in projector mode and
on a 1024×768 touch screen (``saved-run*.png``), the list of saved runs (``saved-list.png``), and a link holding
two branches (``run-link.png``). Look at each one afterwards.

Usage: ``python3 -m scripts.screenshots_runs [--out docs/screenshots]``
"""
from __future__ import annotations

import argparse
import os

from tests.support.browser import launched
from tests.support.liveserver import ROOT, serving

LINK = ("preset=spiral&n_points=100&runs=300&branch=0,120,300,lr:0.5"
        "&branch=0,200,300,momentum:0.9,regularization:l2,reg_rate:0.01")
SCREENS = {  # name: (viewport, touch, projector)
    "saved-run": ({"width": 1280, "height": 720}, False, False),
    "saved-run-projector": ({"width": 1280, "height": 720}, False, True),
    "saved-run-touch": ({"width": 1024, "height": 768}, True, False),
}


def saved_run(browser, url):
    """A saved run of 300 epochs of ``overfitting`` → its id."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, base_url=url)
    page = context.new_page()
    page.goto("/?preset=overfitting")
    page.wait_for_function("() => window.playground.state.snapshot !== null")
    page.evaluate("() => window.playground.send('start', {speed: 'max', until: 300})")
    page.wait_for_function("() => window.playground.state.status?.state === 'done'", timeout=60_000)
    ack = page.evaluate("() => new Promise((r) => window.playground.send('save_model', {name: 'overfit 300'}, r))")
    context.close()
    return ack["run"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "screenshots"))
    args = ap.parse_args(argv)
    with serving() as server, launched() as browser:
        run = saved_run(browser, server.url)
        for name, (viewport, touch, projector) in SCREENS.items():
            context = browser.new_context(viewport=viewport, has_touch=touch, is_mobile=False, base_url=server.url)
            page = context.new_page()
            page.goto(f"/?preset=overfitting{'&projector=1' if projector else ''}&run={run}")
            page.wait_for_selector(f'[data-testid="run-view"][data-run="{run}"] canvas')
            page.wait_for_timeout(300)  # a picture, not a test: let the fonts settle
            page.screenshot(path=os.path.join(args.out, f"{name}.png"))
            print("wrote", name)
            context.close()
        context = browser.new_context(viewport={"width": 1280, "height": 720}, base_url=server.url)
        page = context.new_page()
        page.goto("/?preset=overfitting")
        page.click('[data-testid="saved-runs"]')
        page.wait_for_selector('[data-testid="saved-list"] [data-testid="open-run"]')
        page.screenshot(path=os.path.join(args.out, "saved-list.png"))
        print("wrote saved-list")
        page.goto(f"/?{LINK}")
        page.wait_for_function("() => window.playground.state.runs?.runs.length === 3", timeout=60_000)
        page.eval_on_selector('[data-testid="runs"]',
                              "el => window.scrollTo(0, el.getBoundingClientRect().top + scrollY - 170)")
        page.wait_for_timeout(300)
        page.screenshot(path=os.path.join(args.out, "run-link.png"))
        print("wrote run-link")
        context.close()


if __name__ == "__main__":
    main()
