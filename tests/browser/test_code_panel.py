"""The Code view: the exported script's training step, lit line by line in step with the diagram's phases.

What a person sees is read from the DOM while a sample plays: a MutationObserver logs, at each change of the lit
lines, the diagram's phase (from the page state) and the lines lit, and the test compares the log with the step
the server generates for that configuration (``GET /api/export/step``).
"""
from __future__ import annotations

import re

import pytest

from engine import export

LOG_PHASES = """() => {
  const root = document.querySelector('[data-testid="code"]');
  window.codeLog = [];
  new MutationObserver(() => {
    const s = window.playground.state;
    const lit = [...root.querySelectorAll('[data-testid="code-line"][data-active]')]
      .map((e) => [e.dataset.active, e.textContent]);
    const last = window.codeLog[window.codeLog.length - 1];
    if (!last || last.active !== (root.dataset.active || '')) {
      window.codeLog.push({ active: root.dataset.active || '', phase: s.phase ? `${s.phase}:${s.phaseLayer}` : '',
                            lit });
    }
  }).observe(root, { attributes: true, subtree: true, attributeFilter: ['data-active'] });
}"""


def open_code(ui, query):
    page = ui.open(query)
    page.click('[data-testid="code-tab"]')
    page.wait_for_selector('[data-testid="code-line"]')
    return page


def expected_phases(n_layers):
    L = n_layers - 1
    return ([f"forward:{l}" for l in range(L + 1)] + [f"loss:{L}"] + [f"backward:{l}" for l in range(L, 0, -1)]
            + ["update:0", "update:1"])


@pytest.mark.parametrize("layout, first_forward", [("row", "Z1 = A0 @ W1 + b1"), ("column", "Z1 = W1 @ A0 + b1")])
def test_the_lit_lines_follow_step_sample_phase_by_phase(ui, layout, first_forward):
    query = f"preset=binary-2-5-5-1&layout={layout}"
    page = open_code(ui, query)
    assert page.get_attribute('[data-testid="code"]', "data-layout") == layout
    config = {"preset": "binary-2-5-5-1"}
    step = export.step(config, layout)
    by_tag = {}
    for ln in step["lines"]:
        for t in ln["tags"]:
            by_tag.setdefault(t, []).append(ln["text"])
    page.evaluate(LOG_PHASES)
    page.click('[data-testid="step-sample"]')
    ui.wait_state("s.trace !== null && s.phase === null")
    log = page.evaluate("() => window.codeLog")
    shown = [e for e in log if e["active"]]
    assert [e["active"] for e in shown] == expected_phases(4)
    applied = ui.state("s.trace.applied")  # full batch: the update runs after the last of the 100 samples
    assert applied is False
    for e in shown:
        assert e["phase"] == e["active"]  # lit while the diagram is in that very phase
        how = "waiting" if e["active"].startswith("update") else "true"
        assert e["lit"] == [[how, t] for t in by_tag[e["active"]]]
    assert first_forward in by_tag["forward:1"][0]
    assert log[-1]["active"] == ""  # nothing stays lit after the sample
    assert ui.errors == []


def test_hovering_a_variable_shows_its_shape_and_the_samples_numbers(ui):
    page = open_code(ui, "preset=letters")
    page.click('[data-testid="step-sample"]')
    ui.wait_state("s.trace !== null && s.phase === null")
    page.hover('[data-testid="code-var"][data-var="delta1"]')
    tip = page.locator('[data-testid="code-tip"]')
    tip.wait_for(state="visible")
    text = tip.text_content()
    assert "delta1 — the error δ¹ = ∂C/∂z¹; shape (1, 5)" in text
    numbers = [float(x.replace("−", "-")) for x in re.findall(r"[−-]?\d+\.\d+(?:e[−-]?\d+)?", text.split("row:")[1])]
    want = ui.state("s.trace.deltas[0]")
    assert len(numbers) == len(want) == 5
    for got, w in zip(numbers, want, strict=True):
        assert got == pytest.approx(w, rel=6e-3)
    page.hover('[data-testid="code-var"][data-var="W2"]')
    page.wait_for_function("() => document.querySelector('[data-testid=code-tip]')?.textContent.startsWith('W2')")
    assert "shape (5, 3)" in tip.text_content()


@pytest.mark.parametrize("source", ["snapshot", "trace"])
def test_hovering_dC_dA_shows_the_servers_cost_derivative(ui, source):
    """∂C/∂a in the code is the engine's ``cost_derivative`` for the selected sample: the snapshot's row before a
    step, the trace's once a sample is stepped; printed as the page prints every number (``fmt``)."""
    page = open_code(ui, "preset=letters")  # 30-5-3, sigmoid and MSE: the step has its dC_dA2 line
    if source == "trace":
        page.click('[data-testid="step-sample"]')
        ui.wait_state("s.trace !== null && s.phase === null")
        want = ui.state("s.trace.cost_derivative")
    else:
        ui.wait_state("s.snapshot !== null")
        want = ui.state("s.snapshot.cost_derivative[s.sample || 0]")
    page.hover('[data-testid="code-var"][data-var="dC_dA2"]')
    tip = page.locator('[data-testid="code-tip"]')
    page.wait_for_function("() => document.querySelector('[data-testid=code-tip]')?.textContent.startsWith('dC_dA2')")
    shown = page.evaluate("""async (want) => {
      const { fmt } = await import('/static/lib/visual-kit.js');
      return `[${want.map((x) => fmt(x)).join(', ')}]`;
    }""", want)
    assert len(want) == 3
    assert tip.text_content().endswith(f"row: {shown}")
    assert "dC_dA2 — the cost’s gradient ∇ₐC; shape (1, 3)" in tip.text_content()


