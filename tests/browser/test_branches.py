"""What if…: on the real page, a branch made from a scrubbed epoch draws beside its original with the server's
numbers, switching runs shows each run's own weights, and the controls fit every screen we support."""
from __future__ import annotations

import contextlib
import csv
import io

import pytest

from tests.support.shown import count

QUERY = "preset=spiral&n_points=100"
UPDATE = '[data-testid="equations"] [data-card="update"]'


def scrub(page, epoch):
    page.eval_on_selector('[data-testid="timeline"]', f"el => {{ el.value = '{epoch}';"
                          " el.dispatchEvent(new Event('change')); }")
    page.wait_for_function(f"() => window.playground.state.snapshot.epoch === {epoch}"
                           " && window.playground.state.snapshot.replay")


def make_branch(ui, fields):
    page = ui.page
    page.click('[data-testid="what-if"]')
    for name, value in fields.items():
        target = f'[data-testid="branch-field-{name}"]'
        if page.eval_on_selector(target, "el => el.tagName") == "SELECT":
            page.select_option(target, str(value))
        else:
            page.fill(target, str(value))
    runs = ui.state("s.runs ? s.runs.runs.length : 1")
    page.click('[data-testid="branch-start"]')
    ui.wait_state(f"s.runs && s.runs.runs.length === {runs + 1} && s.runs.live === {runs}"
                  " && s.snapshot && s.network.config")


def save(ui, name):
    """Save the live run from the page (``save_model``) → (the stored model, its per-epoch history from the CSV)."""
    ack = ui.page.evaluate(f"() => new Promise((r) => window.playground.send('save_model', {{name: '{name}'}}, r))")
    assert ack["ok"] is True
    model = ui.page.request.get(f"/api/models/{name}").json()
    rows = list(csv.DictReader(io.StringIO(ui.page.request.get(f"/api/runs/{ack['run']}.csv").text())))
    return model, {k: [float(r[k]) for r in rows] for k in ("epoch", "loss", "accuracy")}


def run_to(ui, epoch):
    """Train at max speed up to exactly ``epoch`` (the server stops there) and wait for the page to show it with
    its whole curve: the curves stay under the server's 500 points, so they compare with the saved history 1:1."""
    ui.page.evaluate(f"() => window.playground.send('start', {{speed: 'max', until: {epoch}}})")
    ui.wait_state(f"s.status && s.status.state === 'done' && s.snapshot.epoch === {epoch}"
                  f" && s.snapshot.curve && s.snapshot.curve.epochs.at(-1) === {epoch - 1}")


def shown_weight(ui, layer, i, j):
    """The weight the UPDATE card shows for link i → j of ``layer`` (clicked in the ∂C/∂W grid)."""
    ui.page.click(f'[data-testid="equations"] .vis-gcell[data-from="{i}"][data-to="{j}"]')
    ui.page.wait_for_function(
        f"() => document.querySelector('[data-testid=equations]')?.dataset.target === 'w:{layer}:{i}:{j}'"
        f" && document.querySelector('{UPDATE} [data-eq=w]')")
    return float(ui.page.get_attribute(f"{UPDATE} [data-eq=w]", "data-value"))


def test_a_branch_from_a_scrubbed_epoch_draws_beside_its_original_with_the_server_s_numbers(ui):
    page = ui.open(QUERY)
    end = 60
    run_to(ui, end)
    scrub(page, 30)
    page.click('[data-testid="what-if"]')
    form = '[data-testid="what-if-form"]'
    assert page.inner_text(f"{form} h3") == "What if… from epoch 30"
    wanted = page.request.get("/api/schema").json()["branch"]["fields"]
    assert page.eval_on_selector_all(f"{form} [data-name]", "els => els.map(e => e.dataset.name)") == wanted
    assert page.input_value('[data-testid="branch-field-lr"]') == "0.1"
    page.click(f"{form} [data-act=cancel]")

    make_branch(ui, {"lr": 0.5})

    assert ui.state("[s.snapshot.epoch, s.network.config.lr, s.runs.runs[1].label]") == [
        30, 0.5, "η 0.1 → 0.5 from epoch 30"]
    assert page.get_attribute('[data-testid="branch-mark"]', "data-epoch") == "30"
    assert page.inner_text('[data-testid="runs"] [aria-pressed="true"]').split()[:2] == ["branch", "1"]
    run_to(ui, end)
    branch_model, branch_history = save(ui, "branch-one")
    assert ui.state("s.snapshot.curve.loss") == branch_history["loss"]

    page.click('[data-testid="runs"] [data-run-id="0"]')
    ui.wait_state(f"s.runs && s.runs.live === 0 && s.snapshot.epoch === {end}")
    original_model, original_history = save(ui, "original-one")
    chart = '[data-testid="loss-chart"]'
    page.wait_for_function(f"() => document.querySelector('{chart}')?.dataset.runs"
                           f" === '1:{len(branch_history['loss']) - 30}'")  # the branch drawn from where it left
    drawn = ui.state("s.runs.runs.map((r) => [r.id, r.curve.epochs, r.curve.loss, r.curve.accuracy])")
    assert drawn == [[0, original_history["epoch"], original_history["loss"], original_history["accuracy"]],
                     [1, branch_history["epoch"], branch_history["loss"], branch_history["accuracy"]]]
    assert original_history["loss"][:30] == branch_history["loss"][:30]
    assert original_history["loss"][31:] != branch_history["loss"][31:]
    assert "branch 1: loss " in page.inner_text(".vis-readout")
    assert original_model["config"]["lr"] == 0.1 and branch_model["config"]["lr"] == 0.5
    assert ui.errors == []


