"""Screenshots of every lesson step at 1280×720 (headless Chromium), after the step's question is answered and its run
has finished: ``<out>/<lesson>-<k>.png``, and the lesson list (``lessons-list.png``). Look at them afterwards; the
best go to docs/screenshots/ by hand.

Starts ``backprop-playground serve`` on a free loopback port with a temporary data dir, as scripts/screenshots.py.

Usage, from the repository root:
``python3 -m scripts.lesson_screenshots [--out /tmp/lesson-shots] [--only tour forward ...]``
"""
from __future__ import annotations

import argparse
import os
import tempfile

from app.lessons import load_all
from tests.support.browser import launched
from tests.support.liveserver import serving


def walk(page, url, lesson, out):
    page.goto(f"{url}/?lesson={lesson['id']}")
    for k, step in enumerate(lesson["steps"], 1):
        page.wait_for_selector(f'[data-testid="lesson"][data-step="{k}"][data-ready="true"]', timeout=30_000)
        epoch = page.evaluate("() => window.playground.state.snapshot ? window.playground.state.snapshot.epoch : 0")
        if "ask" in step:
            right = [c["right"] for c in step["ask"]["choices"]].index(True)
            page.locator('[data-testid="lesson-choice"]').nth(right).click()
        elif "run" in step:
            page.click('[data-testid="lesson-run"]')
        run = step.get("run") or {}
        if run.get("action") == "train":
            page.wait_for_function(f"() => {{ const s = window.playground.state; return s.status.state === 'done'"
                                   f" && s.snapshot.epoch === {epoch + run['epochs']}; }}", timeout=120_000)
        elif run.get("action") == "gradcheck":
            page.wait_for_selector('[data-testid="lab-verdict"][data-ok]:not([data-ok=""])')
        elif run.get("action") == "step-sample":
            page.wait_for_selector('[data-testid="network"][data-phase="backward"]', timeout=20_000)
        page.wait_for_timeout(700)
        path = os.path.join(out, f"{lesson['id']}-{k}.png")
        page.screenshot(path=path)
        print(path)
        page.click('[data-testid="lesson-next"]')


def main(argv=None):
    lessons = load_all()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "lesson-shots"))
    ap.add_argument("--only", nargs="*", choices=[x["id"] for x in lessons], help="just these lessons")
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    with serving() as server, launched() as browser:
        url = server.url
        context = browser.new_context(viewport={"width": 1280, "height": 720}, device_scale_factor=1)
        page = context.new_page()
        page.goto(f"{url}/?preset=letters")
        page.click('[data-testid="lessons-start"]')
        page.wait_for_timeout(700)
        page.screenshot(path=os.path.join(args.out, "lessons-list.png"))
        context.close()
        for lesson in lessons:
            if args.only and lesson["id"] not in args.only:
                continue
            context = browser.new_context(viewport={"width": 1280, "height": 720}, device_scale_factor=1)
            walk(context.new_page(), url, lesson, args.out)
            context.close()


if __name__ == "__main__":
    main()
