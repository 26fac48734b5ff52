"""A link carries the learner's drawings: two letters drawn and trained on, the URL copied, the drawings deleted,
and the link opened in a fresh browser shows the same run (curve, weights) and lists the drawings again."""
from __future__ import annotations

import json
import urllib.request
from urllib.parse import parse_qs, urlsplit

from test_add_example import A_CELLS, draw
from test_branches import run_to

B_CELLS = (0, 1, 2, 5, 8, 10, 11, 12, 15, 18, 20, 21, 22, 25, 28)  # a B on the 5×6 pad (any cells will do)
GREY_C = [0.25, 1 / 3, *([0.0, 1.0] * 14)]  # posted to /api/examples: values the pad does not make
SHOWN = "[s.snapshot.epoch, s.snapshot.weights, s.snapshot.biases, s.snapshot.curve, s.network.dataset.X]"
LISTED = "() => [...document.querySelectorAll('[data-testid=my-drawings] [data-drawing]')].map((d) => d.dataset.label)"


def forget_drawings(live_server):
    """The live server is shared: start from no stored letters drawings."""
    for e in live_server.get("/api/examples?dataset=letters")["examples"]:
        urllib.request.urlopen(urllib.request.Request(f"{live_server.url}/api/examples/{e['id']}", method="DELETE"))


def add(page, cells, label, count):
    page.click('[data-testid="draw-clear"]')
    draw(page, cells)
    page.click(f'[data-testid="add-example"][data-label="{label}"]')
    page.wait_for_selector(f'[data-testid="my-drawings"][data-count="{count}"]')


def pixels(cells):
    return "".join("1" if k in cells else "0" for k in range(30))


def post(live_server, label, x):
    body = json.dumps({"dataset": "letters", "label": label, "input": x}).encode()
    urllib.request.urlopen(urllib.request.Request(f"{live_server.url}/api/examples", data=body, method="POST",
                                                  headers={"Content-Type": "application/json"}))


def test_drawings_in_a_copied_link_open_as_the_same_run_after_they_were_deleted(ui, fresh, live_server):
    forget_drawings(live_server)
    post(live_server, "C", GREY_C)
    page = ui.open("preset=letters")
    add(page, A_CELLS, "A", 2)
    add(page, B_CELLS, "B", 3)
    run_to(ui, 60)
    ui.wait_state("new URLSearchParams(location.search).get('runs') === '60'")
    link = page.url
    query = parse_qs(urlsplit(link).query)
    grey = "_".join(["0.25", "0.3333333333333333", *(["0", "1"] * 14)])  # each value in full, exactly
    assert query["drawing"] == [f"C:{grey}", f"A:{pixels(A_CELLS)}", f"B:{pixels(B_CELLS)}"]
    assert query["edit"] == ["0,0,drawings:0.1.2"]  # drawn one after the other, before training: one change
    assert query["examples"] == ["1"]
    made = ui.state(SHOWN)
    for n in (2, 1, 0):  # the learner deletes the drawings
        page.locator('[data-testid="delete-drawing"]').first.click()
        page.wait_for_selector(f'[data-testid="my-drawings"][data-count="{n}"]')
    assert live_server.get("/api/examples?dataset=letters")["examples"] == []

    fresh.goto(link)
    fresh.wait_for_function("() => { const s = window.playground.state; return s.runs && s.snapshot"
                            " && s.snapshot.epoch === 60 && s.snapshot.curve && s.notice === null; }")

    assert fresh.evaluate(f"() => {{ const s = window.playground.state; return {SHOWN}; }}") == made
    assert len(made[-1]) == 6 and made[-1][3] == GREY_C and made[0] == 60
    fresh.wait_for_function(f"() => ({LISTED})().join() === 'B,A,C'")  # listed again, the newest first
    assert [(e["label"], e["input"]) for e in live_server.get("/api/examples?dataset=letters")["examples"]] == [
        ("C", GREY_C), ("A", [float(c) for c in pixels(A_CELLS)]), ("B", [float(c) for c in pixels(B_CELLS)])]
    fresh.wait_for_function(f"() => location.href === {link!r}")  # the opened page's own link is the same
    assert fresh.errors == [] and ui.errors == []
