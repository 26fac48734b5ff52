"""One helper library (static/lib/visual-kit.js) prints every number and picks every colour of the page.

``fmt`` is the one number format: 4 significant digits with trailing zeros dropped, a true minus sign, NumPy's
exponent form below 0.001 and from 100 000 up, never "1" for a number that is not ±1, "0" for −0, "—" for no
number.  The diagram's tooltip, the weight chips and the equations (drawn by KaTeX) print the same weight as the
same text.  Colours come from the CSS variables of static/css/base.css.  The page's modulepreload links are exactly
the modules it loads before its first frame (app/page_modules.py walks the imports)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.shown import count

STATIC = Path(__file__).resolve().parents[2] / "static"
MINUS = "\u2212"
THIN = "\u2009"

# (x as JavaScript reads it, digits or None for the default, the text fmt prints)
FMT_CASES = [
    ("0.5", None, "0.5"),
    ("0.123456", None, "0.1235"),
    ("-0.123456", None, f"{MINUS}0.1235"),
    ("12.3456", None, "12.35"),
    ("1234.56", None, "1235"),
    ("12345.6", None, "12346"),
    ("100000", None, "1e5"),
    ("-3456789", None, f"{MINUS}3.457e6"),
    ("0.001", None, "0.001"),
    ("0.0000123456", None, f"1.235e{MINUS}5"),
    ("-0.00002", None, f"{MINUS}2e{MINUS}5"),
    ("0.00099999", None, f"1e{MINUS}3"),
    ("0", None, "0"),
    ("-0", None, "0"),
    ("1", None, "1"),
    ("-1", None, f"{MINUS}1"),
    ("0.9996", None, "0.9996"),
    ("0.99996", None, "0.99996"),
    ("-0.9999999", None, f"{MINUS}0.9999999"),
    ("1.00004", None, "1.00004"),
    ("NaN", None, "—"),
    ("null", None, "—"),
    ("undefined", None, "—"),
    ("Infinity", None, "∞"),
    ("-Infinity", None, f"{MINUS}∞"),
    ("0.5312", 2, "0.53"),
    ("-1.2", 2, f"{MINUS}1.2"),
    ("12.34", 2, "12"),
    ("0.0004", 2, f"4e{MINUS}4"),
    ("0.996", 2, "0.996"),
]

RUN_FMT = """async (cases) => {
  const kit = await import('/static/lib/visual-kit.js');
  const read = (s) => (s === 'null' ? null : s === 'undefined' ? undefined : Number(s));
  return cases.map(([x, digits]) => (digits === null ? kit.fmt(read(x)) : kit.fmt(read(x), digits)));
}"""


@pytest.fixture(scope="module")
def kit_page(browser, live_server):
    """The real page (its CSS loaded), for calling the helper library's functions."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, base_url=live_server.url)
    page = context.new_page()
    page.goto("/?preset=xor-3-4-1")
    page.wait_for_selector('[data-testid="network"] [data-neuron]')
    yield page
    context.close()


@pytest.fixture(scope="module")
def printed(kit_page):
    """fmt's text for every case of FMT_CASES, computed in one call."""
    texts = kit_page.evaluate(RUN_FMT, [[x, digits] for x, digits, _ in FMT_CASES])
    return dict(zip([(x, digits) for x, digits, _ in FMT_CASES], texts, strict=True))


@pytest.mark.parametrize("x, digits, text", FMT_CASES)
def test_fmt_prints_a_number_one_way(printed, x, digits, text):
    assert printed[(x, digits)] == text


