"""The visual modules on their own: equations, letters, charts, heatmap and the mistake lab.

tests/browser/fixtures/visuals.html mounts the five modules with a stand-in ctx and feeds them payloads in
protocol shape computed by the real engine (fixtures/payloads.py), served by a static server on a free loopback
port.  Each test drives one module the way a student would and compares what it shows with the payload it was fed.
"""
from __future__ import annotations

import importlib.util
import json
import threading
from pathlib import Path

import numpy as np
import pytest

from tests.support.shown import count

_spec = importlib.util.spec_from_file_location("visual_payloads", Path(__file__).parent / "fixtures" / "payloads.py")
payloads = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(payloads)

EQ = '[data-testid="equations"]'
GRID = '[data-testid="draw-grid"]'


@pytest.fixture(scope="module")
def harness_url():
    server = payloads.serve(0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tests/browser/fixtures/visuals.html"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def scenes():
    return json.loads(payloads.build_json())


@pytest.fixture
def examples():
    payloads.Handler.examples.clear()
    payloads.Handler.refuse_examples = False
    yield payloads.Handler.examples
    payloads.Handler.refuse_examples = False


@pytest.fixture
def harness(browser, harness_url):
    """A page showing scene ``name`` (letters, moons, lab); ``page.errors`` collects console errors."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(f"uncaught: {e}"))

    def open_scene(name="letters"):
        page.goto(f"{harness_url}?scene={name}")
        page.wait_for_function("() => window.harness && window.harness.ready")
        page.wait_for_selector(f"{EQ} .katex")
        return page

    yield open_scene
    context.close()


def set_state(page, js_patch):
    page.evaluate(f"() => harness.setState({js_patch})")


def eq_values(page):
    """{data-eq: [values...]} of every number in the equations panel."""
    rows = page.eval_on_selector_all(f"{EQ} [data-eq]", "els => els.map(e => [e.dataset.eq, e.dataset.value])")
    out = {}
    for key, value in rows:
        out.setdefault(key, []).append(float(value) if value else None)
    return out


def one(values, key):
    """The single value every element with data-eq=key shows (they must agree)."""
    assert key in values, f"no [data-eq={key}] in the panel"
    assert len(set(values[key])) == 1, f"[data-eq={key}] disagree: {values[key]}"
    return values[key][0]


def wait_target(page, target):
    page.wait_for_function(f"() => document.querySelector('{EQ}')?.dataset.target === '{target}'")


# -- the drawing pad ---------------------------------------------------------------------------------------
def test_the_pad_holds_thirty_cells_in_row_major_order_five_rows_of_six(harness):
    page = harness("letters")
    cells = page.locator(f"{GRID} [data-cell]")
    assert cells.count() == 30
    assert [cells.nth(k).get_attribute("data-cell") for k in range(30)] == [str(k) for k in range(30)]
    boxes = [cells.nth(k).bounding_box() for k in range(30)]
    rows = sorted({round(b["y"]) for b in boxes})
    cols = sorted({round(b["x"]) for b in boxes})
    assert (len(rows), len(cols)) == (5, 6)
    assert all(round(boxes[k]["y"]) == rows[k // 6] and round(boxes[k]["x"]) == cols[k % 6] for k in range(30))
    assert page.errors == []


def test_clicking_a_cell_toggles_it(harness):
    page = harness("letters")
    cell = page.locator(f'{GRID} [data-cell="7"]')
    cell.click()
    assert cell.get_attribute("data-on") == "1"
    assert cell.get_attribute("aria-pressed") == "true"
    cell.click()
    assert cell.get_attribute("data-on") == "0"
    cell.focus()
    page.keyboard.press("Space")  # a keyboard click toggles it too
    assert cell.get_attribute("data-on") == "1"


def drag(page, start, end):
    a = page.locator(f'{GRID} [data-cell="{start}"]').bounding_box()
    b = page.locator(f'{GRID} [data-cell="{end}"]').bounding_box()
    x0, y0 = a["x"] + a["width"] / 2, a["y"] + a["height"] / 2
    page.mouse.move(x0, y0)
    page.mouse.down()
    for t in np.linspace(0, 1, 8):
        page.mouse.move(x0 + t * (b["x"] - a["x"]), y0 + t * (b["y"] - a["y"]))
    page.mouse.up()


def on_cells(page):
    return [int(c) for c in page.eval_on_selector_all(f'{GRID} [data-on="1"]', "els => els.map(e => e.dataset.cell)")]


def test_dragging_paints_erase_mode_rubs_out_and_clear_empties(harness):
    page = harness("letters")
    drag(page, 12, 17)  # the whole third row
    assert on_cells(page) == list(range(12, 18))
    page.click('[data-testid="draw-erase"]')
    drag(page, 13, 15)
    assert on_cells(page) == [12, 16, 17]
    page.click('[data-testid="draw-erase"]')
    drag(page, 2, 26)  # down the third column
    assert on_cells(page) == [2, 8, 12, 14, 16, 17, 20, 26]
    page.click('[data-testid="draw-clear"]')
    assert on_cells(page) == []
    assert page.inner_text('[data-testid="prediction"]') == "—"


def test_a_touch_drag_paints_like_a_mouse(harness):
    page = harness("letters")
    page.evaluate("""() => {
      const grid = document.querySelector('[data-testid=draw-grid]');
      const at = (k) => { const r = grid.querySelector(`[data-cell="${k}"]`).getBoundingClientRect();
        return { clientX: r.x + r.width / 2, clientY: r.y + r.height / 2 }; };
      const ev = (type, target, k) => target.dispatchEvent(new PointerEvent(type, { bubbles: true,
        pointerType: 'touch', pointerId: 7, isPrimary: true, ...at(k) }));
      ev('pointerdown', grid.querySelector('[data-cell="6"]'), 6);
      for (const k of [7, 8, 9, 10, 11]) ev('pointermove', grid, k);
      ev('pointerup', grid, 11);
    }""")
    assert on_cells(page) == list(range(6, 12))


def test_drawing_asks_the_server_and_shows_the_predicted_letter(harness, scenes):
    page = harness("letters")
    LETTER_A = [int(x) for x in scenes["letters"]["network"]["dataset"]["X"][0]]  # noqa: N806 - seed 002's A
    cells = page.locator(f"{GRID} [data-cell]")
    for k, on in enumerate(LETTER_A):
        if on:
            cells.nth(k).click()
    snap = scenes["letters"]["snapshot"]
    a = np.array(LETTER_A, float)
    for W in snap["weights"]:
        a = 1 / (1 + np.exp(-(a @ np.array(W))))
    expected = "ABC"[int(a.argmax())]
    page.wait_for_function(f"() => harness.sent.filter(s => s.event === 'predict').at(-1)?.payload.input.join() === "
                           f"'{','.join(map(str, LETTER_A))}'")
    top = float(a.max())
    page.wait_for_function("() => Math.abs(document.querySelector('[data-testid=prediction]')?.dataset.value"
                           f" - {top!r}) < 1e-12")
    assert page.inner_text('[data-testid="prediction"]') == expected
    assert page.locator('[data-testid="pad-bars"] .vis-bar').count() == 3
    assert page.errors == []


def test_add_to_training_set_posts_dataset_label_and_input(harness, examples):
    page = harness("letters")
    for k in (2, 3, 8, 9):
        page.click(f'{GRID} [data-cell="{k}"]')
    page.click('[data-testid="add-example"][data-label="B"]')
    page.wait_for_selector('[data-testid="add-status"][data-state="ok"]')
    n = page.evaluate("() => harness.state.network.dataset.n_samples") + 1
    epoch = page.evaluate("() => harness.state.snapshot.epoch")
    assert page.inner_text('[data-testid="add-status"]') == (
        f"Added as B (drawing #1) — training set now {n} images; training goes on from epoch {count(epoch)}")
    expected = [1 if k in (2, 3, 8, 9) else 0 for k in range(30)]
    assert examples == [{"dataset": "letters", "label": "B", "input": expected}]
    assert page.evaluate("() => harness.sent.filter(s => s.event === 'use_examples').length") == 1
    page.wait_for_selector('[data-testid="my-drawings"][data-count="1"] [data-drawing="1"][data-label="B"]')


def test_a_refused_example_shows_the_servers_message_inline(harness, examples):
    page = harness("letters")
    payloads.Handler.refuse_examples = True
    page.click(f'{GRID} [data-cell="7"]')
    page.click('[data-testid="add-example"][data-label="A"]')
    page.wait_for_selector('[data-testid="add-status"][data-state="error"]')
    assert page.inner_text('[data-testid="add-status"]') == "not stored: input: refused by the test"
    assert examples == []


PLUGGED = """() => { window.got = []; harness.plug({ drawings: {
  words: { button: 'Give it to the test as', pending: (label) => `giving ${label}…` }, list: null, remove: null,
  submit: (label, pixels) => { window.got.push({ label, pixels });
    return Promise.resolve({ state: 'ok', text: 'given' }); },
  news: (fn) => { window.tell = fn; } } }); harness.setState({}); }"""


def test_the_pad_hands_its_drawing_to_whatever_drawings_service_is_plugged_in(harness, examples):
    page = harness("letters")
    page.evaluate(PLUGGED)
    page.wait_for_function("() => document.querySelector('.vis-add > span')?.textContent === 'Give it to the test as'")
    for k in (2, 3, 8, 9):
        page.click(f'{GRID} [data-cell="{k}"]')
    page.click('[data-testid="add-example"][data-label="B"]')
    page.wait_for_selector('[data-testid="add-status"][data-state="ok"]')
    assert page.inner_text('[data-testid="add-status"]') == "given"
    assert page.evaluate("() => window.got") == [{"label": "B", "pixels": [1 if k in (2, 3, 8, 9) else 0
                                                                          for k in range(30)]}]
    assert examples == [] and page.evaluate("() => harness.sent.filter(s => s.event === 'use_examples').length") == 0
    assert not page.is_visible('[data-testid="my-drawings"]')  # a service that keeps no drawings has no list
    page.evaluate("() => window.tell({ state: 'error', text: 'later news of that drawing' })")
    status = page.locator('[data-testid="add-status"]')
    assert (status.inner_text(), status.get_attribute("data-state")) == ("later news of that drawing", "error")
    assert page.errors == []


def test_training_images_are_marked_correct_or_wrong_from_the_outputs(harness, scenes):
    page = harness("letters")
    outputs = np.array(scenes["letters"]["snapshot"]["outputs"])
    figs = page.locator('[data-testid="training-images"] [data-sample]')
    assert figs.count() == 3
    for i in range(3):
        predicted = int(outputs[i].argmax())
        assert figs.nth(i).get_attribute("data-correct") == ("true" if predicted == i else "false")
        assert figs.nth(i).get_attribute("data-predicted") == "ABC"[predicted]


# -- the equations -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("scene, layer, i, j", [
    ("letters", 1, 2, 0),  # hidden → output, MSE, no bias
    ("letters", 0, 12, 3),  # input → hidden, through BP2
    ("moons", 2, 1, 0),  # hidden → output, BCE after a sigmoid, mean over 100 samples, biases
    ("moons", 0, 1, 4),
    ("softmax", 1, 3, 2),  # hidden → output, CE after a softmax, biases
])
def test_the_equations_show_the_payloads_numbers_for_a_clicked_weight(harness, scenes, scene, layer, i, j):
    page = harness(scene)
    set_state(page, f"{{ selection: {{ kind: 'weight', layer: {layer}, from: {i}, to: {j} }} }}")
    wait_target(page, f"w:{layer}:{i}:{j}")
    s = scenes[scene]["snapshot"]
    v = eq_values(page)
    w, grad = s["weights"][layer][i][j], s["gradients"]["weights"][layer][i][j]
    assert one(v, "w") == w
    assert one(v, "grad_w") == grad
    assert one(v, "eta") == s["eta"]
    assert one(v, "w_new") == s["next"]["weights"][layer][i][j]  # the step the trainer really takes
    assert one(v, "a_prev") == s["activations"][layer][0][i]
    assert one(v, "z") == s["zs"][layer][0][j]
    assert one(v, "a") == s["activations"][layer + 1][0][j]
    assert one(v, "delta") == s["deltas"][layer][0][j]
    if scenes[scene]["network"]["bias"]:
        assert one(v, "b") == s["biases"][layer][j]
        assert one(v, "grad_b") == s["gradients"]["biases"][layer][j]
    a = s["activations"][layer + 1][0][j]
    act = scenes[scene]["network"]["activation"] if layer + 1 < len(s["weights"]) else "sigmoid"
    if "sigma_prime" in v:
        assert one(v, "sigma_prime") == (a * (1 - a) if act == "sigmoid" else 1 - a * a)
    assert page.locator(f'{EQ} [data-card="bp4"]').count() == 1
    assert page.errors == []


def test_without_a_selection_the_panel_explains_the_first_output_neuron(harness, scenes):
    page = harness("letters")
    wait_target(page, "n:2:0")
    assert page.inner_text(f"{EQ} .vis-eq-title") == "Output neuron 1"
    assert one(eq_values(page), "delta") == scenes["letters"]["snapshot"]["deltas"][1][0][0]
    assert page.locator(f'{EQ} [data-card="bp1"]').count() == 1


def test_bce_after_a_sigmoid_shows_the_sigma_prime_cancelling(harness, scenes):
    page = harness("moons")
    wait_target(page, "n:3:0")
    s, y = scenes["moons"]["snapshot"], scenes["moons"]["network"]["dataset"]["Y"][0][0]
    a = s["activations"][3][0][0]
    v = eq_values(page)
    assert one(v, "grad_a") * one(v, "sigma_prime") == pytest.approx(a - y, rel=1e-12)
    assert one(v, "delta") == pytest.approx((a - y) / 100, rel=1e-12)
    card = page.locator(f'{EQ} [data-card="bp1"]')
    assert card.locator(".cancel-pad").count() == 2  # both a(1 − a) struck through
    assert "they cancel, so δᴸ = a − y" in card.inner_text()


def test_ce_after_a_softmax_shows_delta_as_a_minus_y(harness, scenes):
    page = harness("softmax")
    wait_target(page, "n:2:0")
    s, y = scenes["softmax"]["snapshot"], scenes["softmax"]["network"]["dataset"]["Y"][0][0]
    a = s["activations"][2][0][0]
    v = eq_values(page)
    assert one(v, "delta") == s["deltas"][1][0][0]
    assert one(v, "delta") == pytest.approx((a - y) / 3, rel=1e-12)
    assert (one(v, "a"), one(v, "y")) == (a, y)
    assert "Softmax’s Jacobian and −y/a cancel" in page.inner_text(f'{EQ} [data-card="bp1"]')
    assert page.locator(f"{EQ} .vis-warn:visible").count() == 0


def bp1_values(page):
    rows = page.eval_on_selector_all(f'{EQ} [data-card="bp1"] [data-eq]',
                                     "els => els.map(e => [e.dataset.eq, e.dataset.value])")
    out = {}
    for key, value in rows:
        out.setdefault(key, []).append(float(value) if value else None)
    return out


@pytest.mark.parametrize("scene, shown", [
    ("letters", {"a", "y", "grad_a", "sigma_prime", "delta"}),  # MSE after a sigmoid: ∂C/∂a ⊙ σ′
    ("moons", {"a", "y", "grad_a", "sigma_prime", "delta"}),  # BCE after a sigmoid: σ′ cancels ∂C/∂a's a(1 − a)
    ("softmax", {"a", "y", "delta"}),  # CE after a softmax: δ = a − y
    ("softmax-mse", {"a", "grad_a", "dot", "delta"}),  # MSE after a softmax: through its Jacobian
])
@pytest.mark.parametrize("mode", ["snapshot", "trace"])
def test_the_bp1_card_shows_the_servers_cost_derivative_and_delta(harness, scenes, scene, shown, mode):
    """Every number of the output δ card is the engine's: ∂C/∂a is ``cost_derivative`` (never worked out from the
    loss's name), δ is ``deltas``; in step-sample mode both are the trace's."""
    page = harness(scene)
    sc = scenes[scene]
    L = len(sc["snapshot"]["weights"])
    wait_target(page, f"n:{L}:0")
    if mode == "trace":
        page.evaluate("() => harness.step('loss')")
        page.wait_for_function(f"() => document.querySelector('{EQ}')?.dataset.mode === 'trace'")
        t = sc["trace"]
        a, dC_da, delta, y = t["activations"][L], t["cost_derivative"], t["deltas"][L - 1], t["y"]
    else:
        s = sc["snapshot"]
        a, dC_da, delta = s["activations"][L][0], s["cost_derivative"][0], s["deltas"][L - 1][0]
        y = sc["network"]["dataset"]["Y"][0]
    v = bp1_values(page)
    assert set(v) == shown
    assert one(v, "a") == a[0] and one(v, "delta") == delta[0]
    if "y" in v:
        assert one(v, "y") == y[0]
    if "grad_a" in v:
        assert one(v, "grad_a") == dC_da[0]
    if "dot" in v:
        assert one(v, "dot") == pytest.approx(sum(g * ak for g, ak in zip(dC_da, a, strict=True)), rel=1e-12)
    assert page.locator(f'{EQ} [data-card="bp1"] .vis-warn:visible').count() == 0  # the textbook δ is the engine's
    assert page.errors == []


def test_an_input_neuron_shows_its_value_and_no_delta(harness, scenes):
    page = harness("letters")
    set_state(page, "{ selection: { kind: 'neuron', layer: 0, index: 2 } }")
    wait_target(page, "n:0:2")
    assert eq_values(page) == {"a": [scenes["letters"]["snapshot"]["activations"][0][0][2]]}
    assert "Inputs have no δ" in page.inner_text(EQ)


def test_sample_buttons_move_the_equations_to_the_next_sample(harness, scenes):
    page = harness("letters")
    set_state(page, "{ selection: { kind: 'weight', layer: 1, from: 0, to: 1 } }")
    wait_target(page, "w:1:0:1")
    page.click('[data-testid="eq-next-sample"]')
    page.wait_for_function(f"() => document.querySelector('{EQ}')?.dataset.sample === '1'")
    s = scenes["letters"]["snapshot"]
    v = eq_values(page)
    assert one(v, "delta") == s["deltas"][1][1][1]
    assert one(v, "a_prev") == s["activations"][1][1][0]


def test_column_layout_shows_the_same_numbers_with_w_transposed(harness, scenes):
    page = harness("letters")
    set_state(page, "{ selection: { kind: 'weight', layer: 1, from: 2, to: 0 } }")
    wait_target(page, "w:1:2:0")
    row = eq_values(page)
    assert "a.T @ delta" in page.inner_text(f'{EQ} [data-card="bp4"]')
    assert page.get_attribute(f"{EQ} .vis-gmat", "style").startswith("--cols:3;")  # ∂C/∂W2 is 5 × 3
    page.click('[data-testid="layout-toggle"]')
    page.wait_for_function(f"() => document.querySelector('{EQ}')?.dataset.layout === 'column'")
    page.wait_for_function(f"() => document.querySelector('{EQ} .vis-gmat')?.style.getPropertyValue('--cols') === '5'")
    col = eq_values(page)
    for key in ("w", "grad_w", "delta", "a_prev", "w_new"):
        assert one(col, key) == one(row, key)
    bp4 = page.inner_text(f'{EQ} [data-card="bp4"]')
    assert "W2[0, 2]" in bp4 and "delta @ a.T" in bp4
    selected = page.locator(f"{EQ} .vis-gcell.vis-sel")
    assert (selected.get_attribute("data-from"), selected.get_attribute("data-to")) == ("2", "0")


def test_clicking_a_gradient_cell_selects_that_weight(harness, scenes):
    page = harness("letters")
    page.click(f'{EQ} .vis-gcell[data-from="4"][data-to="2"]')
    wait_target(page, "w:1:4:2")
    assert one(eq_values(page), "grad_w") == scenes["letters"]["snapshot"]["gradients"]["weights"][1][4][2]


def test_step_sample_mode_uses_the_trace_and_lights_the_phase(harness, scenes):
    page = harness("letters")
    set_state(page, "{ selection: { kind: 'weight', layer: 1, from: 2, to: 0 } }")
    page.evaluate("() => harness.step('backward')")
    page.wait_for_function(f"() => document.querySelector('{EQ}')?.dataset.mode === 'trace'")
    t = scenes["letters"]["trace"]
    v = eq_values(page)
    assert one(v, "grad_w") == t["gradients"]["weights"][1][2][0]
    assert one(v, "delta") == t["deltas"][1][0]
    assert one(v, "w") == t["weights_before"][1][2][0]
    assert t["applied"] and one(v, "w_new") == t["weights_after"][1][2][0]
    active = page.eval_on_selector_all(f"{EQ} [data-card][data-active]", "els => els.map(e => e.dataset.card)")
    assert active == ["bp1", "bp4"]
    page.evaluate("() => harness.step('update')")
    page.wait_for_function(f"() => document.querySelector('{EQ} [data-card=update]').hasAttribute('data-active')")


def test_a_delta_that_is_not_the_textbooks_is_flagged(harness):
    page = harness("letters")
    wait_target(page, "n:2:0")
    # What the output-sigma-prime-dropped variant sends: δᴸ = a − y although the loss is MSE.
    page.evaluate("""() => {
      const s = structuredClone(harness.state.snapshot);
      const Y = harness.state.network.dataset.Y;
      s.deltas[1] = s.activations[2].map((row, n) => row.map((a, j) => a - Y[n][j]));
      harness.setState({ snapshot: s, network: { ...harness.state.network,
        variant: { name: 'output-sigma-prime-dropped' } } });
    }""")
    warn = page.locator(f'{EQ} [data-card="bp1"] .vis-warn')
    warn.wait_for()
    assert "output-sigma-prime-dropped" in warn.inner_text()


def test_the_update_card_finds_the_minus_of_w_plus_equals(harness, scenes):
    page = harness("lab")
    set_state(page, "{ selection: { kind: 'weight', layer: 1, from: 0, to: 0 } }")
    wait_target(page, "w:1:0:0")
    text = page.inner_text(f'{EQ} [data-card="update"]')
    assert "W += a.T @ delta" in text and "(y − a)σ′ = −δ" in text


# -- charts, heatmap, lab ----------------------------------------------------------------------------------
def canvas_ink(page, selector):
    """How many pixels of the canvas under ``selector`` are not transparent."""
    return page.eval_on_selector(selector, """el => { const c = el.querySelector('canvas');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0; for (let k = 3; k < d.length; k += 4) if (d[k]) n++; return n; }""")


def test_the_loss_chart_draws_the_curve_toggles_log_scale_and_reads_out_the_hovered_epoch(harness, scenes):
    page = harness("moons")
    chart = '[data-testid="loss-chart"]'
    curve = scenes["moons"]["snapshot"]["curve"]
    page.wait_for_selector(f'{chart}[data-points="{len(curve["epochs"])}"]')
    assert canvas_ink(page, chart) > 2000
    assert page.get_attribute(chart, "data-log") == "true"  # the loss spans more than two decades
    page.click(".vis-log-toggle")
    page.wait_for_selector(f'{chart}[data-log="false"]')
    page.click(".vis-log-toggle")
    page.wait_for_selector(f'{chart}[data-log="true"]')
    box = page.locator(f"{chart} canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    page.wait_for_selector(f"{chart}[data-hover-epoch]")
    e = int(page.get_attribute(chart, "data-hover-epoch"))
    k = curve["epochs"].index(e)
    assert 200 < e < 500
    assert page.inner_text(".vis-readout").startswith(f"epoch {e}: loss ")
    assert curve["loss"][k] > 0
    accuracy = float(page.get_attribute('[data-testid="accuracy"]', "data-value"))
    assert accuracy == scenes["moons"]["snapshot"]["accuracy"]


def test_the_confusion_matrix_counts_outputs_against_targets(harness, scenes):
    page = harness("letters")
    outputs = np.array(scenes["letters"]["snapshot"]["outputs"])
    expected = np.zeros((3, 3), int)
    for t, row in enumerate(outputs):
        expected[t, row.argmax()] += 1
    cells = page.eval_on_selector_all('[data-testid="confusion"] td',
                                      "els => els.map(e => [+e.dataset.true, +e.dataset.pred, +e.textContent])")
    got = np.zeros((3, 3), int)
    for t, p, c in cells:
        got[t, p] = c
    assert (got == expected).all()


def test_the_heatmap_paints_the_boundary_with_the_points_and_hides_for_letters(harness, scenes):
    page = harness("moons")
    hm = '[data-testid="heatmap"]'
    page.wait_for_selector(f'{hm}[data-n="40"][data-points="100"]')
    assert canvas_ink(page, hm) > 10000
    page.evaluate("() => harness.load('letters')")
    page.wait_for_function("() => document.getElementById('heatmap-root').hidden")
    assert page.locator("#letters-root").is_visible()


def test_the_lab_trains_a_variant_beside_the_correct_rule_with_gradchecks_verdict(harness, scenes):
    page = harness("lab")
    lab = scenes["lab"]
    page.click('[data-testid="lab-variant"][data-variant="sigma-prime-of-activation"]')
    page.wait_for_selector('[data-testid="lab-verdict"][data-ok="false"]')
    sent = page.evaluate("() => harness.sent.map(s => [s.event, s.payload])")
    assert sent[0] == ["configure", {**lab["network"]["config"], "variant": "sigma-prime-of-activation",
                                     "compare": True}]
    assert sent[1] == ["gradcheck", {}]
    explanation = page.inner_text('[data-testid="lab-explanation"]')
    assert lab["explanations"]["sigma-prime-of-activation"]["explanation"].replace("`", "") in explanation
    assert page.locator('[data-testid="lab-verdict"] tr[data-ok="false"]').count() == 2
    for which, curve in (("correct", lab["snapshot"]["curve"]), ("variant", lab["snapshot"]["companion"]["curve"])):
        assert page.get_attribute(f'[data-testid="lab-chart-{which}"]', "data-points") == str(len(curve["epochs"]))
        assert canvas_ink(page, f'[data-testid="lab-chart-{which}"]') > 1000
    assert page.errors == []


def test_the_lab_shows_a_refused_configure_next_to_the_variants(harness):
    page = harness("lab")
    page.evaluate("() => { harness.refuse = true; }")
    page.click('[data-testid="lab-variant"][data-variant="bias-not-summed"]')
    page.wait_for_selector('[data-testid="lab-status"][data-state="error"]')
    assert page.inner_text('[data-testid="lab-status"]') == "batch: the bias-not-summed variant needs batch 'full'"
    sent = page.evaluate("() => harness.sent.map(s => s.event)")
    assert sent == ["configure"]


def test_a_tie_at_the_top_is_not_marked_correct(harness):
    """A network with every weight zero answers 0.5 for every output: its argmax would be 'A', but the server
    says a tie is no answer (``snapshot.classes``)."""
    page = harness("letters")
    page.evaluate("() => harness.setState({ snapshot: harness.payloads.letters.tie_snapshot })")
    first = page.locator('[data-testid="training-images"] [data-sample="0"]')
    page.wait_for_function("() => document.querySelector('[data-testid=training-images] [data-sample=\"0\"]')"
                           ".innerText.includes('no answer')")  # the card may already have said '✗' before the tie
    assert first.get_attribute("data-correct") == "false"
    assert "no answer (tie)" in first.inner_text() and "✓" not in first.inner_text()
