"""The exported NumPy script: standalone, in the seeds' shape, and it reproduces the engine's run.

Each script runs in a Python subprocess that cannot import this project.  The matrix (every preset × both
layouts × every batch mode × every mistake-lab variant the engine accepts) groups the scripts of one preset and
layout in one subprocess, each run with fresh globals, because starting NumPy hundreds of times would take minutes.
Row layout performs the engine's operations in its order, so its weights must be equal bit for bit; column layout
multiplies the transposed matrices and must agree to 1e-12 relative.
"""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from app.cli import main
from engine import activations, export, presets
from engine.variants import VARIANTS

EPOCHS = 5
BATCH_MODES = [("full", False), ("sample", False), ("sample", True), (2, False), (2, True)]
RUNNER = """
import contextlib, io, json, runpy, sys, warnings
warnings.simplefilter("ignore")
results = []
for path in sys.argv[1:]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        runpy.run_path(path, run_name="__main__")
    results.append([json.loads(line) for line in out.getvalue().splitlines()])
print(json.dumps(results))
"""


def _clean_env():
    """No PYTHONPATH: the script must not be able to import the project."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def run_scripts(tmp_path, texts):
    paths = []
    for i, text in enumerate(texts):
        p = tmp_path / f"export_{i}.py"
        p.write_text(text)
        paths.append(str(p))
    done = subprocess.run([sys.executable, "-c", RUNNER, *paths], capture_output=True, text=True, cwd=tmp_path,
                          env=_clean_env(), timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def engine_run(config, epochs):
    s = presets.build(config)
    s.trainer.run(epochs)
    return s


def assert_same_parameters(final, setup, exact):
    got = [np.array(w, dtype=float) for w in final["weights"] + final["biases"]]
    want = list(setup.net.weights) + list(setup.net.biases)
    assert [g.shape for g in got] == [w.shape for w in want]
    scale = max(np.max(np.abs(w)) for w in want)  # relative to the network's largest parameter
    for g, w in zip(got, want, strict=True):
        if exact:
            np.testing.assert_array_equal(g, w)
        else:  # column layout: W @ A sums in another order; a run that blows up amplifies that rounding
            tolerance = 1e-12 if setup.trainer.diverged is None and scale < 1e6 else 1e-9
            assert np.max(np.abs(g - w)) <= tolerance * scale, setup.config


def matrix(preset):
    """(config, setup) for every batch mode × variant of ``preset`` that the engine accepts."""
    out = []
    for batch, shuffle in BATCH_MODES:
        for variant in VARIANTS:
            config = {"preset": preset, "batch": batch, "shuffle": shuffle, "variant": variant}
            try:
                setup = engine_run(config, EPOCHS)
            except ValueError as e:
                assert variant == "bias-not-summed" and e.field in ("variant", "batch", "test_fraction")
                continue
            out.append((config, setup))
    return out


@pytest.mark.parametrize("layout", export.LAYOUTS)
@pytest.mark.parametrize("preset", list(presets.PRESETS))
def test_every_batch_mode_and_variant_reproduces_the_engine(tmp_path, preset, layout):
    runs = matrix(preset)
    config = presets.PRESETS[preset]["config"]  # bias-not-summed: full batch, biases, no test split
    assert len(runs) == len(BATCH_MODES) * (len(VARIANTS) - 1) + (config["bias"] and not config["test_fraction"])
    results = run_scripts(tmp_path, [export.script(c, layout, EPOCHS) for c, _ in runs])
    for (config, setup), lines in zip(runs, results, strict=True):
        assert list(lines[-1]) == ["final"], config
        assert_same_parameters(lines[-1]["final"], setup, exact=layout == "row")
        history = setup.trainer.history
        assert [ln["epoch"] for ln in lines[:-1]] == list(range(len(history["loss"])))
        for ln in lines[:-1]:
            for key in ("loss", "error"):  # the script prints the figures of its own passes, as the seeds do
                want = history[f"running_{key}"][ln["epoch"]]
                assert ln[key] == pytest.approx(want, rel=1e-9) if np.isfinite(want) else ln[key] is None


OTHER_CONFIGS = [
    {"preset": "binary-2-5-5-1", "dataset": "circles", "activation": "tanh", "loss": "ce",
     "output_activation": "softmax", "reduction": "mean", "batch": 10, "shuffle": True, "init": "xavier"},
    {"preset": "xor-3-4-1", "dataset": "spirals", "layers": [6, 4, 3], "activation": "relu", "bias": True,
     "init": "he", "lr": 0.05, "momentum": 0.9, "batch": "sample", "seed": 3},
    {"preset": "letters", "activation": "linear", "output_activation": "softmax", "loss": "mse", "bias": True,
     "init": "uniform", "reduction": "mean", "batch": "full", "momentum": 0.5, "schedule": "inverse"},
    {"preset": "letters-bce", "layers": [], "init": "normal", "variant": "flipped-sign", "momentum": 0.3},
    {"preset": "binary-2-5-5-1", "dataset": "blobs", "activation": "tanh", "variant": "bias-not-summed",
     "momentum": 0.5, "lr": 0.01},
    {"preset": "xor-positive-init", "dataset": "xor", "loss": "bce", "output_activation": "sigmoid",
     "variant": "sigma-prime-of-activation", "activation": "tanh", "batch": 25},
    {"preset": "letters", "loss": "ce", "reduction": "mean", "variant": "output-sigma-prime-dropped", "bias": True},
]


@pytest.mark.parametrize("layout", export.LAYOUTS)
def test_other_activations_losses_inits_and_momentum_reproduce_the_engine(tmp_path, layout):
    setups = [engine_run(c, 3) for c in OTHER_CONFIGS]
    results = run_scripts(tmp_path, [export.script(c, layout, 3) for c in OTHER_CONFIGS])
    for setup, lines in zip(setups, results, strict=True):
        assert_same_parameters(lines[-1]["final"], setup, exact=layout == "row")


@pytest.mark.parametrize("preset, layout", [("xor-3-4-1", "row"), ("binary-2-5-5-1", "column")])
def test_a_script_run_on_its_own_prints_what_train_json_prints(tmp_path, capsys, preset, layout):
    script = tmp_path / "net.py"
    assert main(["export", preset, "--layout", layout, "--epochs", "200", "-o", str(script)]) == 0
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path,
                          env=_clean_env(), timeout=120)
    assert done.returncode == 0 and done.stderr == ""
    ours = [json.loads(line) for line in done.stdout.splitlines()]
    capsys.readouterr()
    assert main(["train", preset, "--epochs", "200", "--json"]) == 0
    theirs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [ln["epoch"] for ln in ours[:-1]] == [ln["epoch"] for ln in theirs[:-1]] == list(range(0, 200, 20))
    for a, b in zip(ours[:-1], theirs[:-1], strict=True):
        assert a["loss"] == pytest.approx(b["loss"], rel=1e-9) and a["error"] == pytest.approx(b["error"], rel=1e-9)
    for key in ("weights", "biases"):
        got, want = ours[-1]["final"][key], theirs[-1]["final"][key]
        if layout == "row":
            assert got == want
        else:
            for g, w in zip(got, want, strict=True):
                assert np.max(np.abs(np.subtract(g, w))) <= 1e-12 * np.max(np.abs(w))


@pytest.mark.parametrize("layout", export.LAYOUTS)
@pytest.mark.parametrize("preset", list(presets.PRESETS))
def test_the_script_imports_only_numpy_and_json(preset, layout):
    tree = ast.parse(export.script({"preset": preset}, layout))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert imported == {"json", "numpy"}


@pytest.mark.parametrize("layout, forward, bp2, bp4, bp3", [
    ("row", "Z2 = A1 @ W2 + b2", "delta2 = (delta3 @ W3.T) * sigmoid_prime(A2)", "nabla_W2 = A1.T @ delta2",
     "nabla_b2 = delta2.sum(axis=0)"),
    ("column", "Z2 = W2 @ A1 + b2", "delta2 = (W3.T @ delta3) * sigmoid_prime(A2)", "nabla_W2 = delta2 @ A1.T",
     "nabla_b2 = delta2.sum(axis=1, keepdims=True)"),
])
def test_one_line_per_equation_with_its_bp_comment(layout, forward, bp2, bp4, bp3):
    lines = [ln.strip() for ln in export.script({"preset": "binary-2-5-5-1"}, layout).splitlines()]
    code = [ln.split("  #")[0] for ln in lines]
    assert forward in code
    assert lines[code.index(bp2)].endswith("⊙ σ′(z²)") and "# BP2: δ² = " in lines[code.index(bp2)]
    assert "# BP4: ∂C/∂W² = " in lines[code.index(bp4)]
    assert "# BP3: ∂C/∂b² = Σ δ² over the batch" in lines[code.index(bp3)]
    assert "delta3 = (A3 - y)" in code and "# BP1: δ³ = a³ − y" in lines[code.index("delta3 = (A3 - y)")]
    assert "W1 = W1 - eta * nabla_W1" in code
    assert "eta = lr / (epoch + 1)" in code  # the preset's own η/epoch, not marked as a mistake
    assert not any("MISTAKE" in ln for ln in lines)


@pytest.mark.parametrize("variant, correct, changed", [
    ("flipped-sign", ["W1 = W1 - eta * nabla_W1", "W2 = W2 - eta * nabla_W2"],
     ["W1 = W1 + eta * nabla_W1", "W2 = W2 + eta * nabla_W2"]),
    ("sigma-prime-of-activation", ["return a * (1.0 - a)"], ["return sigmoid(a) * (1.0 - sigmoid(a))"]),
    ("output-sigma-prime-dropped", ["dC_dA2 = A2 - y", "delta2 = dC_dA2 * sigmoid_prime(A2)"],
     ["delta2 = A2 - y"]),
    ("one-over-epoch", ["eta = lr"], ["eta = lr / (epoch + 1)"]),
    ("all-positive-init", ["W1 = np.random.randn(30, 5)", "W2 = np.random.randn(5, 3)"],
     ["W1 = np.random.random((30, 5))", "W2 = np.random.random((5, 3))"]),
])
def test_a_variant_is_the_lines_it_changes_marked_mistake(variant, correct, changed):
    blocks = export.changes({"preset": "letters", "variant": variant})
    first = blocks[0]
    assert [ln.split("  #")[0] for ln in first["correct"]] == [ln.split("  #")[0] for ln in correct]
    assert [ln.split("  #")[0] for ln in first["variant"]] == changed
    assert all("# MISTAKE: " in ln for blk in blocks for ln in blk["variant"] if ln.startswith(("W", "eta", "ret",
                                                                                                 "delta")))
    assert export.changes({"preset": "letters"}) == []
    if variant == "sigma-prime-of-activation":
        assert first["context"] == "def sigmoid_prime(a):"


@pytest.mark.parametrize("variant, field, value", [("one-over-epoch", "schedule", "inverse"),
                                                  ("all-positive-init", "init", "rand")])
def test_the_variants_own_setting_in_the_url_is_not_taken_for_the_correct_rules(variant, field, value):
    """The page's URL keeps what the server echoed, the variant's schedule or init included."""
    config = {"preset": "letters", "variant": variant, field: value}
    assert export.changes(config) == export.changes({"preset": "letters", "variant": variant})
    assert export.correct_rule(config)[field] == presets.PRESETS["letters"]["config"][field]


def test_bias_not_summed_is_bp3_without_the_sum():
    blocks = export.changes({"preset": "binary-2-5-5-1", "variant": "bias-not-summed"})
    assert [b["correct"][0].split("  #")[0] for b in blocks] == [f"nabla_b{l} = delta{l}.sum(axis=0)"
                                                                 for l in (3, 2, 1)]
    assert [b["variant"][0].split("  #")[0] for b in blocks] == [f"nabla_b{l} = delta{l}" for l in (3, 2, 1)]


def test_the_data_is_written_out():
    text = export.script({"preset": "binary-2-5-5-1"})
    s = presets.build({"preset": "binary-2-5-5-1"})
    x0 = s.dataset.X[0]
    assert f"[{float(x0[0])!r}, {float(x0[1])!r}]" in text
    assert "X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)" in export.script(
        {"preset": "xor-3-4-1"})


def test_the_step_is_tagged_with_the_playback_phases():
    step = export.step({"preset": "binary-2-5-5-1"}, "row")
    tags = {t for ln in step["lines"] for t in ln["tags"]}
    assert tags == {"forward:0", "forward:1", "forward:2", "forward:3", "loss:3", "backward:3", "backward:2",
                    "backward:1", "update:0", "update:1"}
    by = {t: [ln["text"] for ln in step["lines"] if t in ln["tags"]] for t in tags}
    assert by["forward:0"] == ["A0, y = X, Y  # the whole training set as one batch"]
    assert [t.split("  #")[0] for t in by["backward:2"]] == [
        "delta2 = (delta3 @ W3.T) * sigmoid_prime(A2)", "nabla_b2 = delta2.sum(axis=0)", "nabla_W2 = A1.T @ delta2"]
    assert export.step({"preset": "letters"}, "column")["lines"][0]["text"] == "A0, y = X[:, i:i + 1], Y[:, i:i + 1]"


@pytest.mark.parametrize("config, layout, message", [
    ({"preset": "letters"}, "diagonal", "layout: 'diagonal' is not one of row, column"),
    ({"preset": "letters", "lr": -1}, "row", "Learning rate (lr): -1 is not a number from 0 to 100"),
    ({"preset": "letters", "variant": "bias-not-summed"}, "row",
     "Learning rule (variant): the bias-not-summed rule needs biases set to on"),
])
def test_bad_configs_name_the_field(config, layout, message):
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        export.script(config, layout)


@pytest.mark.parametrize("layout", export.LAYOUTS)
def test_every_hidden_activation_of_the_registry_exports_and_reproduces_the_engine(tmp_path, layout):
    """A new activation in engine/activations.py needs nothing in export.py: its NumPy source is beside it."""
    names = list(activations.HIDDEN_ACTIVATIONS)
    configs = [{"preset": "letters", "activation": name, "bias": True, "init": "xavier", "seed": 4}
               for name in names]
    configs += [{**c, "variant": "sigma-prime-of-activation"} for c in configs]
    setups = [engine_run(c, 3) for c in configs]
    results = run_scripts(tmp_path, [export.script(c, layout, 3) for c in configs])
    for setup, lines in zip(setups, results, strict=True):
        assert_same_parameters(lines[-1]["final"], setup, exact=layout == "row")


REGULARISED = [  # (config, epochs): every batch mode, momentum, a flipped sign, a regression and a test split
    ({"preset": "spiral", "batch": "full"}, 6),
    ({"preset": "spiral", "batch": 10, "shuffle": True, "momentum": 0.5}, 4),
    ({"preset": "overfitting", "batch": "sample"}, 3),
    ({"preset": "regression-bumps", "batch": "full", "variant": "flipped-sign"}, 4),
    ({"preset": "letters", "batch": "full", "bias": True}, 5),
]


def penalties_at_epoch_starts(config, epochs):
    """The engine's ``net.penalty()`` at the weights each epoch starts from."""
    s = presets.build(config)
    out = []
    for _ in range(epochs):
        out.append(s.net.penalty())
        s.trainer.run(1)
    return out


