"""Saved runs on the page: save a run, reload, look at it (its train and test curves are the store's, drawn), and
continue it; ``/?run=<id>`` opens the same view."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from test_branches import SCREENS, assert_inside, trained_page

QUERY = "preset=overfitting"  # a test split: the view draws the test curves too
VIEW = '[data-testid="run-view"]'

# How many pixels of the canvas have the colour of the series named ``name`` (what a person sees of that curve).
PIXELS = """([sel, name]) => {
  const canvas = document.querySelector(sel);
  const s = canvas.drawnSeries.find((x) => x.name === name);
  const probe = document.createElement('canvas').getContext('2d');
  probe.fillStyle = s.color; probe.fillRect(0, 0, 1, 1);
  const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
  const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (Math.abs(d[i] - r) + Math.abs(d[i + 1] - g) + Math.abs(d[i + 2] - b) < 24) n++;
  }
  return n;
}"""


def drawn(page, testid):
    """{series name: [xs, ys]} the saved run's chart ``testid`` drew."""
    return page.eval_on_selector(f'[data-testid="{testid}"]',
                                 "c => Object.fromEntries(c.drawnSeries.map((s) => [s.name, [s.xs, s.ys]]))")


def open_saved(page):
    page.click('[data-testid="saved-runs"]')
    page.wait_for_selector('[data-testid="saved-card"]')
    page.wait_for_selector('[data-testid="saved-list"]')


def assert_drawn_as_stored(page, run):
    h = run["history"]
    assert drawn(page, "run-loss") == {"loss": [h["epochs"], h["loss"]], "error": [h["epochs"], h["error"]],
                                       "test loss": [h["epochs"], h["test_loss"]]}
    assert drawn(page, "run-accuracy") == {"accuracy": [h["epochs"], h["accuracy"]],
                                           "test accuracy": [h["epochs"], h["test_accuracy"]]}
    for testid, name in (("run-loss", "loss"), ("run-loss", "test loss"), ("run-accuracy", "test accuracy")):
        assert page.evaluate(PIXELS, [f'[data-testid="{testid}"]', name]) > 50, (testid, name)


def test_a_saved_run_is_seen_after_a_reload_with_its_test_curves_and_settings_and_continues(ui):
    page = ui.open(QUERY)
    ui.train_until(30)
    epoch = ui.epoch()
    open_saved(page)
    page.fill('[data-testid="save-name"]', "overfit at 30")
    page.click('[data-testid="save-run"]')
    page.wait_for_selector('[data-testid="saved-list"] [data-name="overfit at 30"]')
    run_id = int(page.get_attribute('[data-testid="saved-list"] [data-name="overfit at 30"]', "data-run"))

    page.reload()
    page.wait_for_function("() => window.playground.state.snapshot !== null")
    open_saved(page)
    page.click(f'[data-testid="open-run"][data-run="{run_id}"]')
    page.wait_for_selector(f'{VIEW}[data-run="{run_id}"] canvas')

    run = page.request.get(f"/api/runs/{run_id}").json()
    assert run["epochs"] == epoch and len(run["history"]["test_loss"]) == epoch
    assert_drawn_as_stored(page, run)
    words = dict(page.eval_on_selector_all('[data-testid="run-config"] div', "els => els.map((e) =>"
                                           " [e.firstChild.textContent, e.lastChild.textContent])"))
    assert {k: words[k] for k in ("Dataset", "Hidden layers", "Learning rate", "Test share", "Batch", "Biases")} == {
        "Dataset": "gauss", "Hidden layers": "16–16–16", "Learning rate": "0.1", "Test share": "0.5", "Batch": "full",
        "Biases": "yes"}
    assert parse_qs(urlsplit(page.url).query)["run"] == [str(run_id)]

    page.click('[data-testid="run-continue"]')
    ui.wait_state("s.status && s.status.epoch === 0 && s.notice && s.notice.startsWith('Continuing overfit at 30')")
    assert page.is_hidden('[data-testid="saved-card"]')
    assert ui.state("s.network.config.preset") == run["config"]["preset"]
    assert "run" not in parse_qs(urlsplit(page.url).query)
    assert ui.errors == []


def test_the_run_s_address_opens_its_view_directly(ui):
    page = ui.open(QUERY)
    ui.train_until(12)
    ack = page.evaluate("() => new Promise((r) => window.playground.send('save_model', {name: 'short'}, r))")
    assert ack["ok"] is True

    page.goto(f"/?{QUERY}&run={ack['run']}")
    page.wait_for_selector(f'{VIEW}[data-run="{ack["run"]}"] canvas')

    assert_drawn_as_stored(page, page.request.get(f"/api/runs/{ack['run']}").json())
    assert page.inner_text(f"{VIEW} h3").startswith("short — overfitting, ")


def test_a_refused_name_is_said_in_the_card(ui):
    page = ui.open(QUERY)
    open_saved(page)
    page.fill('[data-testid="save-name"]', "-bad*")
    page.click('[data-testid="save-run"]')
    page.wait_for_selector('[data-testid="saved-error"]:not([hidden])')
    assert page.inner_text('[data-testid="saved-error"]').startswith("name: must be 1 to 64 characters")


@pytest.mark.parametrize(("viewport", "touch", "projector"), SCREENS)
def test_a_saved_run_s_view_is_inside_the_screen(browser, live_server, viewport, touch, projector):
    with trained_page(browser, live_server, viewport, touch, projector, query=QUERY) as page:
        assert_inside(page, '[data-testid="saved-runs"]', viewport)
        assert_inside(page, '[data-testid="what-if"]', viewport)
        name = f"screen {viewport['width']}{' touch' if touch else ''}{' projector' if projector else ''}"
        page.click('[data-testid="saved-runs"]')
        page.fill('[data-testid="save-name"]', name)
        page.click('[data-testid="save-run"]')
        page.click(f'[data-testid="saved-list"] [data-name="{name}"] [data-testid="open-run"]')  # the new list
        page.wait_for_selector(f'{VIEW} canvas')
        for sel in ('[data-testid="saved-card"] [data-act="close"]', '[data-testid="save-name"]',
                    '[data-testid="run-continue"]', '[data-testid="run-loss"]', '[data-testid="run-accuracy"]'):
            assert_inside(page, sel, viewport)
        if touch:
            assert page.locator('[data-testid="run-continue"]').bounding_box()["height"] >= 34
