"""A regression in the page: the 2-D fitted surface on a value scale around 0 with its colour bar, the targets in
the same colours and the error measure in regression words; the 1-D fitted curve takes a click that adds (x, y).
Every number compared is the server's (the snapshot and the network message the page holds)."""
from __future__ import annotations

import math
import re

import pytest

HEAT = '[data-testid="heatmap"]'
FIT = '[data-testid="fit1d"]'
NEG, MID, POS = (230, 97, 1), (247, 247, 247), (8, 119, 189)  # visual-kit.js's diverging stops


def diverging(t):
    """visual-kit.js's ``diverging``: [r, g, b] for t in −1 … 1."""
    t = max(-1.0, min(1.0, t))
    (a, b, f) = (NEG, MID, t + 1) if t <= 0 else (MID, POS, t)
    return [math.floor(x + f * (y - x) + 0.5) for x, y in zip(a, b, strict=True)]


def scale_of(network):
    """Half the width of the value scale: the largest |target| (training and test), rounded up to a half."""
    ys = [abs(row[0]) for row in network["dataset"]["Y"] + (network["test"]["Y"] if network["test"] else [])]
    return max(0.5, math.ceil(max(ys) * 2 - 1e-9) / 2)


def pixels(page, points):
    """[r, g, b] of the heatmap canvas at CSS-pixel positions ``points`` of its drawing."""
    return page.eval_on_selector(f"{HEAT} canvas", """(c, pts) => { const k = c.width / c.clientWidth;
      const g = c.getContext('2d'); return pts.map(([x, y]) =>
        Array.from(g.getImageData(Math.floor(x * k), Math.floor(y * k), 1, 1).data.slice(0, 3))); }""", points)


@pytest.fixture
def surface(ui):
    page = ui.open("preset=regression-bumps")
    ui.train_until(300)
    page.wait_for_selector(f'{HEAT}[data-view="surface"][data-n="40"]')
    return page


def test_the_surface_is_on_a_value_scale_around_0_with_its_numbers(ui, surface):
    page = surface
    network = ui.state("s.network")
    assert network["dataset"]["task"] == "regression"  # the server's word, which the page reads
    R = scale_of(network)
    assert float(page.get_attribute(HEAT, "data-scale")) == R
    ends = page.eval_on_selector_all('[data-testid="value-scale"] span', "els => els.map(e => e.textContent)")
    assert ends == [f"−{R:g}", "0", f"{R:g}"]
    assert page.inner_text("#heatmap-root h3") == "Fitted surface"
    assert page.text_content("#data-title") == "Data and the fitted surface"
    assert not page.is_visible('[data-testid="discretise"]') and not page.is_visible('[data-testid="add-class-0"]')
    words = page.inner_text("#heatmap-root").lower()
    assert not re.search(r"\bclass\b|accuracy|right side|boundary", words), words


@pytest.mark.parametrize("preset", ["regression-bumps", "sine-curve"])
def test_a_regression_has_no_accuracy_or_confusion_only_its_error_curve(ui, preset):
    page = ui.open(f"preset={preset}")
    ui.train_until(20)
    assert not page.is_visible('[data-testid="accuracy"]') and not page.is_visible('[data-testid="confusion"]')
    assert page.is_visible('.vis-key[data-series="error"]')
    ui.open("preset=spiral")  # a classification: they are there
    page.wait_for_selector('[data-testid="accuracy"]', state="visible")
    page.wait_for_selector('[data-testid="confusion"]', state="visible")


def test_the_caption_gives_the_servers_mean_error_on_training_and_test_points(ui, surface):
    snap = ui.state("s.snapshot")
    caption = surface.inner_text("#heatmap-root .vis-caption")
    assert caption.startswith(f"Colour: the network's output a over the plane at epoch {snap['epoch']}")
    found = re.search(r"Mean \|y − a\|: (\S+) on the training points, (\S+) on the test points", caption)
    train, test = (float(v.replace("−", "-")) for v in found.groups())
    assert train == pytest.approx(snap["error"], rel=1e-3) and test == pytest.approx(snap["test_error"], rel=1e-3)


