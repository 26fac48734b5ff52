"""The views a learner trusts most tell the truth, on the real page against the live server.

The UPDATE card's new weight is the next snapshot's weight in every mode; the decision boundary never blinks
blank while training; the mistake lab shows how far a variant's step points from the true gradient and gives back
what it changed; a tie is not a right answer, an unsure prediction says so; a softmax output is labelled softmax.
"""
from __future__ import annotations

import pytest

UPDATE = '[data-testid="equations"] [data-card="update"]'


def select_weight(ui, i, j):
    """Click cell (i → j) of the ∂C/∂W grid of the output layer: the equations then explain that weight."""
    ui.page.click(f'[data-testid="equations"] .vis-gcell[data-from="{i}"][data-to="{j}"]')
    ui.page.wait_for_function(
        f"() => document.querySelector('[data-testid=equations]')?.dataset.target === 'w:1:{i}:{j}'")


def shown_update(ui, epoch):
    """The UPDATE card's numbers once it shows ``epoch``: {data-eq: [values]}."""
    ui.page.wait_for_function(
        f"() => document.querySelector('[data-testid=equations]')?.textContent.includes('epoch {epoch}')"
        f" && document.querySelector('{UPDATE} [data-eq=w_new]')")
    rows = ui.page.eval_on_selector_all(f"{UPDATE} [data-eq]", "els => els.map(e => [e.dataset.eq, e.dataset.value])")
    out = {}
    for k, v in rows:
        out.setdefault(k, []).append(float(v))
    return out


def step_epoch(ui, epoch):
    ui.page.click('[data-testid="step"]')
    ui.wait_state(f"s.snapshot && s.snapshot.epoch === {epoch} && !s.snapshot.replay")


@pytest.mark.parametrize("query, steps", [
    ("preset=letters", 3),  # per sample: one step per letter
    ("preset=letters&batch=2", 2),
    ("preset=letters&batch=full", 1),
    ("preset=letters&momentum=0.9", 3),
    ("preset=letters&momentum=0.9&batch=full", 1),
    ("preset=letters&schedule=inverse", 3),
    ("preset=letters&variant=flipped-sign&batch=full", 1),
])
def test_the_update_card_new_weight_is_the_next_snapshots_weight(ui, query, steps):
    ui.open(query)
    for e in (1, 2):
        step_epoch(ui, e)
    select_weight(ui, 2, 0)
    shown = shown_update(ui, 2)
    nxt = ui.state("s.snapshot.next")
    assert nxt["steps"] == steps
    assert shown["w"] == [ui.state("s.snapshot.weights[1][2][0]")]
    assert shown["w_new"] == [nxt["weights"][1][2][0]]
    if steps > 1:
        assert shown["step"] == [s[1][2][0] for s in nxt["step_weights"]]
    if "momentum" in query and steps == 1:
        assert shown["velocity"] == [nxt["velocity"]["weights"][1][2][0]]
    step_epoch(ui, 3)
    assert ui.state("s.snapshot.weights[1][2][0]") == shown["w_new"][0]  # the printed step is the one taken
    assert ui.errors == []


@pytest.mark.parametrize("query, words", [
    ("preset=letters", "This epoch makes 3 steps, one per letter (A, B, C)"),
    ("preset=letters&momentum=0.9&batch=full", "With momentum 0.9 the step is not −η·∂C/∂w alone"),
    ("preset=letters&batch=full", "this epoch makes exactly this step"),
])
def test_the_update_card_says_in_words_what_the_mode_does(ui, query, words):
    ui.open(query)
    step_epoch(ui, 1)
    select_weight(ui, 1, 1)
    shown_update(ui, 1)
    text = ui.page.inner_text(UPDATE)
    assert words in text
    assert "seed" not in text.lower() and "Nielsen" not in text


def test_the_decision_boundary_never_blinks_blank_while_training(ui):
    page = ui.open("preset=binary-2-5-5-1&reduction=mean&init=xavier&schedule=constant&lr=0.5")
    page.wait_for_selector('[data-testid="heatmap"][data-n="40"]')
    page.click('[data-testid="play"]')
    ui.wait_state("s.status && s.status.state === 'training'")
    samples = []
    for _ in range(30):  # every 100 ms for 3 s
        samples.append(page.evaluate("""() => {
          const h = document.querySelector('[data-testid=heatmap]');
          return [h.dataset.n, Number(h.dataset.epoch)]; }"""))
        page.wait_for_timeout(100)
    page.click('[data-testid="play"]')
    assert [n for n, _ in samples] == ["40"] * len(samples)
    assert samples[-1][1] > samples[0][1]  # it was training all along
    assert ui.errors == []


def choose(ui, variant):
    ui.page.click(f'[data-testid="lab-variant"][data-variant="{variant}"]')
    ui.wait_state(f"s.network && s.network.config.variant === '{variant}'")
    ui.page.wait_for_selector(f'[data-testid="lab"][data-chosen="{variant}"]')


def test_the_lab_shows_and_gives_back_what_a_variant_changed_on_the_main_network(ui):
    ui.open("preset=letters")
    assert ui.state("[s.network.bias, s.network.config.batch]") == [False, "sample"]
    choose(ui, "bias-not-summed")
    assert ui.state("[s.network.bias, s.network.config.batch]") == [True, "full"]
    needs = ui.page.locator('[data-testid="lab-needs"]')
    assert needs.is_visible()
    assert "biases on" in needs.inner_text() and "whole training set" in needs.inner_text()
    choose(ui, "correct")
    assert ui.state("[s.network.bias, s.network.config.batch]") == [False, "sample"]
    assert not needs.is_visible()
    assert "bias" not in ui.page.url and "batch" not in ui.page.url
    assert ui.errors == []


