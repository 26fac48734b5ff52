"""The solo page's drawings: "Add to training set as …" puts the drawing into the running network (no restart),
a blank pad is refused, and "Your drawings" lists the stored ones and deletes them."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from tests.support.shown import count

A_CELLS = (2, 3, 7, 10, 12, 13, 14, 15, 16, 17, 18, 23, 24, 29)  # an A on the 5×6 pad
IMAGES = '[data-testid="training-images"] [data-sample]'
DRAWINGS = '[data-testid="my-drawings"] [data-drawing]'


def stored_letters(live_server):
    return len(live_server.get("/api/examples?dataset=letters")["examples"])


def draw(page, cells):
    for k in cells:
        page.locator('[data-testid="draw-grid"] [data-cell]').nth(k).click()


def test_adding_a_drawing_puts_it_in_the_running_network_and_marks_the_curve(ui, live_server, tmp_path):
    page = ui.open("preset=letters")
    before = 3 + stored_letters(live_server)  # the live server is shared: earlier tests may have stored drawings
    page.locator(IMAGES).nth(2).wait_for()  # the letters panel draws after the first network
    assert page.locator(IMAGES).count() == 3  # examples is off until the page adds one
    ui.train_until(300)
    epoch = ui.epoch()
    weights = ui.state("s.snapshot.weights")
    draw(page, A_CELLS)

    page.click('[data-testid="add-example"][data-label="A"]')
    page.wait_for_selector('[data-testid="add-status"][data-state="ok"]')

    n = before + 1
    assert stored_letters(live_server) == n - 3
    newest_id = live_server.get("/api/examples?dataset=letters")["examples"][-1]["id"]
    assert page.inner_text('[data-testid="add-status"]') == (
        f"Added as A (drawing #{newest_id}) — training set now {n} images; training goes on from epoch "
        f"{count(epoch)}")
    assert page.locator(IMAGES).count() == n
    assert ui.state("s.network.dataset.n_samples") == n
    assert ui.state("s.network.config.examples") is True
    newest = page.locator(IMAGES).nth(n - 1)
    assert newest.get_attribute("data-label") == "A"
    assert ui.state(f"s.network.dataset.X[{n - 1}]") == [1.0 if k in A_CELLS else 0.0 for k in range(30)]
    assert ui.epoch() == epoch and ui.state("s.snapshot.weights") == weights  # no restart
    assert ui.state("s.snapshot.curve.epochs.length") >= 2  # the curve of the run is still there
    assert parse_qs(urlparse(page.url).query)["examples"] == ["1"]

    page.click('[data-testid="step"]')  # it trains on the bigger set: one output row per training image
    page.wait_for_function(f"() => document.querySelector('[data-testid=epoch]')?.dataset.value === '{epoch + 1}'")
    ui.wait_state(f"s.snapshot.outputs.length === {n} && s.snapshot.curve.data_changes.includes({epoch})")
    page.wait_for_function(f"() => document.querySelector('[data-testid=loss-chart]')?.dataset.changes === '{epoch}'")
    assert page.locator(f'{IMAGES}[data-correct]').count() == n
    ui.train_until(2 * epoch)  # the mark stays where the data changed while the curve goes on
    assert page.get_attribute('[data-testid="loss-chart"]', "data-changes") == str(epoch)
    chart = page.locator('[data-testid="loss-chart"]')
    chart.scroll_into_view_if_needed()
    chart.screenshot(path=str(tmp_path / "data-change-marker.png"))
    assert ui.errors == []


def test_a_blank_pad_is_refused_with_a_message(ui, live_server):
    page = ui.open("preset=letters")
    before = stored_letters(live_server)
    page.click('[data-testid="add-example"][data-label="B"]')
    status = page.locator('[data-testid="add-status"]')
    assert status.get_attribute("data-state") == "error"
    assert status.inner_text() == "The pad is blank: paint the letter first, then add it."
    assert stored_letters(live_server) == before and ui.state("s.network.dataset.n_samples") == 3


def test_your_drawings_lists_the_stored_ones_and_deletes_one(ui, live_server, tmp_path):
    page = ui.open("preset=letters")
    draw(page, A_CELLS)
    page.click('[data-testid="add-example"][data-label="C"]')  # a mistake: an A stored as C
    page.wait_for_selector('[data-testid="add-status"][data-state="ok"]')
    stored = live_server.get("/api/examples?dataset=letters")["examples"]
    page.wait_for_function(f"() => document.querySelector('[data-testid=my-drawings]')?.dataset.count === "
                           f"'{len(stored)}'")
    first = page.locator(DRAWINGS).first  # the newest first
    assert first.get_attribute("data-drawing") == str(stored[-1]["id"]) and first.get_attribute("data-label") == "C"
    assert first.locator(".vis-img i").count() == 30
    page.locator('.vis-drawings').scroll_into_view_if_needed()
    page.locator('.vis-draw').screenshot(path=str(tmp_path / "your-drawings.png"))
    ui.train_until(5)
    epoch = ui.epoch()

    first.locator('[data-testid="delete-drawing"]').click()

    page.wait_for_selector('[data-testid="add-status"][data-state="ok"]')
    n = 3 + len(stored) - 1
    assert page.inner_text('[data-testid="add-status"]') == (
        f"Deleted drawing #{stored[-1]['id']} (C) — training set now {n} images; training goes on from epoch "
        f"{count(epoch)}")
    assert [e["id"] for e in live_server.get("/api/examples?dataset=letters")["examples"]] == \
        [e["id"] for e in stored[:-1]]
    page.wait_for_function(f"() => document.querySelector('[data-testid=my-drawings]')?.dataset.count === "
                           f"'{len(stored) - 1}'")
    assert page.locator(IMAGES).count() == n and ui.epoch() == epoch
    assert ui.errors == []
