"""The page's JavaScript modules, found by walking ``static/main.js``'s static imports once when the app starts.

``templates/index.html`` renders one ``<link rel="modulepreload">`` per module, so the browser fetches the whole
graph at once instead of discovering it one import at a time, and nobody keeps the list by hand.  Only static
imports count (``import … from './x.js'``, ``export … from``, ``import './x.js'``): a module loaded by ``import()``
(the visuals, KaTeX) is meant to arrive after the first drawn frame and is not preloaded.  Specifiers are relative
(``./x.js``, ``../core/x.js``, from any folder) or absolute under the static URL (``/static/vendor/…``).
"""
from __future__ import annotations

import posixpath
import re
from pathlib import Path

ENTRY = "main.js"  # the page's one module script, relative to static/

# What may stand between ``import`` and ``from``: a default name, ``{ a, b }`` (over several lines), ``* as ns``.
_CLAUSE = r"(?:[\w$]+\s*,\s*)?(?:\{[^}]*\}|\*\s*as\s+[\w$]+|[\w$]+)"
STATIC_IMPORT = re.compile(
    rf"""^[ \t]*(?:import\s*(?:{_CLAUSE}\s*from\s*)?|export\s*(?:\{{[^}}]*\}}|\*(?:\s*as\s+[\w$]+)?)\s*from\s*)"""
    r"""['"]([^'"]+)['"]""", re.M)


class ModuleGraphError(ValueError):
    """A static import the page could not load: a bare name, or a file that is not there."""


def imports(source):
    """The specifiers of a module's static imports, in the order they are written."""
    return STATIC_IMPORT.findall(source)


def page_modules(static_folder, static_url="/static", entry=ENTRY):
    """The URLs of every module ``entry`` loads through static imports: the entry first, then depth first in import
    order, each once."""
    root = Path(static_folder)
    start = posixpath.join(static_url, entry)
    seen = []

    def visit(url, importer):
        if url in seen:
            return
        rel = posixpath.relpath(url, static_url)
        path = root / rel
        if rel.startswith("..") or not path.is_file():
            raise ModuleGraphError(f"{importer or 'the page'} imports {url}, which is not a file under static/")
        seen.append(url)
        for spec in imports(path.read_text(encoding="utf-8")):
            if spec.startswith(("./", "../")):
                target = posixpath.normpath(posixpath.join(posixpath.dirname(url), spec))
            elif spec.startswith("/"):
                target = posixpath.normpath(spec)
            else:
                raise ModuleGraphError(f"static/{rel} imports {spec!r}: the page has no import map, "
                                       "so imports must start with ./, ../ or /")
            visit(target, f"static/{rel}")

    visit(start, None)
    return seen


def init_app(app):
    """Walks the graph once and gives every template ``page_modules`` (entry first)."""
    found = page_modules(app.static_folder, app.static_url_path)
    app.extensions["page_modules"] = found

    @app.context_processor
    def _page_modules():
        return {"page_modules": found}
