"""``backprop-playground train PRESET``: the table, the JSON lines, the errors, and no Flask."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.cli import main
from engine import presets

ROOT = Path(__file__).resolve().parents[2]


def run_json(capsys, *args):
    assert main(["train", *args, "--json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_json_lines_are_the_logged_epochs_then_the_final_network(capsys):
    lines = run_json(capsys, "xor-3-4-1", "--epochs", "3000", "--log-every", "1000")
    assert [ln["epoch"] for ln in lines[:-1]] == [0, 1000, 2000]
    assert all(set(ln) == {"epoch", "loss", "error"} for ln in lines[:-1])
    assert lines[0]["error"] == pytest.approx(0.496410031903, abs=1e-12)  # seed 000's first "Error:" line
    s = presets.build({"preset": "xor-3-4-1"})
    s.trainer.run(3000)
    assert lines[1]["loss"] == s.trainer.history["loss"][1000]
    final = lines[-1]["final"]
    assert set(final) == {"weights", "biases", "outputs"}
    np.testing.assert_array_equal(final["weights"][1], s.net.weights[1])
    assert final["biases"] == []
    np.testing.assert_array_equal(final["outputs"], s.net.predict(s.trainer.X))


def test_defaults_are_the_presets_epochs_and_about_ten_lines(capsys):
    lines = run_json(capsys, "letters")
    assert [ln["epoch"] for ln in lines[:-1]] == list(range(0, 100, 10))


@pytest.mark.parametrize("flag, value, field", [("--seed", "7", "seed"), ("--lr", "0.5", "lr")])
def test_seed_and_lr_override_the_preset(capsys, flag, value, field):
    default = run_json(capsys, "xor-positive-init", "--epochs", "5")
    changed = run_json(capsys, "xor-positive-init", "--epochs", "5", flag, value)
    s = presets.build({"preset": "xor-positive-init", field: type(presets.PRESETS["xor-positive-init"]["config"]
                                                                   [field])(value)})
    s.trainer.run(5)
    assert changed[-1]["final"]["weights"] != default[-1]["final"]["weights"]
    np.testing.assert_array_equal(changed[-1]["final"]["weights"][0], s.net.weights[0])


def test_the_table_shows_the_epochs_and_the_outputs(capsys):
    assert main(["train", "letters", "--epochs", "20", "--log-every", "5"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("letters: Letters A, B, C") and "sizes [30, 5, 3]" in out[0]
    assert out[1].split() == ["epoch", "loss", "mean", "|y-a|", "accuracy"]
    assert [row.split()[0] for row in out[2:6]] == ["0", "5", "10", "15"]
    assert out[6].startswith("after 20 epochs: loss ")
    assert [row.split()[3] for row in out[7:10]] == ["A", "B", "C"]


@pytest.fixture
def linear_presets(monkeypatch):
    """Presets built with linear units and biases, which overflow at a large learning rate."""
    build = presets.build
    monkeypatch.setattr(presets, "build", lambda config: build({**config, "activation": "linear", "bias": True}))


def test_a_diverging_run_says_where_and_why(capsys, linear_presets):
    assert main(["train", "xor-3-4-1", "--lr", "100", "--epochs", "500"]) == 0
    out = capsys.readouterr().out
    assert "diverged at epoch " in out
    lines = run_json(capsys, "xor-3-4-1", "--lr", "100", "--epochs", "500")
    diverged = lines[-1]["final"]["diverged"]
    assert 0 < diverged["epoch"] < 500 and diverged["reason"]
    assert len(lines) - 1 == len(range(0, diverged["epoch"], 50))


E = "backprop-playground train: error: "


@pytest.mark.parametrize("args, message", [
    (["nope"], E + "Preset (preset): 'nope' is not one of xor-3-4-1, xor-positive-init"),
    (["letters", "--epochs", "-1"], E + "Epochs (epochs): -1 is not a whole number from 0"),
    (["letters", "--epochs", "ten"], "backprop-playground train: error: argument --epochs: invalid int value"),
    (["letters", "--lr", "nan"], E + "Learning rate (lr): nan is not a number from 0 to 100"),
    (["letters", "--lr", "1e3"], E + "Learning rate (lr): 1000.0 is not a number"),
    (["letters", "--seed", "-3"], E + "Seed (seed): -3 is not a whole number"),
    (["letters", "--log-every", "0"], E + "Log every (log-every): 0 is not a whole number"),
    (["letters", "--colour", "red"], "backprop-playground: error: unrecognized arguments: --colour red"),
])
def test_bad_arguments_are_one_line_and_exit_2(capsys, args, message):
    try:
        code = main(["train", *args])
    except SystemExit as e:  # argparse's own errors
        code = e.code
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith(message)


def test_train_does_not_import_flask():
    code = ("import json, sys\n"
            "from app.cli import main\n"
            "assert main(['train', 'xor-positive-init', '--epochs', '3', '--json']) == 0\n"
            "web = ('flask', 'flask_socketio', 'socketio', 'engineio', 'werkzeug')\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in web)))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.splitlines()[-1]) == []