@pytest.mark.parametrize("call, text", [
    ("fmtSigned(0.25)", "+0.25"),
    ("fmtSigned(-0.1)", f"{MINUS}0.1"),
    ("fmtSigned(0)", "0"),
    ("fmtSigned(0.0123456, 2)", "+0.012"),
    ("fmtShort(-0.5312)", f"{MINUS}0.53"),
    ("fmtShort(0.0017)", "≈0"),
    ("fmtShort(-0.0004)", "≈0"),
    ("fmtShort(0.01)", "0.01"),
    ("fmtShort(123456)", "1.2e5"),
    ("fmtShort(0)", "0"),
    ("fmtShort(null)", "—"),
    ("fmtShort(0.996)", "≈1"),
    ("fmtShort(-0.99999)", f"≈{MINUS}1"),
    ("fmtShort(1)", "1"),
    ("fmtShort(0.94)", "0.94"),
    ("fmtInt(999)", "999"),
    ("fmtInt(60000)", f"60{THIN}000"),
    ("fmtInt(1234567)", f"1{THIN}234{THIN}567"),
    ("fmtInt(null)", "—"),
])
def test_the_signed_short_and_count_forms(kit_page, call, text):
    kit = "const kit = await import('/static/lib/visual-kit.js')"
    assert kit_page.evaluate(f"async () => {{ {kit}; return kit.{call}; }}") == text


def test_the_tests_count_format_is_the_pages(kit_page):
    ns = [0, 7, 999, 1000, 60000, 1234567, -4321]
    shown = kit_page.evaluate("async (ns) => { const kit = await import('/static/lib/visual-kit.js');"
                              " return ns.map((n) => kit.fmtInt(n)); }", ns)
    assert shown == [count(n) for n in ns]


@pytest.mark.parametrize("x", [0.5, -0.5312, 1.234e-5, -3.456e-7, 123456.7, -0.99996, 2])
def test_katex_draws_the_equations_numbers_as_the_text_fmt_prints(kit_page, x):
    drawn = kit_page.evaluate("""async (x) => {
      const kit = await import('/static/lib/visual-kit.js');
      const { texNum } = await import('/static/equations/equations-tex.js');
      const katex = (await import('/static/vendor/katex/katex.mjs')).default;
      const node = document.createElement('span');
      document.body.append(node);
      katex.render(texNum(x), node, { output: 'html', throwOnError: true });
      const text = node.innerText;
      node.remove();
      return [text, kit.fmt(x)]; }""", x)
    assert drawn[0] == drawn[1]


def css_rgb(value):
    value = value.strip().lstrip("#")
    return [int(value[k:k + 2], 16) for k in (0, 2, 4)]


def test_the_colour_scales_are_the_css_variables(kit_page):
    got = kit_page.evaluate("""async () => {
      const kit = await import('/static/lib/visual-kit.js');
      const cs = getComputedStyle(document.documentElement);
      const v = (n) => cs.getPropertyValue(n).trim();
      const ts = Array.from({ length: 41 }, (_, k) => -1 + k / 20);
      return {
        vars: Object.fromEntries(['--neg', '--mid', '--pos', '--no-value', '--hue-blue', '--hue-purple']
          .map((n) => [n, v(n)])),
        ends: [kit.diverging(-1), kit.diverging(0), kit.diverging(1), kit.diverging(null), kit.diverging(NaN)],
        beyond: [kit.diverging(-7), kit.diverging(7)],
        cssAgrees: ts.every((t) => kit.divergingCss(t) === kit.rgb(kit.diverging(t))),
        halfway: kit.diverging(0.5),
        hues: [kit.HUES.blue, kit.HUES.purple, kit.HUES.neg, kit.HUES.pos],
      }; }""")
    var = got["vars"]
    neg, mid, pos, none = (css_rgb(var[n]) for n in ("--neg", "--mid", "--pos", "--no-value"))
    assert got["ends"] == [neg, mid, pos, none, none]
    assert got["beyond"] == [neg, pos]
    assert got["halfway"] == [round(m + (p - m) / 2) for m, p in zip(mid, pos, strict=True)]
    assert got["cssAgrees"] is True
    assert got["hues"] == [var["--hue-blue"], var["--hue-purple"], var["--neg"], var["--pos"]]


def page_scripts():
    return [p for p in STATIC.rglob("*.js") if "vendor" not in p.relative_to(STATIC).parts]


@pytest.mark.parametrize("helper", ["fmt", "fmtSigned", "fmtInt", "diverging", "clamp"])
def test_each_helper_has_one_home(helper):
    defines = re.compile(rf"^(?:export\s+)?(?:function\s+{helper}\s*\(|const\s+{helper}\s*=)", re.M)
    homes = [p.relative_to(STATIC).as_posix() for p in page_scripts() if defines.search(p.read_text(encoding="utf-8"))]
    assert homes == ["lib/visual-kit.js"]


