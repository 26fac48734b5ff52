"""The page hard-codes no configuration name: every activation, loss, init, dataset, preset and regulariser name
the server lists in ``GET /api/schema`` is absent from ``static/**/*.js`` as a quoted string or an object key, so a
new one needs no edit in static/ (the page learns the view a dataset needs from its ``kind`` and its words from the
dataset).  Vendored code is not ours; the exceptions below say which names a file may still hold, and why."""
from __future__ import annotations

import pathlib
import re

import pytest

STATIC = pathlib.Path(__file__).resolve().parents[2] / "static"
NAMED_FIELDS = {"activation": "activation", "output_activation": "activation", "loss": "loss", "init": "init",
                "dataset": "dataset", "preset": "preset", "regularization": "regularization"}
NOT_A_NAME = {"none"}  # the regulariser's "none" is also every page's ordinary word
# file (under static/) -> (the sorts of name it may quote, why)
EXCEPTIONS = {
    "equations/equations-tex.js": ({"loss", "activation", "regularization"},
                                   "the TeX table: the formula, σ′ rule and penalty symbol written for each loss, "
                                   "activation and regulariser (the numbers come from the engine)"),
}
QUOTED = re.compile(r"""(['"`])([\w^-]+)\1""")
KEY = re.compile(r"""(?<![\w.$'"`-])([\w-]+)\s*:(?!:)""")


def schema_names(client):
    body = client.get("/api/schema").get_json()
    names = {}
    for field in body["fields"]:
        if field["name"] in NAMED_FIELDS:
            for choice in set(field["choices"]) - NOT_A_NAME:
                names[choice] = NAMED_FIELDS[field["name"]]
    names.update({p["name"]: "preset" for p in body["presets"]})
    names.update({d["name"]: "dataset" for d in body["datasets"]})
    names.update({a["name"]: "activation" for a in body["activations"]})
    return names


def uses(text, names):
    """(line number, name) for each name quoted or used as an object key; comment lines count too."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        words = [m.group(2) for m in QUOTED.finditer(line)] + [m.group(1) for m in KEY.finditer(line)]
        found += [(number, w) for w in words if w in names]
    return found


def page_scripts():
    return sorted(p for p in STATIC.rglob("*.js") if "vendor" not in p.relative_to(STATIC).parts)


@pytest.mark.parametrize("line, expected", [
    ("if (kind === 'letters') draw();", ["letters"]),
    ('const x = "relu";', ["relu"]),
    ("const t = `sine`;", ["sine"]),
    ("const T = { mse: 'C', bce: 'C2' };", ["mse", "bce"]),
    ("const v = net.loss; // a letter", []),
    ("const a = s.sigmoid; const b = 'sigmoidal';", []),
    ("url = 'a?preset=letters';", []),
])
def test_the_scan_finds_quoted_names_and_object_keys_only(line, expected):
    names = {"letters", "relu", "sine", "mse", "bce", "sigmoid"}
    assert [w for _, w in uses(line, names)] == expected


def test_the_schema_lists_every_sort_of_name_the_scan_looks_for(client):
    names = schema_names(client)
    assert set(names.values()) == {"activation", "loss", "init", "dataset", "preset", "regularization"}
    assert {"leaky_relu", "softmax", "ce", "xavier", "letters", "sine", "regression-bumps"} <= set(names)


def test_no_script_of_the_page_names_an_activation_loss_init_dataset_or_preset(client):
    names = schema_names(client)
    scripts = page_scripts()
    assert len(scripts) > 30  # the scan reads the page's own scripts
    found = []
    for path in scripts:
        rel = path.relative_to(STATIC).as_posix()
        allowed = EXCEPTIONS.get(rel, (set(), ""))[0]
        found += [f"static/{rel}:{n}: {w!r} ({names[w]})" for n, w in uses(path.read_text(encoding="utf-8"), names)
                  if names[w] not in allowed]
    assert found == []


@pytest.mark.parametrize("rel", sorted(EXCEPTIONS))
def test_each_lasting_exception_is_a_file_that_still_needs_it(client, rel):
    names = schema_names(client)
    sorts = {names[w] for _, w in uses((STATIC / rel).read_text(encoding="utf-8"), names)}
    assert sorts == EXCEPTIONS[rel][0], f"static/{rel}: drop the exception's sorts {EXCEPTIONS[rel][0] - sorts}"