def test_the_layout_toggle_switches_the_code_and_the_url(ui):
    page = open_code(ui, "preset=letters")
    assert "Z1 = A0 @ W1" in page.text_content('[data-testid="code"] pre')
    page.click('[data-testid="code-layout"]')
    page.wait_for_selector('[data-testid="code"][data-layout="column"]')
    assert "Z1 = W1 @ A0" in page.text_content('[data-testid="code"] pre')
    assert "layout=column" in page.url
    assert page.get_attribute('[data-testid="code-py"]', "href").endswith("&layout=column")


def test_the_mistake_lab_shows_the_variants_changed_lines_as_a_diff(ui):
    page = open_code(ui, "preset=letters")
    assert page.is_hidden('[data-testid="code-diff"]')
    page.click('[data-testid="lab-variant"][data-variant="flipped-sign"]')
    page.wait_for_selector('[data-testid="code-diff"]:not([hidden])')
    diff = page.text_content('[data-testid="code-diff"]')
    assert "−W1 = W1 - eta * nabla_W1" in diff and "+W1 = W1 + eta * nabla_W1  # MISTAKE:" in diff
    # the diagram runs the correct rule beside the variant, so the lit step is the correct one
    assert "W1 = W1 - eta * nabla_W1" in page.text_content('[data-testid="code"] pre')


def test_download_and_copy_give_the_exported_script(ui, browser):
    page = open_code(ui, "preset=xor-3-4-1&lr=0.5")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    href = page.get_attribute('[data-testid="code-py"]', "href")
    assert href == "/api/export.py?preset=xor-3-4-1&lr=0.5&layout=row"
    script = export.script({"preset": "xor-3-4-1", "lr": 0.5}, "row")
    assert page.request.get(href).text() == script
    nb = page.request.get(page.get_attribute('[data-testid="code-ipynb"]', "href"))
    assert nb.ok and '"nbformat": 4' in nb.text()
    page.click('[data-testid="code-copy"]')
    page.wait_for_selector('[data-testid="code-status"]:has-text("clipboard")')
    assert page.evaluate("() => navigator.clipboard.readText()") == script


@pytest.mark.parametrize("width, height, touch, projector", [
    (1280, 720, False, False), (1920, 1080, False, False), (1024, 768, True, False), (1280, 720, False, True)])
def test_the_code_view_fits_its_panel(browser, live_server, width, height, touch, projector):
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=touch,
                                  base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto("/?preset=binary-2-5-5-1" + ("&projector=1" if projector else ""))
        page.wait_for_selector('[data-testid="code-tab"]')
        page.click('[data-testid="code-tab"]')
        page.wait_for_selector('[data-testid="code-line"]')
        panel = page.locator(".panel-maths").bounding_box()
        for sel in ('[data-testid="code-tab"]', '[data-testid="equations-tab"]', '[data-testid="code-copy"]',
                    '[data-testid="code-layout"]'):
            box = page.locator(sel).bounding_box()
            assert box["x"] >= panel["x"] and box["x"] + box["width"] <= panel["x"] + panel["width"] + 0.5, sel
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, sel
        title = page.locator(".panel-maths .panel-title").bounding_box()
        tab = page.locator('[data-testid="equations-tab"]').bounding_box()
        assert title["x"] + title["width"] <= tab["x"] or title["y"] + title["height"] <= tab["y"]
        assert page.is_hidden("#equations-root")
        page.click('[data-testid="equations-tab"]')
        assert page.is_visible("#equations-root") and page.is_hidden('[data-testid="code"]')
    finally:
        context.close()


def test_mid_batch_the_update_lines_wait_for_the_batchs_last_sample(ui):
    page = open_code(ui, "preset=letters&batch=2")
    page.evaluate("() => { window.playground.state.phaseScale = 3; }")
    page.click('[data-testid="step-sample"]')
    page.wait_for_selector('[data-testid="code"][data-active="update:0"]', timeout=30_000)
    assert ui.state("s.trace.applied") is False
    waiting = page.eval_on_selector_all('[data-testid="code-line"][data-active]',
                                        "els => els.map((e) => [e.dataset.active, e.textContent])")
    assert waiting == [["waiting", t] for t in ["W1 = W1 - eta * nabla_W1  # W1 ← W1 − η ∂C/∂W1",
                                                "W2 = W2 - eta * nabla_W2  # W2 ← W2 − η ∂C/∂W2"]]
    assert page.text_content('[data-testid="code-status"]') == \
        "The update runs after the batch’s last sample (this is 1 of 2)."
    ui.wait_state("s.phase === null")
    page.click('[data-testid="step-sample"]')  # the batch's second sample: now the update runs
    page.wait_for_selector('[data-testid="code"][data-active="update:0"]', timeout=30_000)
    assert ui.state("s.trace.applied") is True
    assert page.eval_on_selector_all('[data-testid="code-line"][data-active]',
                                     "els => els.map((e) => e.dataset.active)") == ["true", "true"]
    assert page.text_content('[data-testid="code-status"]') == ""
