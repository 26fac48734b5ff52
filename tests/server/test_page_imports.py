"""Every name a page module imports from another of ours is exported there: a module split or renamed in one
branch and imported by its old home in another fails here, with the file and the name, before any browser test
finds a page that never started."""
from __future__ import annotations

import pathlib
import re

import pytest

STATIC = pathlib.Path(__file__).resolve().parents[2] / "static"
IMPORT = re.compile(r"import\s*\{([^}]*)\}\s*from\s*'(\.[^']+)'", re.S)
DECLARED = re.compile(r"export\s+(?:async\s+)?(?:function\*?|const|let|var|class)\s+(\w+)")
LISTED = re.compile(r"export\s*\{([^}]*)\}")


def exports(path):
    text = path.read_text(encoding="utf-8")
    names = set(DECLARED.findall(text))
    for block in LISTED.findall(text):
        names |= {part.split(" as ")[-1].strip() for part in block.split(",") if part.strip()}
    return names


def imports(path):
    """(the module it names, the name) for each named import of one of our modules."""
    for names, target in IMPORT.findall(path.read_text(encoding="utf-8")):
        for part in names.split(","):
            if part.strip():
                yield (path.parent / target).resolve(), part.split(" as ")[0].strip()


MODULES = sorted(p for p in STATIC.rglob("*.js") if "vendor" not in p.relative_to(STATIC).parts)


def test_the_page_has_modules_that_import_each_other():
    assert len(MODULES) > 30 and sum(1 for m in MODULES for _ in imports(m)) > 100


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.relative_to(STATIC).as_posix())
def test_each_imported_name_is_exported_by_the_module_it_names(module):
    missing = [f"{name} from {target.relative_to(STATIC).as_posix()}" for target, name in imports(module)
               if not target.exists() or name not in exports(target)]
    assert missing == []


@pytest.mark.parametrize("line, expected", [
    ("import { a, b as c } from './x.js';", ["a", "b"]),
    ("import {\n  a,\n  b,\n} from '../y.js';", ["a", "b"]),
    ("import katex from '../vendor/katex.mjs';", []),
])
def test_the_scan_reads_named_imports_only(tmp_path, line, expected):
    module = tmp_path / "m.js"
    module.write_text(line, encoding="utf-8")
    assert [name for _, name in imports(module)] == expected