def test_switching_runs_shows_the_live_run_s_weights_everywhere(ui):
    page = ui.open(QUERY)
    ui.train_until(20)
    make_branch(ui, {"momentum": 0.9})
    ui.train_until(40)
    page.wait_for_selector('[data-testid="equations"] .vis-gcell')
    branch_model, _ = save(ui, "momentum-branch")
    assert shown_weight(ui, 2, 3, 0) == branch_model["weights"][2][3][0]
    assert page.input_value('[data-testid="field-lr"]') == "0.1"

    page.click('[data-testid="runs"] [data-run-id="0"]')
    ui.wait_state("s.runs && s.runs.live === 0")
    original_model, _ = save(ui, "no-momentum")

    assert ui.state("s.snapshot.epoch") == original_model["epoch"] != branch_model["epoch"]
    assert shown_weight(ui, 2, 3, 0) == original_model["weights"][2][3][0] != branch_model["weights"][2][3][0]
    assert page.inner_text('[data-testid="epoch"]') == count(original_model["epoch"])  # thin-space thousands
    assert ui.errors == []


def test_a_refused_change_is_said_in_the_form_by_the_field_s_label(ui):
    page = ui.open(QUERY)
    ui.train_until(5)
    page.click('[data-testid="what-if"]')
    page.fill('[data-testid="branch-field-lr"]', "500")
    page.click('[data-testid="branch-start"]')
    page.wait_for_selector('[data-testid="branch-error"]:not([hidden])')
    assert page.inner_text('[data-testid="branch-error"]') == "Learning rate (lr): 500 is not a number from 0 to 100"
    assert page.is_visible('[data-testid="what-if-form"]') and ui.state("s.runs") is None
    assert not page.is_visible('[data-error-for="lr"]')  # the settings bar's η is not the one refused


SCREENS = [
    pytest.param({"width": 1280, "height": 720}, False, False, id="1280x720"),
    pytest.param({"width": 1280, "height": 720}, False, True, id="1280x720-projector"),
    pytest.param({"width": 1024, "height": 768}, True, False, id="1024x768-touch"),
    pytest.param({"width": 1024, "height": 768}, True, True, id="1024x768-touch-projector"),
    pytest.param({"width": 1920, "height": 1080}, False, True, id="1920x1080-projector"),
]


@contextlib.contextmanager
def trained_page(browser, live_server, viewport, touch, projector, query=QUERY, epochs=20):
    """A page at one of SCREENS with ``query``'s network trained to ``epochs`` and shown there, closed after."""
    context = browser.new_context(viewport=viewport, has_touch=touch, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"/?{query}{'&projector=1' if projector else ''}")
        page.wait_for_function("() => window.playground.state.snapshot !== null")
        page.evaluate(f"() => window.playground.send('start', {{speed: 'max', until: {epochs}}})")
        page.wait_for_function("() => window.playground.state.status?.state === 'done'"
                               f" && window.playground.state.snapshot.epoch === {epochs}")
        yield page
    finally:
        context.close()


@pytest.mark.parametrize(("viewport", "touch", "projector"), SCREENS)
def test_the_what_if_controls_are_inside_the_screen(browser, live_server, viewport, touch, projector):
    with trained_page(browser, live_server, viewport, touch, projector) as page:
        page.click('[data-testid="what-if"]')
        inside = ['[data-testid="what-if"]', '[data-testid="what-if-form"]', '[data-testid="branch-start"]',
                  *[f'[data-testid="branch-field-{n}"]' for n in ("lr", "batch", "momentum", "regularization",
                                                                   "reg_rate", "variant")]]
        for sel in inside:
            assert_inside(page, sel, viewport)
        page.click('[data-testid="branch-start"]')
        page.wait_for_function("() => window.playground.state.runs?.live === 1")
        for sel in ('[data-testid="runs"] [data-run-id="0"]', '[data-testid="runs"] [data-run-id="1"]'):
            # Scrolled to and measured in one task, until it fits: the list is redrawn by every `runs` message and
            # the views above it may still grow, so a box measured after a separate scroll can be stale.
            page.wait_for_function(SCROLLED_INSIDE, arg=sel)
        if touch:
            assert page.locator('[data-testid="runs"] [data-run-id="0"]').bounding_box()["height"] >= 34


SCROLLED_INSIDE = """(sel) => {
  const el = document.querySelector(sel);
  if (!el) return false;
  el.scrollIntoView({ block: 'center' });
  const r = el.getBoundingClientRect();
  return r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight;
}"""


def assert_inside(page, selector, viewport):
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
    assert box["x"] + box["width"] <= viewport["width"] and box["y"] + box["height"] <= viewport["height"], (
        selector, box)
