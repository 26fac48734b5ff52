"""The class's accepted drawings live in the one ``Store`` (app/store.py), under its one connection discipline: a
limit holds when many threads add at once against a real SQLite file, a data directory written by the classroom's
old accessor opens with its drawings, and no other module opens SQLite."""
from __future__ import annotations

import ast
import json
import sqlite3
import threading
from pathlib import Path

import pytest
from class_cases import LETTER_A, LETTER_C

from app import store as store_module
from app.store import Store
from app.validate import Invalid

APP = Path(__file__).resolve().parents[2] / "app"

# The tables as the classroom's own accessor (app/classroom_store.py) and the store created them before the
# classroom's table moved into the store: a data directory from then must open as it is.
OLD_CLASSROOM_SCHEMA = """
CREATE TABLE IF NOT EXISTS classroom_examples (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    dataset TEXT NOT NULL,
    label TEXT NOT NULL,
    input TEXT NOT NULL,
    name TEXT
);
"""
OLD_STORE_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY AUTOINCREMENT, created REAL NOT NULL, model TEXT,
    config TEXT NOT NULL, epochs INTEGER NOT NULL, history TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS models (name TEXT PRIMARY KEY, created REAL NOT NULL, body TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(id));
CREATE TABLE IF NOT EXISTS examples (id INTEGER PRIMARY KEY AUTOINCREMENT, created REAL NOT NULL,
    dataset TEXT NOT NULL, label TEXT NOT NULL, input TEXT NOT NULL);
"""

# (how a drawing is added, the limit's name in app/store.py, the refusal's words)
LIMITED = [
    pytest.param(lambda s, k: s.add_accepted("letters", "A", LETTER_A, f"Student {k}"), "MAX_ACCEPTED",
                 "id: the class's training set already holds 5 accepted drawings; clear them to take more",
                 id="accepted"),
    pytest.param(lambda s, k: s.add_example("letters", "A", LETTER_A), "MAX_EXAMPLES",
                 "input: the store already holds 5 examples; no more can be added", id="examples"),
]


@pytest.mark.parametrize("add, limit, refusal", LIMITED)
def test_a_limit_holds_when_many_threads_add_at_once(tmp_path, monkeypatch, add, limit, refusal):
    monkeypatch.setattr(store_module, limit, 5)
    store = Store(tmp_path)
    for k in range(3):
        add(store, k)
    threads, start = 12, threading.Barrier(12)
    stored, refused, failed = [], [], []

    def worker(k):
        start.wait()
        try:
            stored.append(add(store, k))
        except Invalid as exc:
            refused.append(exc.message)
        except Exception as exc:  # a lock error or anything else: the race was not handled
            failed.append(repr(exc))

    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(60)
    assert failed == []
    assert len(stored) == 2 and len(set(stored)) == 2
    assert refused == [refusal] * (threads - 2)
    with sqlite3.connect(store.path) as db:
        table = "classroom_examples" if limit == "MAX_ACCEPTED" else "examples"
        assert db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 5


@pytest.mark.parametrize("old", [OLD_STORE_SCHEMA + OLD_CLASSROOM_SCHEMA, OLD_CLASSROOM_SCHEMA],
                         ids=["store and classroom", "classroom table only"])
def test_a_data_directory_from_the_old_classroom_accessor_opens_with_its_drawings(tmp_path, old):
    path = tmp_path / store_module.FILENAME
    with sqlite3.connect(path) as db:  # written as the old accessor wrote: its statements, its JSON
        db.executescript(old)
        for label, values, name in [("A", LETTER_A, "Ana"), ("C", LETTER_C, None), ("B", LETTER_A, "Ben")]:
            db.execute("INSERT INTO classroom_examples (created, dataset, label, input, name) VALUES (?, ?, ?, ?, ?)",
                       (1.0, "letters", label, json.dumps(values, separators=(",", ":")), name))
        db.execute("INSERT INTO classroom_examples (created, dataset, label, input, name) VALUES (?, ?, ?, ?, ?)",
                   (1.0, "other", "A", json.dumps([1, 0]), None))
    db.close()
    store = Store(tmp_path)
    assert store.list_accepted("letters") == [("A", LETTER_A), ("C", LETTER_C), ("B", LETTER_A)]
    assert store.add_accepted("letters", "C", LETTER_C, "Cy") == 5
    assert [label for label, _ in store.list_accepted("letters")] == ["A", "C", "B", "C"]
    assert store.clear_accepted("letters") == 4 and store.list_accepted("letters") == []
    assert store.list_accepted("other") == [("A", [1, 0])]
    assert store.list_examples() == [] and store.list_models() == []  # the store's own tables work beside it


def test_the_class_hub_keeps_its_drawings_in_the_apps_one_store(class_app):
    hub, store = class_app.extensions["playground_hub"], class_app.extensions["playground_store"]
    assert hub.store is store


def _imports(path):
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_only_the_store_opens_sqlite():
    openers = sorted(str(p.relative_to(APP)) for p in APP.rglob("*.py") if "sqlite3" in _imports(p))
    assert openers == ["store.py"]