def test_the_plane_and_the_dots_are_coloured_by_value(ui, surface):
    page = surface
    network, boundary = ui.state("s.network"), ui.state("s.snapshot.boundary")
    R, n = scale_of(network), boundary["n"]
    size = page.eval_on_selector(f"{HEAT} canvas", "c => c.clientWidth")
    page.uncheck('[data-testid="show-test"]')
    page.wait_for_selector(f'{HEAT}[data-test="0"]')
    # The plane: the grid's most negative and most positive outputs, where no dot covers them.
    x0, x1, y0, y1 = boundary["extent"]
    pts = network["dataset"]["X"]
    cw = size / (n - 1)
    far = [(r, c) for r in range(2, n - 2) for c in range(2, n - 2)
           if all(math.dist((c * cw, size - r * cw), ((p[0] - x0) / (x1 - x0) * size,
                                                     size - (p[1] - y0) / (y1 - y0) * size)) > 10 for p in pts)]
    lo = min(far, key=lambda rc: boundary["values"][rc[0]][rc[1]])
    hi = max(far, key=lambda rc: boundary["values"][rc[0]][rc[1]])
    assert boundary["values"][lo[0]][lo[1]] < -0.3 < 0.3 < boundary["values"][hi[0]][hi[1]]
    (r_lo, _, b_lo), (r_hi, _, b_hi) = pixels(page, [(c * cw, size - r * cw) for r, c in (lo, hi)])
    assert r_lo > b_lo + 60 and b_hi > r_hi + 60  # orange below 0, blue above: not clamped to a class palette
    # The dots: each isolated training point is filled with its target's colour on the same scale.
    centres = [((p[0] - x0) / (x1 - x0) * size, size - (p[1] - y0) / (y1 - y0) * size) for p in pts]
    alone = [i for i, a in enumerate(centres) if min(math.dist(a, b) for j, b in enumerate(centres) if j != i) > 14
             and 8 < a[0] < size - 40 and 8 < a[1] < size - 8]
    assert len(alone) >= 5
    got = pixels(page, [centres[i] for i in alone])
    for i, rgb in zip(alone, got, strict=True):
        want = diverging(network["dataset"]["Y"][i][0] / R)
        assert max(abs(a - b) for a, b in zip(rgb, want, strict=True)) <= 3, (i, rgb, want)
    assert ui.errors == []


def test_a_click_on_the_fitted_curve_adds_that_point_and_the_run_goes_on(ui):
    page = ui.open("preset=sine-curve")
    ui.train_until(20)
    epoch, n = ui.state("s.snapshot.epoch"), ui.state("s.network.dataset.n_samples")
    left, top, width, height = (float(v) for v in page.get_attribute(FIT, "data-plot").split())
    x0, x1, y0, y1 = ui.state("s.snapshot.boundary.extent")
    box = page.locator(f"{FIT} canvas").bounding_box()
    fx, fy = 0.3, 0.2  # of the plotting area, from its top left
    page.mouse.click(box["x"] + (left + fx * width) * box["width"], box["y"] + (top + fy * height) * box["height"])
    ui.wait_state(f"s.network.dataset.n_samples === {n + 1}")
    ds = ui.state("s.network.dataset")
    assert ds["X"][-1] == pytest.approx([x0 + fx * (x1 - x0)], abs=0.011)
    assert ds["Y"][-1] == pytest.approx([y1 - fy * (y1 - y0)], abs=0.011)
    assert ds["added"] == 1 and ds["X"][:n] == ui.state("s.network.dataset.X.slice(0, -1)")
    page.wait_for_selector(f'{FIT}[data-points="{n + 1}"][data-added="1"]')
    status = page.inner_text('#fit1d-root [data-testid="point-status"]')
    assert status.startswith("Added (x ") and f"{n + 1} training points (1 added by you)" in status
    assert f"the run goes on from epoch {epoch}" in status
    assert "Diamonds: the points you added." in page.inner_text("#fit1d-root .vis-caption")
    ui.train_until(epoch + 5)
    assert ui.state("s.snapshot.curve.data_changes") == [epoch]  # the same run, its curve marks the change
    assert ui.errors == []
