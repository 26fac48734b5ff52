"""A link holds the "what if" runs: the copied URL, opened in a fresh page, shows the same runs with the same curves."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from test_branches import QUERY, make_branch, run_to, scrub

RUNS = "s.runs.runs.map((r) => [r.id, r.name, r.label, r.parent, r.from_epoch, r.epoch, r.changes, r.curve])"


def state(page, expr):
    return page.evaluate(f"() => {{ const s = window.playground.state; return {expr}; }}")


def test_two_branches_in_the_copied_url_open_as_the_same_runs_in_a_fresh_page(ui, fresh):
    page = ui.open(QUERY)
    run_to(ui, 40)
    make_branch(ui, {"lr": 0.5})  # branch 1 from epoch 40
    run_to(ui, 60)
    scrub(page, 50)
    make_branch(ui, {"momentum": 0.9, "regularization": "l2", "reg_rate": 0.01})  # branch 2, of branch 1, from 50
    run_to(ui, 70)
    page.click('[data-testid="runs"] [data-run-id="0"]')
    ui.wait_state("s.runs && s.runs.live === 0")
    page.click('[data-testid="runs"] [data-run-id="2"]')  # the runs message now holds every run's whole curve
    ui.wait_state("s.runs && s.runs.live === 2 && s.snapshot.epoch === 70")
    ui.wait_state("new URLSearchParams(location.search).get('live') === '2'")
    link = page.url
    assert parse_qs(urlsplit(link).query)["branch"] == ["0,40,60,lr:0.5", "1,50,70,momentum:0.9,regularization:l2,"
                                                        "reg_rate:0.01"]
    assert parse_qs(urlsplit(link).query)["runs"] == ["40"]

    fresh.goto(link)
    fresh.wait_for_function("() => { const s = window.playground.state;"
                            " return s.runs && s.runs.runs.length === 3 && s.snapshot && s.snapshot.curve; }")

    assert state(fresh, RUNS) == ui.state(RUNS)
    assert state(fresh, "[s.runs.live, s.snapshot.epoch, s.snapshot.curve.loss, s.network.config]") == ui.state(
        "[s.runs.live, s.snapshot.epoch, s.snapshot.curve.loss, s.network.config]")
    assert fresh.inner_text('[data-testid="runs"]') == page.inner_text('[data-testid="runs"]')
    page.wait_for_function("() => (document.querySelector('[data-testid=loss-chart]')?.dataset.runs || '')"
                           ".split(',').map((r) => r.split(':')[0]).join() === '0,1'")  # redrawn with branch 2 live
    drawn = page.get_attribute('[data-testid="loss-chart"]', "data-runs")  # each other run: "id:points drawn"
    fresh.wait_for_function("(d) => document.querySelector('[data-testid=loss-chart]')?.dataset.runs === d", arg=drawn)
    fresh.wait_for_function(f"() => location.href === {link!r}")  # the rebuilt page's own link is the same
    assert fresh.errors == [] and ui.errors == []


def test_a_bad_link_says_which_field_and_keeps_the_network_and_the_link(ui):
    page = ui.page
    page.goto(f"/?{QUERY}&runs=10&branch=0,5,9,lr:500")

    page.wait_for_function("() => !document.querySelector('[data-testid=step-notice]')?.hidden && document"
                           ".querySelector('[data-testid=step-notice]').textContent.startsWith('The what-if runs')")
    assert page.inner_text('[data-testid="step-notice"]') == (
        "The what-if runs of this link could not be opened: Learning rate (lr): 500 is not a number from 0 to 100 "
        "(branch 1 of the link)")
    assert ui.state("[s.snapshot.epoch, s.runs, s.network.config.n_points]") == [0, None, 100]
    assert "branch=0,5,9,lr:500" in page.url
    ui.train_until(3)
    assert ui.errors == []


NOTICE = "() => document.querySelector('[data-testid=step-notice]')?.textContent || ''"


def test_a_long_link_says_where_its_rebuild_is_and_play_stops_it_keeping_the_network_live(ui, tmp_path):
    page = ui.page
    link = f"/?{QUERY}&runs=5000&branch=0,1000,5000,lr:0.2&branch=0,2000,5000,lr:0.05"
    page.goto(link)

    page.wait_for_function(f"() => /^Rebuilding the link's runs: run [123] of 3, epoch [1-9][0-9\\u2009]* of "
                           f"5\\u2009000 \\(play, step or a new setting stops it\\)$/.test(({NOTICE})())")
    page.locator('[data-testid="step-notice"]').screenshot(path=str(tmp_path / "link-rebuilding.png"))
    page.click('[data-testid="play"]')  # the page is live: play is answered, and stops the rebuild

    page.wait_for_function(f"() => ({NOTICE})().startsWith('The runs of this link were not opened: stopped')")
    ui.wait_state("s.status && s.status.state === 'training' && s.snapshot.epoch > 0 && s.runs === null")
    assert "branch=0,1000,5000,lr:0.2" in page.url  # the link stays in the URL
    page.click('[data-testid="play"]')
    ui.wait_state("s.status && s.status.state === 'paused'")
    assert ui.errors == []
