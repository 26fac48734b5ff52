"""``GET /api/export.py``, ``/api/export.ipynb`` and ``/api/export/step``: the page's URL in, code out."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat
import numpy as np
import pytest

from app.cli import main
from engine import export, presets

NOTEBOOK_RUNNER = """
import contextlib, io, json, sys
nb = json.load(open(sys.argv[1]))
scope, out = {"__name__": "__main__"}, io.StringIO()
with contextlib.redirect_stdout(out):
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            exec(compile("".join(cell["source"]), "<cell>", "exec"), scope)
print(out.getvalue(), end="")
"""


def run(args, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=tmp_path, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_the_script_is_the_pages_configuration(client):
    q = "preset=binary-2-5-5-1&dataset=circles&layers=4,3&activation=tanh&bias=1&lr=0.5&batch=10&shuffle=1" \
        "&seed=7&variant=correct&loss=mse&output_activation=same&projector=1&speed=max&layout=column&epochs=30"
    r = client.get("/api/export.py?" + q)
    assert r.status_code == 200 and r.mimetype == "text/x-python"
    assert r.headers["Content-Disposition"] == 'attachment; filename="binary-2-5-5-1-column.py"'
    config = {"preset": "binary-2-5-5-1", "dataset": "circles", "layers": [4, 3], "activation": "tanh",
              "bias": True, "lr": 0.5, "batch": 10, "shuffle": True, "seed": 7, "variant": "correct",
              "loss": "mse", "output_activation": None}
    assert r.get_data(as_text=True) == export.script(config, "column", 30)


@pytest.mark.parametrize("query, field, message", [
    ("preset=letters&lr=abc", "lr", "Learning rate (lr): 'abc' is not a number from 0 to 100"),
    ("preset=letters&lr=1000", "lr", "Learning rate (lr): 1000 is not a number from 0 to 100"),
    ("preset=letters&layers=5,x", "layers", "Hidden layers (layers[1]): 'x' is not a whole number from 1 to 64"),
    ("preset=letters&layout=diagonal", "layout", "layout: must be one of row, column, got 'diagonal'"),
    ("preset=letters&epochs=-1", "epochs", "epochs: must be a whole number from 0 to 1000000, got '-1'"),
    ("preset=letters&epochs=2.5", "epochs", "epochs: must be a whole number from 0 to 1000000, got '2.5'"),
    ("preset=nope", "preset", "Preset (preset): 'nope' is not one of xor-3-4-1"),
    ("preset=letters&bias=maybe", "bias", "Biases (bias): 'maybe' is not true or false"),
    ("preset=letters&colour=red", "colour", "colour: unknown parameter; allowed are preset, dataset"),
])
@pytest.mark.parametrize("path", ["/api/export.py", "/api/export.ipynb", "/api/export/step"])
def test_a_bad_parameter_is_a_400_naming_the_field(client, path, query, field, message):
    r = client.get(f"{path}?{query}")
    assert r.status_code == 400
    error = r.get_json()["error"]
    assert error["field"].split("[")[0] == field and error["message"].startswith(message)


@pytest.mark.parametrize("preset, layout, extra", [
    ("letters", "row", {}), ("binary-2-5-5-1", "column", {}), ("xor-3-4-1", "row", {}),
    ("binary-2-5-5-1", "row", {"variant": "sigma-prime-of-activation", "batch": 10, "shuffle": True,
                               "momentum": 0.5, "schedule": "constant", "lr": 0.1}),
    ("spiral", "row", {"regularization": "l1", "reg_rate": 0.01}),
    ("overfitting", "column", {"regularization": "l2", "reg_rate": 0.05}),
])
def test_the_notebook_runs_top_to_bottom_and_reproduces_the_engine(client, tmp_path, preset, layout, extra):
    query = "".join(f"&{k}={int(v) if isinstance(v, bool) else v}" for k, v in extra.items())
    r = client.get(f"/api/export.ipynb?preset={preset}&layout={layout}&epochs=12{query}")
    assert r.status_code == 200
    nb = nbformat.reads(r.get_data(as_text=True), as_version=4)
    nbformat.validate(nb)
    kinds = [c.cell_type for c in nb.cells]
    assert kinds[:2] == ["markdown", "code"] and kinds[2:] == ["markdown", "code"] * ((len(kinds) - 2) // 2)
    titles = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown"]
    L = len(presets.build({"preset": preset}).net.sizes) - 1
    bp2 = [f"## BP2: δ{'⁰¹²³'[l]}, one layer back" for l in range(L - 1, 0, -1)]
    assert titles[-(5 + len(bp2)):] == ["## One update, line by line: the forward pass", "## BP1: the output δ",
                                        *bp2, "## The update", "## Training", "## The result"]
    cell = {c.source.splitlines()[0]: nb.cells[i + 1].source for i, c in enumerate(nb.cells)
            if c.cell_type == "markdown"}
    assert f"delta{L} = " in cell["## BP1: the output δ"] and "# BP4: ∂C/∂W" in cell["## BP1: the output δ"]
    assert "# BP2: δ¹ = " in cell["## BP2: δ¹, one layer back"]
    assert cell["## The update"].splitlines()[-1].startswith(
        "momentum * vW1 - eta * nabla_W1  # W¹'s first step" if "momentum" in extra else
        "W1 - eta * nabla_W1  # W¹ after this update")
    training = cell["## Training"]
    assert "# BP4: ∂C/∂W" in training and "\nfor epoch in range(EPOCHS):\n" in "\n" + training
    path = tmp_path / "net.ipynb"
    path.write_text(r.get_data(as_text=True))
    lines = run(["-c", NOTEBOOK_RUNNER, str(path)], tmp_path)
    s = presets.build({"preset": preset, **extra})
    s.trainer.run(12)
    for got, want in zip(lines[-1]["final"]["weights"] + lines[-1]["final"]["biases"],
                         s.net.weights + s.net.biases, strict=True):
        if layout == "row":
            np.testing.assert_array_equal(got, want)
        else:
            assert np.max(np.abs(np.subtract(got, want))) <= 1e-12 * np.max(np.abs(want))


def test_the_script_download_runs_on_its_own(client, tmp_path):
    r = client.get("/api/export.py?preset=letters-bce&variant=output-sigma-prime-dropped&epochs=4")
    (tmp_path / "net.py").write_text(r.get_data(as_text=True))
    lines = run(["net.py"], tmp_path)
    s = presets.build({"preset": "letters-bce", "variant": "output-sigma-prime-dropped"})
    s.trainer.run(4)
    assert [ln["epoch"] for ln in lines[:-1]] == [0, 1, 2, 3]
    np.testing.assert_array_equal(lines[-1]["final"]["weights"][0], s.net.weights[0])


def test_drawn_letters_are_part_of_the_exported_data(client):
    letter_a = [0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1]
    assert client.post("/api/examples", json={"dataset": "letters", "label": "A", "input": letter_a}).status_code \
        == 201
    without = client.get("/api/export.py?preset=letters").get_data(as_text=True)
    with_examples = client.get("/api/export.py?preset=letters&examples=1").get_data(as_text=True)
    assert "(drawn on the page)" not in without
    assert "# 4 letters" in with_examples and with_examples.count("# A (drawn on the page)") == 1


def test_step_is_the_tagged_training_step_and_the_variants_changes(client):
    body = client.get("/api/export/step?preset=letters&variant=flipped-sign&layout=column").get_json()
    assert body["layout"] == "column"
    assert body["lines"][0] == {"text": "A0, y = X[:, i:i + 1], Y[:, i:i + 1]", "tags": ["forward:0"],
                                "mistake": False}
    assert [ln["text"].split("  #")[0] for ln in body["lines"] if ln["mistake"]] == [
        "W1 = W1 + eta * nabla_W1", "W2 = W2 + eta * nabla_W2"]
    assert body["changes"] == export.changes({"preset": "letters", "variant": "flipped-sign"}, "column")


@pytest.mark.parametrize("args, message", [
    (["export", "nope"], "backprop-playground export: error: preset: 'nope' is not one of xor-3-4-1"),
    (["export", "letters", "--layout", "diagonal"], "backprop-playground export: error: layout: 'diagonal'"),
    (["export", "letters", "--variant", "bias-not-summed"],
     "backprop-playground export: error: Learning rule (variant): the bias-not-summed rule needs biases set to on"),
    (["export", "letters", "--epochs", "-3"], "backprop-playground export: error: epochs: -3 is not a whole"),
])
def test_the_cli_names_a_bad_argument(capsys, args, message):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1


def test_the_cli_prints_the_script_or_writes_the_notebook(capsys, tmp_path):
    assert main(["export", "xor-3-4-1", "--lr", "0.5", "--seed", "3"]) == 0
    assert capsys.readouterr().out == export.script({"preset": "xor-3-4-1", "lr": 0.5, "seed": 3})
    assert main(["export", "letters", "--layout", "column", "-o", str(tmp_path / "l.ipynb")]) == 0
    nb = nbformat.read(str(tmp_path / "l.ipynb"), as_version=4)
    assert "Z1 = W1 @ A0" in "".join(c.source for c in nb.cells)


def test_the_code_tab_gets_its_step_with_the_apps_own_fields_in_the_query(client):
    """The page's URL carries the mistake lab's `compare` and the drawings' `examples`: the step is still answered."""
    body = client.get("/api/export/step?preset=letters&variant=flipped-sign&compare=1&examples=1").get_json()
    assert not any(ln["mistake"] for ln in body["lines"])  # the diagram runs the correct rule beside the variant
    assert body["changes"] == export.changes({"preset": "letters", "variant": "flipped-sign"}, "row")


@pytest.mark.parametrize("reg, term", [("l2", "nabla_W1 = nabla_W1 + reg_rate * W1"),
                                       ("l1", "nabla_W1 = nabla_W1 + reg_rate * np.sign(W1)")])
def test_a_regularised_network_exports_with_its_penalty(client, reg, term):
    query = f"preset=spiral&regularization={reg}&reg_rate=0.01"
    script = client.get(f"/api/export.py?{query}")
    assert script.status_code == 200
    assert script.get_data(as_text=True) == export.script({"preset": "spiral", "regularization": reg,
                                                           "reg_rate": 0.01})
    notebook = nbformat.reads(client.get(f"/api/export.ipynb?{query}").get_data(as_text=True), as_version=4)
    assert term in "".join(c.source for c in notebook.cells)
    step = client.get(f"/api/export/step?{query}").get_json()
    assert "unavailable" not in step and any(ln["text"].startswith(term) for ln in step["lines"])


def test_a_bad_regularisation_is_a_bad_request_naming_the_field(client):
    r = client.get("/api/export/step?preset=spiral&regularization=l3")
    assert r.status_code == 400 and r.get_json()["error"]["field"] == "regularization"
