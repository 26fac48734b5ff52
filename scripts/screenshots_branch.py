"""Takes the README's "a branch beside its original" screenshot into docs/screenshots/ (headless Chromium).

The spiral preset trained 400 epochs; the timeline scrubbed back to epoch 150; "What if…" with η 0.1 → 0.4;
the branch trained to epoch 400; the list of runs, both curves and the timeline's mark in view.  Look at it
afterwards.

Usage: ``python3 -m scripts.screenshots_branch [--out docs/screenshots] [--projector] [--size 1280x720]``
"""
from __future__ import annotations

import argparse
import os

from tests.support.browser import launched
from tests.support.liveserver import ROOT, serving

QUERY = "preset=spiral"


def train_to(page, epoch):
    """Train the live run at max speed until ``epoch`` (the server's ``until``) and wait for the paused frame."""
    page.evaluate(f"() => window.playground.send('start', {{speed: 'max', until: {epoch}}})")
    page.wait_for_function(f"() => {{ const s = window.playground.state; return s.status && s.status.state === 'done'"
                           f" && s.snapshot && s.snapshot.epoch === {epoch}; }}", timeout=60_000)


def scrub(page, epoch):
    page.eval_on_selector('[data-testid="timeline"]', f"el => {{ el.value = '{epoch}';"
                          " el.dispatchEvent(new Event('change')); }")
    page.wait_for_function(f"() => window.playground.state.snapshot.epoch === {epoch}")


def branch(page, lr):
    page.click('[data-testid="what-if"]')
    page.fill('[data-testid="branch-field-lr"]', str(lr))
    page.click('[data-testid="branch-start"]')
    page.wait_for_function("() => { const r = window.playground.state.runs; return r && r.live === 1; }")


def scene(page):
    train_to(page, 400)
    scrub(page, 150)
    branch(page, 0.4)
    train_to(page, 400)
    page.wait_for_timeout(500)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "screenshots"))
    ap.add_argument("--name", default="branch.png")
    ap.add_argument("--size", default="1280x720")
    ap.add_argument("--projector", action="store_true")
    ap.add_argument("--touch", action="store_true")
    ap.add_argument("--form", action="store_true", help="stop with the What if… form open at epoch 150")
    args = ap.parse_args(argv)
    w, h = (int(v) for v in args.size.split("x"))
    with serving() as server, launched() as browser:
        context = browser.new_context(viewport={"width": w, "height": h}, device_scale_factor=1,
                                      has_touch=args.touch, is_mobile=False)
        page = context.new_page()
        page.goto(f"{server.url}/?{QUERY}{'&projector=1' if args.projector else ''}")
        page.wait_for_function("() => window.playground.state.snapshot !== null")
        if args.form:
            train_to(page, 400)
            scrub(page, 150)
            page.click('[data-testid="what-if"]')
            page.fill('[data-testid="branch-field-lr"]', "0.4")
        else:
            scene(page)
            page.locator('[data-testid="runs"]').scroll_into_view_if_needed()
        os.makedirs(args.out, exist_ok=True)
        path = os.path.join(args.out, args.name)
        page.screenshot(path=path)
        print(path)
        context.close()


if __name__ == "__main__":
    main()
