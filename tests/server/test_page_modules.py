"""The page's modulepreload list is the static import graph of static/main.js, walked once when the app starts:
relative imports from any folder, ``export … from``, side-effect imports; never ``import()``; a broken import named."""
from __future__ import annotations

import re

import pytest

from app.page_modules import ModuleGraphError, imports, page_modules


@pytest.mark.parametrize("source, specifiers", [
    ("import { a } from './a.js';", ["./a.js"]),
    ('import { a,\n  b,\n} from "./ab.js";', ["./ab.js"]),
    ("import d, { e } from '../de.js';", ["../de.js"]),
    ("import * as ns from './ns.js';", ["./ns.js"]),
    ("import './side.js';", ["./side.js"]),
    ("export { f } from './f.js';", ["./f.js"]),
    ("export * from './all.js';", ["./all.js"]),
    ("import{a}from'./min.js';export*from\"./min2.js\";", ["./min.js"]),
    ("const m = await import('./lazy.js');", []),
    ("const code = `\nimport numpy as np\nfrom x import y\n`;", []),
    ("/**\n * import { z } from './doc.js'\n */", []),
    ("import { io } from '/static/vendor/io.esm.js';", ["/static/vendor/io.esm.js"]),
])
def test_imports_are_the_static_ones_in_written_order(source, specifiers):
    assert imports(source) == specifiers


def write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_graph_follows_relative_imports_across_folders_depth_first_each_module_once(tmp_path):
    write(tmp_path, {
        "main.js": "import { a } from './core/a.js';\nimport { v } from './visuals/v.js';\nimport('./lazy.js');",
        "core/a.js": "import { kit } from '../kit.js';\nimport { b } from './b.js';",
        "core/b.js": "import { kit } from '/static/kit.js';",
        "visuals/v.js": "export { kit } from '../kit.js';\nimport '../core/a.js';",
        "kit.js": "export const kit = 1;",
        "lazy.js": "export const lazy = 1;",
        "unused.js": "",
    })
    assert page_modules(tmp_path) == ["/static/main.js", "/static/core/a.js", "/static/kit.js", "/static/core/b.js",
                                      "/static/visuals/v.js"]


@pytest.mark.parametrize("files, message", [
    ({"main.js": "import { a } from './gone.js';"}, "static/main.js imports /static/gone.js, which is not a file"),
    ({"main.js": "import './x/a.js';", "x/a.js": "import '../../outside.js';"},
     "static/x/a.js imports /outside.js, which is not a file under static/"),
    ({"main.js": "import { h } from 'lit';"}, "static/main.js imports 'lit': the page has no import map"),
    ({}, "the page imports /static/main.js, which is not a file"),
])
def test_an_import_the_browser_could_not_load_stops_the_app_with_the_importer_named(tmp_path, files, message):
    write(tmp_path, files)
    with pytest.raises(ModuleGraphError, match=re.escape(message)):
        page_modules(tmp_path)


def test_the_page_preloads_the_graph_and_loads_its_entry_from_the_same_list(app, client):
    html = client.get("/").get_data(as_text=True)
    preloaded = re.findall(r'<link rel="modulepreload" href="([^"]+)">', html)
    assert preloaded == page_modules(app.static_folder)
    assert preloaded[0] == "/static/main.js"
    assert re.findall(r'<script type="module" src="([^"]+)">', html) == ["/static/main.js"]
    for url in preloaded:
        with client.get(url) as served:
            assert served.status_code == 200, url
