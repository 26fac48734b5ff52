"""The equations panel's redraw when the learner looks at lines seen before: a paused `letters` network, a weight
selected, the ◂ ▸ sample buttons pressed round the three samples several times (every number line changes at each
press, and comes back three presses later). Median of the panel's own render time (``data-render-ms``: the numbers,
the TeX and KaTeX) per press, this tree beside a git ref (``--baseline``, e.g. main).

Usage: ``python3 -m bench.bench_typeset [--rounds 10] [--baseline main]``. Ratios, not absolute times, are the
figure: the machine is shared.
"""
from __future__ import annotations

import argparse
import contextlib
import statistics

from bench.bench_page import serving_commit
from tests.support.browser import launched
from tests.support.liveserver import serving


def measure(browser, url, rounds):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, base_url=url)
    page = context.new_page()
    page.goto("/?preset=letters")
    page.wait_for_function("() => window.playground.state.snapshot !== null")
    page.wait_for_selector('[data-testid="weight-chips"] .eq-chip[data-kind="weight"]')
    page.click('[data-testid="weight-chips"] .eq-chip[data-kind="weight"]')
    page.wait_for_selector('[data-testid="equations"] [data-card="update"]')
    page.wait_for_function("() => document.querySelector('[data-testid=equations] .katex')")  # KaTeX has loaded
    times = []
    for k in range(rounds * 3):
        before = page.get_attribute('[data-testid="equations"]', "data-rendered")
        want = (k + 1) % 3
        page.click('[data-testid="equations"] [aria-label="next sample"]')
        page.wait_for_function("([b, s]) => { const r = document.querySelector('[data-testid=equations]');"
                               " return r.dataset.rendered !== b && r.dataset.sample === String(s); }",
                               arg=[before, want])
        if k >= 3:  # the first round typesets each sample's lines for the first time
            times.append(float(page.get_attribute('[data-testid="equations"]', "data-render-ms")))
    context.close()
    return statistics.median(times)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--baseline", default=None)
    args = ap.parse_args(argv)
    with contextlib.ExitStack() as stack:
        browser = stack.enter_context(launched())
        sides = {"new": stack.enter_context(serving())}
        if args.baseline:
            sides["old"] = stack.enter_context(serving_commit(args.baseline))
        got = {side: measure(browser, server.url, args.rounds) for side, server in sides.items()}
    for side, ms in got.items():
        print(f"{side:>4}: median redraw {ms:.2f} ms when the sample comes back")
    if "old" in got:
        print(f"new/old {got['new'] / got['old']:.2f}")


if __name__ == "__main__":
    main()