@pytest.mark.parametrize("variant, angle", [("flipped-sign", "180°"), ("sigma-prime-of-activation", "° away")])
def test_the_lab_shows_how_far_the_variants_step_points_from_the_true_gradient(ui, variant, angle):
    ui.open("preset=letters")
    choose(ui, variant)
    for e in (1, 2):
        step_epoch(ui, e)
    step = ui.state("s.snapshot.companion.step")
    box = ui.page.locator('[data-testid="lab-step"]')
    ui.page.wait_for_function(
        f"() => document.querySelector('[data-testid=lab-step]')?.dataset.cosine === '{step['cosine']}'")
    assert angle in box.inner_text()
    lesson = ui.page.locator('[data-testid="lab-lesson"]')
    assert lesson.is_visible() and "A lower training loss does not make a rule correct" in lesson.inner_text()
    explanation = ui.page.inner_text('[data-testid="lab-explanation"]')
    assert "seed" not in explanation.lower()


def test_bias_not_summed_gets_a_cross_after_training_too(ui):
    ui.open("preset=letters")
    choose(ui, "bias-not-summed")
    ui.page.wait_for_selector('[data-testid="lab-verdict"][data-ok="false"]')
    for e in (1, 2, 3):
        step_epoch(ui, e)
    ui.page.click('[data-testid="lab-gradcheck"]')
    ui.page.wait_for_selector('[data-testid="lab-verdict"][data-ok="false"] .vis-verdict-text')
    text = ui.page.inner_text('[data-testid="lab-verdict"]')
    assert "grown to one row per training sample" in text and "true gradient" not in text


def test_a_softmax_output_is_labelled_softmax_after_switching(ui):
    ui.open("preset=letters")
    assert "3 · sigmoid" in ui.page.text_content('[data-testid="network"]')
    ui.page.evaluate("() => window.playground.send('configure', {preset: 'letters', loss: 'ce', "
                     "output_activation: 'softmax'})")
    ui.page.wait_for_function(
        "() => document.querySelector('[data-testid=network]')?.textContent.includes('3 · softmax')")


NOISE = [1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0]


def test_an_unsure_prediction_says_so_in_words(ui):
    page = ui.open("preset=letters")
    for k, on in enumerate(NOISE):
        if on:
            page.click(f'[data-testid="draw-grid"] [data-cell="{k}"]')
    ack = page.evaluate("""() => new Promise((done) => window.playground.send('predict',
        {input: [...document.querySelectorAll('[data-testid=draw-grid] [data-cell]')].map((c) => Number(c.dataset.on))},
        done))""")
    assert ack["doubt"]["reason"] in ("low", "close")  # an untrained network is not sure of noise
    page.wait_for_function("() => document.querySelector('[data-testid=prediction]')?.dataset.doubt !== undefined")
    words = page.get_attribute('[data-testid="prediction"]', "data-doubt")
    assert words.startswith("not sure: ") and words in page.inner_text('.vis-letters')
    for label in ack["doubt"]["labels"][:1 if ack["doubt"]["reason"] == "low" else 2]:  # read as its bar reads
        bar = page.inner_text(f'[data-testid="pad-bars"] .vis-bar[data-label="{label}"] .vis-bar-value')
        assert f"{label}, is {bar})" in words or f"{label} {bar} " in words


@pytest.mark.parametrize("query", ["preset=letters&bias=1", "preset=letters&bias=1&batch=full&momentum=0.5"])
def test_the_update_card_new_bias_is_the_next_snapshots_bias(ui, query):
    ui.open(query)
    step_epoch(ui, 1)  # the default selection: output neuron 1, whose bias the UPDATE card steps
    ui.page.wait_for_function(
        f"() => document.querySelector('[data-testid=equations]')?.textContent.includes('epoch 1')"
        f" && document.querySelector('{UPDATE} [data-eq=b_new]')")
    shown = float(ui.page.get_attribute(f"{UPDATE} [data-eq=b_new]", "data-value"))
    assert shown == ui.state("s.snapshot.next.biases[1][0]")
    step_epoch(ui, 2)
    assert ui.state("s.snapshot.biases[1][0]") == shown


def test_one_sample_at_a_time_with_momentum_shows_the_weight_the_batch_reaches(ui):
    page = ui.open("preset=letters&momentum=0.9")
    step_epoch(ui, 1)
    select_weight(ui, 2, 0)
    page.click('[data-testid="step-sample"]')
    ui.wait_state("s.trace && s.trace.applied")
    # The card is drawn a frame after the state changes: wait for the applied trace's own words, not just any w_new
    # (the epoch's card before the sample also has one).
    page.wait_for_function(f"() => document.querySelector('{UPDATE}')?.textContent.includes('moves by the velocity')"
                           f" && document.querySelector('{UPDATE} [data-eq=w_new]')")
    shown = float(page.get_attribute(f"{UPDATE} [data-eq=w_new]", "data-value"))
    assert shown == ui.state("s.trace.weights_after[1][2][0]")
    assert "With momentum 0.9 the weight moves by the velocity" in page.inner_text(UPDATE)
    assert "batch_grad" not in page.eval_on_selector_all(f"{UPDATE} [data-eq]", "els => els.map(e => e.dataset.eq)")
