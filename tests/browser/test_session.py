"""What outlives one page view: the configuration in the URL, the connection, and the store."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse


def query(page):
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def test_the_url_round_trips_the_configuration(ui):
    page = ui.open("preset=xor-3-4-1&layers=6,3&activation=tanh&lr=0.5&seed=7")
    net = ui.state("s.network")
    assert net["sizes"] == [3, 6, 3, 1]
    assert {k: net["config"][k] for k in ("preset", "layers", "activation", "lr", "seed")} == {
        "preset": "xor-3-4-1", "layers": [6, 3], "activation": "tanh", "lr": 0.5, "seed": 7}
    assert page.input_value('[data-ref="lr"]') == "0.5"
    assert page.input_value('[data-ref="activation"]') == "tanh"
    assert page.input_value('[data-testid="field-preset"]') == "xor-3-4-1"

    page.select_option('[data-ref="activation"]', "relu")
    ui.wait_state("s.network.config.activation === 'relu'")
    assert query(page) == {"preset": "xor-3-4-1", "layers": "6,3", "activation": "relu", "lr": "0.5", "seed": "7"}

    page.reload()
    page.wait_for_function("() => window.playground.state.network !== null")
    assert ui.state("s.network.config.activation") == "relu"
    assert ui.state("s.network.sizes") == [3, 6, 3, 1]
    assert ui.errors == []


def test_a_bad_value_in_the_url_is_shown_next_to_its_control_and_the_preset_still_loads(ui):
    page = ui.open("preset=letters&lr=500")
    error = page.locator('[data-error-for="lr"]')
    error.wait_for()
    assert "lr" in error.inner_text()
    assert ui.state("s.network.config.lr") == 0.1
    assert "lr" not in query(page)


def test_the_page_reconnects_after_a_server_restart(ui, live_server):
    page = ui.open("preset=xor-3-4-1&lr=0.5")
    banner = page.locator('[data-testid="connection"]')
    assert banner.is_hidden()
    live_server.stop()
    banner.wait_for(state="visible")
    assert "reconnecting" in banner.inner_text()
    assert page.inner_text('[data-testid="status"]') == "Reconnecting…"
    live_server.start()
    banner.wait_for(state="hidden", timeout=20_000)
    ui.wait_state("s.connected && s.network !== null && s.snapshot !== null")
    assert ui.state("s.network.config.lr") == 0.5
    page.click('[data-testid="step"]')
    page.wait_for_function("() => document.querySelector('[data-testid=epoch]')?.dataset.value === '1'")


def test_the_store_keeps_a_drawn_example_across_a_restart(ui, live_server):
    page = ui.open("preset=letters")
    drawn = [0] * 30
    for k in (1, 2, 3, 4, 7, 13, 19, 25, 26, 27, 28):  # a C
        page.locator('[data-testid="draw-grid"] [data-cell]').nth(k).click()
        drawn[k] = 1
    page.click('[data-testid="add-example"][data-label="C"]')
    page.wait_for_selector('[data-testid="add-status"][data-state="ok"]')
    live_server.restart()
    stored = live_server.get("/api/examples")["examples"]
    assert any(e["label"] == "C" and [round(v) for v in e["input"]] == drawn for e in stored)
