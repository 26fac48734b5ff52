"""Screenshots of the classroom at the screens classrooms use: the teacher's page and a student's, at 1280×720
(normal and projector), 1920×1080 and a 1024×768 touch tablet, with the teacher's longest UPDATE card open
(momentum's velocity) and a student's drawing waiting in the teacher's queue.

Starts ``backprop-playground --classroom`` on a free loopback port with a temporary data dir, opens a teacher page
and a student page per screen, and writes ``classroom-<role>-<screen>.png``. Look at each one afterwards.

Usage: ``python3 -m scripts.screenshots_classroom [--out DIR] [--only SCREEN ...]``
"""
from __future__ import annotations

import argparse
import os
import sys

from tests.support.browser import launched
from tests.support.letters import LETTER_A
from tests.support.liveserver import ROOT, LiveServer, serving

TOKEN = "screenshots-teacher-token-0123"
SCREENS = {  # name: (viewport, touch, projector)
    "projector": ((1280, 720), False, True),
    "laptop": ((1280, 720), False, False),
    "hd": ((1920, 1080), False, False),
    "tablet": ((1024, 768), True, False),
    "tablet-projector": ((1024, 768), True, True),
}


class ClassServer(LiveServer):
    code = None

    def command(self):
        return [sys.executable, "-m", "app.cli", "--classroom", "--port", str(self.port), "--data",
                str(self.data_dir), "--teacher-token", TOKEN]

    def ready(self):
        self.code = self.get(f"/api/classroom?token={TOKEN}")["code"]


def open_pair(browser, server, screen):
    (w, h), touch, projector = SCREENS[screen]
    extra = "&projector=1" if projector else ""
    pages = []
    for role in ("teacher", "student"):
        context = browser.new_context(viewport={"width": w, "height": h}, device_scale_factor=1, has_touch=touch,
                                      is_mobile=False, base_url=server.url)
        page = context.new_page()
        if role == "teacher":
            page.goto(f"/?preset=letters&momentum=0.9{extra}#teacher={TOKEN}")
            page.wait_for_selector('[data-testid="join-screen"]')
            page.wait_for_function("() => window.playground.state.snapshot !== null")
            page.click('[data-testid="join-screen-close"]')
        else:
            page.goto(f"/join?code={server.code}{extra}")
            page.fill('[data-testid="join-name"]', "Ana")
            page.click('[data-testid="join-submit"]')
            page.wait_for_function("() => window.playground.state.snapshot !== null")
        pages.append(page)
    return pages


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--only", nargs="*", choices=sorted(SCREENS), help="just these screens")
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    with serving(cls=ClassServer) as server, launched() as browser:
        for screen in args.only or SCREENS:
            teacher, student = open_pair(browser, server, screen)
            if not SCREENS[screen][1]:  # a tablet's cards are below the network: its first screen stays as it is
                teacher.click('[data-testid="weight-chips"] .eq-chip[data-kind="weight"]')
            if SCREENS[screen][2] and not SCREENS[screen][1]:
                teacher.click('[data-testid="eq-tabs"] [data-tab="update"]')
                teacher.wait_for_selector('[data-testid="equations"] [data-card="update"][data-shown]')
            for k, on in enumerate(LETTER_A):
                if on:
                    student.click(f'[data-testid="draw-grid"] [data-cell="{k}"]')
            student.wait_for_function("() => document.querySelector('[data-testid=prediction]').textContent.trim()"
                                      ".length === 1")
            student.click('[data-testid="add-example"][data-label="A"]')  # a drawing in the teacher's queue
            teacher.wait_for_selector('[data-testid="submission"][data-label="A"]')
            for role, page in (("teacher", teacher), ("student", student)):
                path = os.path.join(args.out, f"classroom-{role}-{screen}.png")
                page.screenshot(path=path)
                print(path)
            teacher.context.close()
            student.context.close()


if __name__ == "__main__":
    main()
