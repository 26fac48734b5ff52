"""Screenshots of the screens the projector and the classroom's busy moments show: the solo page in projector mode at
1920×1080 and 1280×720 with a card open beside the data from the start, a teacher's 1024×768 tablet in projector
mode, and a teacher's queue of 15 drawings sent by five students (real python-socketio clients) on a 1024×768 touch
tablet and a 1280×720 projector.

Starts ``backprop-playground serve`` and ``backprop-playground --classroom`` on free loopback ports with temporary
data dirs and writes ``projector-card-<w>.png``, ``classroom-teacher-tablet-projector.png`` and
``classroom-queue-<screen>.png``. Look at each one afterwards.

Usage: ``python3 -m scripts.screenshots_screens [--out DIR]``
"""
from __future__ import annotations

import argparse
import os
import sys

from scripts.screenshots_classroom import TOKEN, ClassServer
from tests.support.browser import launched
from tests.support.clients import CLASSROOM, Recorder
from tests.support.letters import LETTER_A, LETTER_C
from tests.support.liveserver import ROOT, serving

SOLO = {"projector-card-1920": (1920, 1080), "projector-card-1280": (1280, 720)}
TEACHER = {  # name: (viewport, touch, projector, drawings waiting)
    "classroom-teacher-tablet-projector": ((1024, 768), True, True, 1),
    "classroom-queue-tablet": ((1024, 768), True, False, 15),
    "classroom-queue-projector": ((1280, 720), False, True, 15),
}


def solo(browser, server, out):
    for name, (w, h) in SOLO.items():
        context = browser.new_context(viewport={"width": w, "height": h}, device_scale_factor=1,
                                      base_url=server.url)
        page = context.new_page()
        page.goto("/?preset=letters&projector=1")
        page.wait_for_selector('[data-testid="equations"][data-beside] [data-shown] .katex [data-eq=delta]')
        page.wait_for_timeout(500)  # the prediction's bars and the diagram settle
        path = os.path.join(out, f"{name}.png")
        page.screenshot(path=path)
        print(path)
        context.close()


def teacher(browser, server, out):
    for name, ((w, h), touch, projector, n) in TEACHER.items():
        context = browser.new_context(viewport={"width": w, "height": h}, device_scale_factor=1, has_touch=touch,
                                      is_mobile=False, base_url=server.url)
        page = context.new_page()
        page.goto(f"/?preset=letters{'&projector=1' if projector else ''}#teacher={TOKEN}")
        page.wait_for_selector('[data-testid="join-screen"]')
        page.click('[data-testid="join-screen-close"]')
        page.wait_for_selector('[data-testid="add-example"][data-label="C"]')
        students, sent = [], []
        for k in range((n + 2) // 3):  # at most three drawings waiting per student
            student = Recorder(server.url, auth={"code": server.code, "name": f"Student {k + 1}"}, names=CLASSROOM)
            students.append(student)
            for label, letter in list(zip("ABC", (LETTER_A, LETTER_A, LETTER_C), strict=True))[:n - 3 * k]:
                sent.append(student.call("submit_example", {"input": letter, "label": label})["id"])
        page.wait_for_function("(ids) => ids.every((id) => document.querySelector("
                               "`[data-testid=submission][data-id='${id}']`))", arg=sent)
        page.wait_for_timeout(500)
        path = os.path.join(out, f"{name}.png")
        page.screenshot(path=path)
        print(path)
        for sub in sent:  # the next screen's class starts with an empty queue
            page.click(f'[data-testid="submission"][data-id="{sub}"] [data-testid="reject"]')
            page.wait_for_selector(f'[data-testid="submission"][data-id="{sub}"]', state="detached")
        for student in students:
            student.close()
        context.close()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    with launched() as browser:
        with serving() as server:
            solo(browser, server, args.out)
        with serving(cls=ClassServer) as server:
            teacher(browser, server, args.out)


if __name__ == "__main__":
    sys.exit(main())
