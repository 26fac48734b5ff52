"""The settings bar is built from GET /api/schema: one control per field, every dataset, every activation."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from app import schema
from engine import datasets, presets
from engine.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS

ELSEWHERE = {"preset", "layers", "variant", "compare", "examples"}  # controls outside the settings bar


def options(page, name):
    return page.eval_on_selector_all(f'[data-testid="field-{name}"] option', "os => os.map(o => o.value)")


def test_every_field_has_one_control_of_its_kind(ui):
    page = ui.open("preset=letters")
    for f in schema.FIELDS:
        if f.name in ELSEWHERE - {"preset"}:
            continue
        tag = page.eval_on_selector(f'[data-testid="field-{f.name}"]', "e => e.tagName + ':' + (e.type || '')")
        want = {"choice": "SELECT", "batch": "SELECT", "boolean": "INPUT:checkbox", "features": "SPAN"}.get(
            f.type, "INPUT:text")
        assert tag.startswith(want), (f.name, tag)
        if f.type == "features":  # one checkbox per feature the schema offers
            boxes = page.eval_on_selector_all(f'[data-testid="field-{f.name}"] input[type=checkbox]',
                                              "es => es.map(e => e.value)")
            assert boxes == list(f.allowed())
        label = page.text_content(f'[data-field="{f.name}"] .field-label')
        assert label.strip() == f.label


def test_the_dataset_picker_lists_every_dataset_and_switches_the_network(ui):
    page = ui.open("preset=letters")
    assert options(page, "dataset") == list(datasets.NAMES)
    page.select_option('[data-testid="field-dataset"]', "moons")
    ui.wait_state("s.network.config.dataset === 'moons'")
    assert ui.state("s.network.sizes") == [2, 5, 1]
    assert parse_qs(urlparse(page.url).query)["dataset"] == ["moons"]
    assert ui.errors == []


@pytest.mark.parametrize("name, choices", [("activation", HIDDEN_ACTIVATIONS), ("output_activation", ACTIVATIONS)])
def test_the_activation_menus_are_the_engines(ui, name, choices):
    page = ui.open("preset=letters")
    assert [o for o in options(page, name) if o] == list(choices)
    assert "leaky_relu" in options(page, name)


def test_leaky_relu_from_the_menu_trains_and_the_equations_show_its_derivative(ui):
    page = ui.open("preset=letters")
    page.select_option('[data-testid="field-activation"]', "leaky_relu")
    ui.wait_state("s.network.config.activation === 'leaky_relu' && s.snapshot !== null")
    assert parse_qs(urlparse(page.url).query)["activation"] == ["leaky_relu"]
    page.click('[data-testid="step"]')
    ui.wait_state("s.snapshot && s.snapshot.epoch === 1")
    want = presets.build({"preset": "letters", "activation": "leaky_relu"})
    want.trainer.run(1)
    assert ui.state("s.snapshot.weights") == [w.tolist() for w in want.net.weights]
    ui.state("(s.selection = {kind: 'neuron', layer: 1, index: 0}, s.version += 1)")
    page.wait_for_selector('[data-testid="equations"][data-target="n:1:0"] [data-eq="sigma_prime"]')
    shown = {float(v) for v in page.eval_on_selector_all('[data-testid="equations"] [data-eq="sigma_prime"]',
                                                         "es => es.map(e => e.dataset.value)")}
    row = ui.state("s.snapshot.samples.indexOf(s.sample)")
    z = ui.state("s.snapshot.zs")[0][max(row, 0)][0]
    assert shown == {1.0 if z > 0 else 0.01}
    assert "0.01" in page.text_content('[data-testid="equations"]')  # its TeX, from engine/activations.py
    assert ui.errors == []


@pytest.mark.parametrize("typed, lr", [("0,5", 0.5), (" 0.25 ", 0.25)])
def test_a_decimal_comma_is_read_as_a_decimal_point(ui, typed, lr):
    page = ui.open("preset=letters")
    page.fill('[data-testid="field-lr"]', typed)
    page.press('[data-testid="field-lr"]', "Enter")
    page.locator('[data-testid="field-lr"]').blur()
    ui.wait_state(f"s.config.lr === {lr}")
    assert parse_qs(urlparse(page.url).query)["lr"] == [str(lr)]


def test_a_number_that_is_not_one_is_refused_naming_the_field_by_its_label(ui):
    page = ui.open("preset=letters")
    page.fill('[data-testid="field-lr"]', "abc")
    page.locator('[data-testid="field-lr"]').blur()
    error = page.locator('[data-error-for="lr"]')
    error.wait_for()
    assert error.inner_text() == "Learning rate (lr): 'abc' is not a number from 0 to 100"
    assert ui.state("s.network.config.lr") == 0.1


@pytest.mark.parametrize("preset, sizes", [("letters", ["full", "sample", "2"]),
                                           ("xor-3-4-1", ["full", "sample", "2"]),
                                           ("binary-2-5-5-1", ["full", "sample", "2", "4", "8", "16", "32", "64"])])
def test_the_batch_menu_offers_only_sizes_smaller_than_the_dataset(ui, preset, sizes):
    page = ui.open(f"preset={preset}")
    ui.wait_state("s.network !== null")
    n = len(sizes)
    page.wait_for_function(f"() => document.querySelectorAll('[data-testid=field-batch] option').length === {n}")
    assert options(page, "batch") == sizes


def test_an_old_link_opens_todays_names_and_the_address_follows(ui):
    """A shared link from before the rename (a person's name as preset and init) still opens that network."""
    page = ui.open("preset=xor-trask&init=trask")
    ui.wait_state("s.network && s.network.preset.name === 'xor-3-4-1'")
    page.wait_for_function("() => location.search.includes('preset=xor-3-4-1')")
    assert "trask" not in page.evaluate("() => location.search")
    assert page.input_value('[data-testid="field-preset"]') == "xor-3-4-1"
    assert page.input_value('[data-testid="field-init"]') == "rand-sym"
    assert ui.state("s.network.config.init") == "rand-sym"


@pytest.mark.parametrize("name", list(presets.PRESETS))
def test_the_origin_line_is_the_only_place_the_history_shows(ui, name):
    page = ui.open(f"preset={name}")
    ui.wait_state(f"s.network && s.network.preset.name === '{name}'")
    page.click('[data-act="about"]')
    page.wait_for_selector(".preset-card b")
    origin = presets.PRESETS[name]["origin"]
    if origin:
        assert page.inner_text('[data-testid="origin"]') == origin
    else:  # a preset of our own has no origin line at all
        assert page.query_selector('[data-testid="origin"]') is None
    card = page.inner_text(".preset-card").replace(presets.PRESETS[name]["origin"], "")
    assert "seed 0" not in card and "asker" not in card


@pytest.mark.parametrize("width, height, touch", [(1280, 720, False), (1920, 1080, False), (1024, 768, True)])
def test_every_settings_control_is_inside_the_viewport(browser, live_server, width, height, touch):
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=touch,
                                  base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto("/?preset=letters")
        page.wait_for_selector('[data-testid="field-dataset"]')
        shown = ('.bar-settings > .field [data-testid^="field-"], .bar-settings [data-act="more"], '
                 '[data-testid="field-preset"]')
        boxes = page.eval_on_selector_all(shown, "es => es.map(e => { const r = e.getBoundingClientRect(); return "
                                                 "[e.dataset.testid || 'more', r.left, r.top, r.right, r.bottom]; })")
        in_more = set(page.eval_on_selector_all('.more-card [data-testid^="field-"]',
                                                "es => es.map(e => e.dataset.testid.slice('field-'.length))"))
        settings = [f.name for f in schema.FIELDS if f.name not in ELSEWHERE]
        assert in_more < set(settings)  # every field has a control: in the bar or in the "more…" card
        in_bar = [name for name in settings if name not in in_more]
        assert len(boxes) == len(in_bar) + 2  # the bar's fields, "more…" and the preset picker
        for name, left, top, right, bottom in boxes:
            assert 0 <= left and right <= width and 0 <= top and bottom <= height, (name, left, top, right, bottom)
    finally:
        context.close()


HISTORY_WORDS = ("seed 000", "seed 001", "seed 002", "seed 003", "asker", "nielsen")


@pytest.mark.parametrize("name", list(presets.PRESETS))
def test_the_whole_page_speaks_to_the_learner_outside_the_origin_line(ui, name):
    """Every visible text (preset card, equations, lab, Code tab, help) names no project history; only the
    preset's one origin line may."""
    page = ui.open(f"preset={name}")
    ui.wait_state(f"s.network && s.network.preset.name === '{name}' && s.snapshot !== null")
    page.click('[data-act="about"]')
    page.wait_for_selector(".preset-card b")
    texts = page.evaluate("""() => {
        const origin = document.querySelector('[data-testid="origin"]');
        const hidden = origin ? origin.textContent : '';
        const titles = [...document.querySelectorAll('[title]')].map((e) => e.title);
        return [document.body.innerText.replace(hidden, ''), ...titles];
    }""")
    for text in texts:
        found = [w for w in HISTORY_WORDS if w in text.lower()]
        assert not found, (found, text[:200])
