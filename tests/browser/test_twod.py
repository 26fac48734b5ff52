"""The 2-D presets in the page: the test curve beside the training curve, points at their coordinates when the
network reads features of them, inputs labelled by feature, and the playground fields kept in the URL."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

CHART = '[data-testid="loss-chart"]'
PURPLE = (0xCC, 0x79, 0xA7)  # HUES.purple: the test series


def purple_pixels(page):
    """Pixels of the loss chart's canvas in the test series' colour (anti-aliasing aside)."""
    return page.eval_on_selector(CHART, """(el, [r, g, b]) => { const c = el.querySelector('canvas');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
      for (let k = 0; k < d.length; k += 4)
        if (d[k + 3] > 200 && Math.abs(d[k] - r) < 12 && Math.abs(d[k + 1] - g) < 12
            && Math.abs(d[k + 2] - b) < 12) n++;
      return n; }""", list(PURPLE))


def test_the_overfitting_preset_draws_the_servers_test_loss_beside_the_training_loss(ui):
    page = ui.open("preset=overfitting")
    ui.train_until(600)
    curve = ui.state("s.snapshot.curve")
    assert curve["test_loss"] is not None and len(curve["test_loss"]) == len(curve["epochs"])
    page.wait_for_selector(f'{CHART}[data-test="true"][data-points="{len(curve["epochs"])}"]')
    assert purple_pixels(page) > 100
    assert page.is_visible('.vis-key[data-series="test_loss"]')
    text = page.inner_text(".vis-readout")
    last = len(curve["epochs"]) - 1
    shown = float(re.search(r"test loss ([-0-9.e]+)", text).group(1))
    assert shown == pytest.approx(curve["test_loss"][last], rel=1e-3)  # the server's number, as the page rounds it
    assert text.startswith(f"epoch {curve['epochs'][last]}: ")
    assert ui.errors == []


def test_without_a_split_there_is_no_test_curve(ui):
    page = ui.open("preset=spiral")
    ui.train_until(20)
    page.wait_for_selector(f'{CHART}[data-test="false"]')
    assert not page.is_visible('.vis-key[data-series="test_loss"]')
    assert purple_pixels(page) == 0
    assert "test loss" not in page.inner_text(".vis-readout")


def test_feature_inputs_are_labelled_and_the_points_stay_at_their_coordinates(ui):
    page = ui.open("preset=circle-features")
    names = page.eval_on_selector_all('[data-testid="network"] .in-name', "els => els.map(e => e.textContent)")
    assert names == ["x₁²", "x₂²"]
    ds = ui.state("s.network.dataset")
    assert ds["features"] == ["x1^2", "x2^2"] and len(ds["points"]) == len(ds["X"])
    for x, p in zip(ds["X"], ds["points"], strict=True):
        assert x == pytest.approx([p[0] ** 2, p[1] ** 2], rel=1e-12)
    assert any(p[0] < 0 for p in ds["points"])  # points on the left half: drawn from `points`, not from X ≥ 0
    assert ui.errors == []


def test_the_playground_fields_go_into_the_url_and_a_link_reproduces_them(ui):
    page = ui.open("preset=overfitting&regularization=l2&reg_rate=0.02&noise=30&features=x1,x2,x1x2")
    config = ui.state("s.network.config")
    assert (config["regularization"], config["reg_rate"], config["noise"]) == ("l2", 0.02, 30.0)
    assert config["features"] == ["x1", "x2", "x1x2"] and ui.state("s.network.sizes")[0] == 3
    page.wait_for_function("() => location.search.includes('reg_rate=')")
    query = parse_qs(urlparse(page.url).query)
    assert query["regularization"] == ["l2"] and query["reg_rate"] == ["0.02"]
    assert query["features"] == ["x1,x2,x1x2"] and query["noise"] == ["30"]
    ui.open(urlparse(page.url).query)  # the link, opened again
    assert ui.state("s.network.config") == config


def test_the_sine_shows_its_points_and_the_fitted_curve(ui):
    page = ui.open("preset=sine-curve")
    ui.train_until(50)
    fit = '[data-testid="fit1d"]'
    page.wait_for_selector(f'{fit}[data-n="121"][data-points="160"][data-test="40"]')
    assert page.is_visible(fit) and not page.is_visible('[data-testid="heatmap"]')
    assert page.text_content("#data-title") == "Data and the fitted curve"
    caption = page.inner_text("#fit1d-root .vis-caption")
    assert caption.startswith(f"The line is the network's output a(x) at epoch {ui.state('s.snapshot.epoch')}")
    assert ui.errors == []


def test_the_heatmap_rings_the_held_out_points_and_can_hide_them(ui):
    page = ui.open("preset=overfitting")
    heat = '[data-testid="heatmap"]'
    page.wait_for_selector(f'{heat}[data-points="30"][data-test="30"]')
    page.click('[data-testid="show-test"]')
    page.wait_for_selector(f'{heat}[data-test="0"]')
    page.click('[data-testid="show-test"]')
    page.wait_for_selector(f'{heat}[data-test="30"]')
    ui.open("preset=spiral")
    page.wait_for_selector(f'{heat}[data-test="0"]')
    assert not page.is_visible('[data-testid="show-test"]')
    assert ui.errors == []


@pytest.mark.parametrize("reg, term", [("l2", lambda lam, w: lam * w),
                                       ("l1", lambda lam, w: lam * (w > 0) - lam * (w < 0))])
def test_bp4_shows_the_regularisation_term_with_its_numbers(ui, reg, term):
    page = ui.open(f"preset=overfitting&regularization={reg}&reg_rate=0.01")
    ui.train_until(30)
    x, y = page.eval_on_selector('[data-hit="3-4-0"]', """el => {
        const p = el.getPointAtLength(el.getTotalLength() / 2), m = el.getScreenCTM();
        return [p.x * m.a + p.y * m.c + m.e, p.x * m.b + p.y * m.d + m.f]; }""")
    page.mouse.click(x, y)
    card = '[data-testid="equations"] [data-card="bp4"]'
    page.wait_for_selector(f'{card} [data-eq="reg_rate"]')
    snap = ui.state("s.snapshot")
    sel = ui.state("s.selection")
    l, i, j = sel["layer"], sel["from"], sel["to"]
    w, grad = snap["weights"][l][i][j], snap["gradients"]["weights"][l][i][j]

    def shown(name):
        return float(page.get_attribute(f'{card} [data-eq="{name}"]', "data-value"))

    assert shown("reg_rate") == 0.01 and shown("w") == w and shown("grad_w") == grad
    text = page.inner_text(card)
    assert ("λ·w more" if reg == "l2" else "λ·sign(w) more") in text and "never a bias" in text
    warn = page.locator(f"{card} .vis-warn")
    assert "".join(warn.all_inner_texts()).strip() == ""  # Σ a·δ + penalty is the engine's gradient: no warning
    # and the gradient really holds the term: what the page shows is what backprop plus the penalty gives
    from engine import presets
    s = presets.build({"preset": "overfitting", "regularization": reg, "reg_rate": 0.01})
    s.trainer.run(snap["epoch"])
    plain = s.net.copy()
    plain.regularization = "none"
    g = plain.gradients(s.trainer.X, s.trainer.Y).weights[l][i, j]
    assert grad == pytest.approx(g + term(0.01, w), rel=1e-9)
    assert ui.errors == []
