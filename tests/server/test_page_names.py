"""The page computes no loss's or regulariser's maths by name: ∂C/∂a and the penalty's term come from the engine
(snapshot and trace ``cost_derivative``, ``gradients.penalty``).  Only the TeX table may name them, to pick a
symbol."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.losses import LOSSES
from engine.network import REGULARIZATIONS

STATIC = Path(__file__).resolve().parents[2] / "static"
TEX_TABLE = STATIC / "equations" / "equations-tex.js"
NAMES = [*LOSSES, *(r for r in REGULARIZATIONS if r != "none")]


def page_modules():
    return sorted(p for p in STATIC.rglob("*.js") if "vendor" not in p.parts and p != TEX_TABLE)


def test_the_page_has_modules_to_search():
    assert len(page_modules()) > 20 and STATIC / "equations" / "equations-model.js" in page_modules()


@pytest.mark.parametrize("name", NAMES)
def test_no_page_module_but_the_tex_table_names_a_loss_or_a_regulariser(name):
    quoted = re.compile(rf"""(['"`]){re.escape(name)}\1""")
    found = [f"{p.relative_to(STATIC)}:{n}" for p in page_modules()
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if quoted.search(line)]
    assert found == []