@pytest.mark.parametrize("layout", export.LAYOUTS)
@pytest.mark.parametrize("reg, rate", [("l1", 0.01), ("l2", 0.05)])
def test_a_regularised_script_trains_to_the_engines_numbers(tmp_path, reg, rate, layout):
    configs = [({**c, "regularization": reg, "reg_rate": rate}, e) for c, e in REGULARISED]
    setups = [engine_run(c, e) for c, e in configs]
    results = run_scripts(tmp_path, [export.script(c, layout, e) for c, e in configs])
    for (config, epochs), setup, lines in zip(configs, setups, results, strict=True):
        assert setup.net.regularized
        assert_same_parameters(lines[-1]["final"], setup, exact=layout == "row")
        history, penalties = setup.trainer.history, penalties_at_epoch_starts(config, epochs)
        assert [ln["epoch"] for ln in lines[:-1]] == list(range(epochs)), config
        for ln in lines[:-1]:
            assert ln["loss"] == pytest.approx(history["running_loss"][ln["epoch"]], rel=1e-9)  # its own passes
            assert ln["penalty"] == pytest.approx(penalties[ln["epoch"]], rel=1e-12)
            assert ln["penalty"] > 0


@pytest.mark.parametrize("reg, term", [("l2", "nabla_W2 = nabla_W2 + reg_rate * W2  # + λw"),
                                       ("l1", "nabla_W2 = nabla_W2 + reg_rate * np.sign(W2)  # + λ·sign(w)")])
def test_the_penalty_joins_each_weights_gradient_after_bp4_and_never_a_bias(reg, term):
    text = export.script({"preset": "spiral", "regularization": reg, "reg_rate": 0.01})
    lines = [ln.strip() for ln in text.splitlines()]
    at = next(i for i, ln in enumerate(lines) if ln.startswith(term))
    assert lines[at - 1].startswith("nabla_W2 = A1.T @ delta2  # BP4")
    assert sum("reg_rate" in ln for ln in lines if ln.startswith(("nabla_b", "b1 =", "b2 =", "b3 ="))) == 0
    assert sum(ln.startswith("nabla_W") and "reg_rate" in ln for ln in lines) == 3  # W1, W2, W3
    assert "reg_rate = 0.01  # λ" in text


def test_without_a_penalty_the_script_has_no_penalty_lines():
    for config in ({"preset": "spiral"}, {"preset": "spiral", "regularization": "l2", "reg_rate": 0}):
        assert "reg_rate" not in export.script(config) and "penalty" not in export.script(config)
