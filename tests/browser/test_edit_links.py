"""A link holds the learner's own edits: two points clicked on the plane and a typed weight, in the copied URL, open
in a fresh page as the same dataset, the same weights and the same curve."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from test_points import SET, click_plane, select_weight

SHOWN = ("[s.network.dataset.X, s.network.dataset.Y, s.snapshot.epoch, s.snapshot.weights, s.snapshot.biases,"
         " s.snapshot.curve]")


def test_two_clicked_points_and_a_typed_weight_in_the_copied_url_open_the_same_in_a_fresh_page(ui, fresh):
    page = ui.open("preset=spiral")
    n = ui.state("s.network.dataset.n_samples")
    ui.train_until(10)
    first_epoch = ui.state("s.snapshot.epoch")
    click_plane(ui, 0.25, 0.75)  # class 1, the toggle's start
    ui.wait_state(f"s.network.dataset.n_samples === {n + 1}")
    a = ui.state("s.network.dataset.X.at(-1)")  # the server's coordinates of the point
    ui.train_until(first_epoch + 10)
    second_epoch = ui.state("s.snapshot.epoch")
    page.click('[data-testid="add-class-0"]')
    click_plane(ui, 0.8, 0.1)
    ui.wait_state(f"s.network.dataset.n_samples === {n + 2}")
    b = ui.state("s.network.dataset.X.at(-1)")
    last = ui.state("s.snapshot.weights.length") - 1
    select_weight(ui, last, 2, 0)
    page.fill(f"{SET} input", "1.25")
    page.press(f"{SET} input", "Enter")
    ui.wait_state(f"s.snapshot.weights[{last}][2][0] === 1.25")
    ui.train_until(second_epoch + 10)
    ui.wait_state("new URLSearchParams(location.search).getAll('edit').length === 3"
                  " && new URLSearchParams(location.search).get('runs') === String(s.snapshot.epoch)")
    link = page.url
    query = parse_qs(urlsplit(link).query)
    assert query["edit"] == [f"0,{first_epoch},x1:{a[0]:g},x2:{a[1]:g},label:1",
                             f"0,{second_epoch},x1:{b[0]:g},x2:{b[1]:g},label:0",
                             f"0,{second_epoch},layer:{last},row:2,col:0,value:1.25"]
    assert "branch" not in query and "live" not in query

    fresh.goto(link)
    fresh.wait_for_selector(f'[data-testid="heatmap"][data-points="{n + 2}"][data-added="2"]')
    epoch = ui.state("s.snapshot.epoch")
    fresh.wait_for_function(f"() => {{ const s = window.playground.state; return s.runs && s.snapshot"
                            f" && s.snapshot.epoch === {epoch} && s.snapshot.curve; }}")

    assert fresh.evaluate(f"() => {{ const s = window.playground.state; return {SHOWN}; }}") == ui.state(SHOWN)
    assert ui.state("s.snapshot.curve.data_changes") == [first_epoch, second_epoch]
    fresh.wait_for_function(f"() => location.href === {link!r}")  # the rebuilt page's own link is the same
    assert fresh.errors == [] and ui.errors == []


def test_a_link_with_a_point_off_the_plane_says_which_field_and_keeps_the_network_and_the_link(ui):
    page = ui.page
    page.goto("/?preset=spiral&runs=5&edit=0,2,x1:3,x2:0,label:1")

    page.wait_for_function("() => !document.querySelector('[data-testid=step-notice]')?.hidden && document"
                           ".querySelector('[data-testid=step-notice]').textContent.startsWith('The edits of')")
    assert page.inner_text('[data-testid="step-notice"]') == (
        "The edits of this link could not be opened: Point (x): x1 must be a number from -1.5 to 1.5 "
        "(the plane), got 3 (edit 1 of the link)")
    assert ui.state("[s.snapshot.epoch, s.runs, s.network.dataset.added ?? 0]") == [0, None, 0]
    assert "edit=0,2,x1:3,x2:0,label:1" in page.url
    ui.train_until(3)
    assert ui.errors == []


def test_a_reset_takes_the_edits_out_of_the_url(ui):
    page = ui.open("preset=spiral")
    n = ui.state("s.network.dataset.n_samples")
    click_plane(ui, 0.25, 0.75)
    ui.wait_state(f"s.network.dataset.n_samples === {n + 1}")
    ui.wait_state("new URLSearchParams(location.search).getAll('edit').length === 1")

    page.click('[data-testid="reset"]')

    ui.wait_state("s.runs === null && !new URLSearchParams(location.search).has('edit')")
    assert "runs" not in parse_qs(urlsplit(page.url).query)
    assert ui.errors == []