def test_the_helper_library_writes_no_colour_of_its_own():
    source = (STATIC / "lib" / "visual-kit.js").read_text(encoding="utf-8")
    assert re.findall(r"#[0-9a-fA-F]{3,8}\b|rgba?\(\d", source) == []


# -- the same number, the same text, in every view ------------------------------------------------------
def hover_weight(page, key):
    x, y = page.eval_on_selector(f'[data-hit="{key}"]', """el => {
        const p = el.getPointAtLength(el.getTotalLength() / 2), m = el.getScreenCTM();
        return [p.x * m.a + p.y * m.c + m.e, p.x * m.b + p.y * m.d + m.f]; }""")
    page.mouse.move(x, y)
    page.wait_for_selector(".net-tooltip:not([hidden]) .tt-row")


def tooltip_rows(page):
    return dict(page.eval_on_selector_all(".net-tooltip .tt-row", "rows => rows.map(r => "
                                          "[r.querySelector('.k').innerText, r.querySelector('.v').innerText])"))


@pytest.mark.parametrize("epochs", [0, 40])
def test_a_weight_prints_the_same_text_in_the_tooltip_the_chips_and_the_equations(ui, epochs):
    page = ui.open("preset=xor-3-4-1")
    if epochs:
        ui.train_until(epochs)
    page.click('[data-neuron="1-0"] circle')  # the chips list the weights into hidden neuron 1
    chip = '[data-testid="weight-chips"] [data-pick="0-1-0"]'
    page.wait_for_selector(chip)
    chip_text = page.inner_text(f"{chip} .num")
    page.click(chip)  # the weight from x₂ to hidden neuron 1: its equations
    w = ui.state("s.snapshot.weights[0][1][0]")
    grad = ui.state("s.snapshot.gradients.weights[0][1][0]")
    eq = '[data-testid="equations"]'
    page.wait_for_function(f"() => document.querySelector('{eq} [data-card=\"forward\"] [data-eq=\"w\"]')"
                           f"?.dataset.value === '{w!r}' && document.querySelector('{eq} .katex')")
    hover_weight(page, "0-1-0")
    rows = tooltip_rows(page)
    expected = page.evaluate("async ([w, g]) => { const kit = await import('/static/lib/visual-kit.js');"
                             " return [kit.fmt(w), kit.fmt(g)]; }", [w, grad])
    assert rows["w¹₂₁"] == expected[0]
    assert page.inner_text(f'{eq} [data-card="forward"] [data-eq="w"]') == expected[0]
    assert chip_text == expected[0]
    assert rows["∂C/∂w"] == expected[1]
    assert {t for t in page.eval_on_selector_all(f'{eq} [data-eq="grad_w"]', "els => els.map(e => e.innerText)")} \
        == {expected[1]}
    assert page.errors == []


# -- the modulepreload list, against what Chromium loads ----------------------------------------------------
def test_the_page_preloads_exactly_the_modules_it_loads_before_its_first_frame(page):
    page.goto("/?preset=xor-3-4-1")
    page.wait_for_selector('[data-testid="equations"] .katex')  # the visual modules came after the first frame
    loads = page.evaluate("""() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const js = performance.getEntriesByType('resource').filter((e) => /\\.m?js$/.test(new URL(e.name).pathname));
      const path = (e) => new URL(e.name).pathname;
      return { before: js.filter((e) => e.startTime < nav.domContentLoadedEventStart).map(path),
               after: js.filter((e) => e.startTime >= nav.domContentLoadedEventStart).map(path),
               preloaded: [...document.querySelectorAll('link[rel=modulepreload]')]
                 .map((l) => new URL(l.href).pathname) };
    }""")
    assert sorted(set(loads["before"])) == sorted(loads["preloaded"])  # nothing missing, nothing extra
    assert len(loads["preloaded"]) == len(set(loads["preloaded"]))
    lazy = {"/static/equations/equations.js", "/static/visuals/charts.js"}
    assert lazy <= set(loads["after"])  # the lazy visuals stay lazy
    assert not set(loads["after"]) & set(loads["preloaded"])
    assert page.errors == []
