"""The store: one SQLite file under ``--data`` holding saved models, run histories, drawn examples and a class's
accepted drawings.

Stdlib ``sqlite3`` only; every write is one transaction (a model and its run
are saved together or not at all), taken with ``BEGIN IMMEDIATE`` where it
reads first (does the name exist, how many rows are there), so that concurrent
saves cannot both pass a check; bodies are JSON text, never pickle.  Callers
hand in values that are already validated (``frames.load`` for models,
``validate`` for examples): this module checks only what it owns — names and
its own size limits — and raises ``Invalid`` before writing anything.  Every table goes through the same
``_connect`` (one connection per call, closed after it); a limit is checked in the write transaction it guards.

The classroom's accepted drawings (``classroom_examples``) are kept apart from ``examples`` (a solo page's
drawings, ``/api/examples``): a class trains on the teacher's choice, a solo tab on its own.  The table is the one
the classroom wrote before it lived here, so an older data directory opens as it is.
"""
from __future__ import annotations

import csv
import io
import json
import math
import os
import sqlite3
import time

from engine.inspect import FIGURES

from .validate import Invalid
from .validate import name as valid_name

FILENAME = "playground.sqlite3"
MAX_MODELS = 1000
MAX_EXAMPLES = 10_000
MAX_RUN_ROWS = 100_000
MAX_ACCEPTED = 200  # a class's accepted drawings per dataset: the set stays small enough to train at speed and draw

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    model TEXT,
    config TEXT NOT NULL,
    epochs INTEGER NOT NULL,
    history TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS models (
    name TEXT PRIMARY KEY,
    created REAL NOT NULL,
    body TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(id)
);
CREATE TABLE IF NOT EXISTS classroom_examples (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    dataset TEXT NOT NULL,
    label TEXT NOT NULL,
    input TEXT NOT NULL,
    name TEXT
);
CREATE TABLE IF NOT EXISTS examples (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    dataset TEXT NOT NULL,
    label TEXT NOT NULL,
    input TEXT NOT NULL
);
"""


def _finite_or_none(x):
    x = float(x)
    return x if math.isfinite(x) else None


def _dumps(value):
    return json.dumps(value, allow_nan=False, separators=(",", ":"))


class Store:
    def __init__(self, data_dir):
        os.makedirs(data_dir, exist_ok=True)
        self.path = os.path.join(data_dir, FILENAME)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    def _connect(self):
        db = sqlite3.connect(self.path, timeout=10.0)
        db.row_factory = sqlite3.Row
        return _Closing(db)

    # -- runs ------------------------------------------------------------
    @staticmethod
    def _run_body(history):
        """Every epoch's figures (``FIGURES``: the test ones too when the run had a split); runs longer than
        MAX_RUN_ROWS keep every k-th epoch (and the last)."""
        n = len(history["loss"])
        stride = max(1, math.ceil(n / MAX_RUN_ROWS))
        idx = list(range(0, n, stride))
        if n and idx[-1] != n - 1:
            idx.append(n - 1)
        kept = [k for k in FIGURES if history.get(k) is not None]
        return n, {"epochs": idx, **{k: [_finite_or_none(history[k][i]) for i in idx] for k in kept}}

    def _insert_run(self, db, config, history, model=None):
        n, body = self._run_body(history)
        cur = db.execute("INSERT INTO runs (created, model, config, epochs, history) VALUES (?, ?, ?, ?, ?)",
                         (time.time(), model, _dumps(config), n, _dumps(body)))
        return cur.lastrowid

    def save_run(self, config, history, model=None):
        with self._connect() as db, db:
            return self._insert_run(db, config, history, model)

    def get_run(self, run_id):
        """A saved run: ``{id, model, config, epochs, history}``, ``history`` the stored figures (``epochs``,
        ``loss``, ``error``, ``accuracy``, and ``test_loss``, ``test_error``, ``test_accuracy`` after a split,
        null otherwise); None if there is no such run."""
        with self._connect() as db:
            row = db.execute("SELECT id, model, config, epochs, history FROM runs WHERE id = ?",
                             (run_id,)).fetchone()
        if row is None:
            return None
        h = json.loads(row["history"])
        history = {"epochs": h["epochs"], **{k: h.get(k) for k in FIGURES}}
        return {"id": row["id"], "model": row["model"], "config": json.loads(row["config"]), "epochs": row["epochs"],
                "history": history}

    def run_csv(self, run_id):
        """``epoch,loss,error,accuracy`` (and ``test_loss,test_error,test_accuracy`` after a split) for a saved
        run, or None if there is no such run."""
        run = self.get_run(run_id)
        if run is None:
            return None
        h = run["history"]
        columns = [k for k in FIGURES if h[k] is not None]
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["epoch", *columns])
        for i, e in enumerate(h["epochs"]):
            w.writerow([e, *("" if h[k][i] is None else repr(h[k][i]) for k in columns)])
        return out.getvalue()

    # -- models ----------------------------------------------------------
    def save_model(self, name, model, history=None):
        """Store ``model`` (validated export JSON) under ``name``, replacing one of that name, with its run."""
        name = valid_name("name", name)
        body = _dumps({**model, "name": name})
        with self._connect() as db, db:
            db.execute("BEGIN IMMEDIATE")  # the write lock before the reads: concurrent saves see each other
            exists = db.execute("SELECT 1 FROM models WHERE name = ?", (name,)).fetchone() is not None
            if not exists and db.execute("SELECT COUNT(*) FROM models").fetchone()[0] >= MAX_MODELS:
                raise Invalid("name", f"the store already holds {MAX_MODELS} models; no more can be added")
            run_id = self._insert_run(db, model["config"], history, name) if history is not None else None
            db.execute("INSERT INTO models (name, created, body, run_id) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT(name) DO UPDATE SET created = excluded.created, body = excluded.body, "
                       "run_id = excluded.run_id", (name, time.time(), body, run_id))
        return {"name": name, "run": run_id, "replaced": exists}

    def list_models(self):
        with self._connect() as db:
            rows = db.execute("SELECT name, created, body, run_id FROM models ORDER BY name").fetchall()
        out = []
        for r in rows:
            body = json.loads(r["body"])
            config = body.get("config", {})
            out.append({"name": r["name"], "created": r["created"], "run": r["run_id"], "sizes": body.get("sizes"),
                        "epoch": body.get("epoch"), "preset": config.get("preset"),
                        "dataset": config.get("dataset")})
        return out

    def get_model(self, name):
        """The stored export JSON, or None."""
        with self._connect() as db:
            row = db.execute("SELECT body FROM models WHERE name = ?", (name,)).fetchone()
        return None if row is None else json.loads(row["body"])

    # -- a class's accepted drawings -------------------------------------
    def add_accepted(self, dataset, label, values, name=None):
        """Keep a drawing the teacher accepted (``name``: the student's display name); its id."""
        with self._connect() as db, db:
            db.execute("BEGIN IMMEDIATE")  # count and insert in one write transaction: the limit holds under load
            n = db.execute("SELECT COUNT(*) FROM classroom_examples WHERE dataset = ?", (dataset,)).fetchone()[0]
            if n >= MAX_ACCEPTED:
                raise Invalid("id", f"the class's training set already holds {MAX_ACCEPTED} accepted drawings; "
                                    "clear them to take more")
            cur = db.execute("INSERT INTO classroom_examples (created, dataset, label, input, name) "
                             "VALUES (?, ?, ?, ?, ?)", (time.time(), dataset, label, _dumps(values), name))
            return cur.lastrowid

    def list_accepted(self, dataset):
        """[(label, input)] of ``dataset``'s accepted drawings, in the order they were accepted."""
        with self._connect() as db:
            rows = db.execute("SELECT label, input FROM classroom_examples WHERE dataset = ? ORDER BY id",
                              (dataset,)).fetchall()
        return [(r["label"], json.loads(r["input"])) for r in rows]

    def clear_accepted(self, dataset):
        """Forget ``dataset``'s accepted drawings; how many there were."""
        with self._connect() as db, db:
            return db.execute("DELETE FROM classroom_examples WHERE dataset = ?", (dataset,)).rowcount

    def model_run(self, name):
        """The run saved with the model ``name`` (``get_run``), or None (an imported model has none)."""
        with self._connect() as db:
            row = db.execute("SELECT run_id FROM models WHERE name = ?", (name,)).fetchone()
        return None if row is None or row["run_id"] is None else self.get_run(row["run_id"])

    # -- examples --------------------------------------------------------
    def add_example(self, dataset, label, values):
        with self._connect() as db, db:
            db.execute("BEGIN IMMEDIATE")  # count and insert in one write transaction: the limit holds under load
            if db.execute("SELECT COUNT(*) FROM examples").fetchone()[0] >= MAX_EXAMPLES:
                raise Invalid("input", f"the store already holds {MAX_EXAMPLES} examples; no more can be added")
            cur = db.execute("INSERT INTO examples (created, dataset, label, input) VALUES (?, ?, ?, ?)",
                             (time.time(), dataset, label, _dumps(values)))
            return cur.lastrowid

    def add_new_examples(self, dataset, drawings):
        """Store each of ``drawings`` [{label, input}] of ``dataset`` the store does not hold yet (a link's, when it
        opens: they join the opener's list of drawings, an identical one is not stored twice) → how many were."""
        held = {(e["label"], tuple(map(float, e["input"]))) for e in self.list_examples(dataset)}
        stored = 0
        for d in drawings:
            key = (d["label"], tuple(map(float, d["input"])))
            if key not in held:
                self.add_example(dataset, d["label"], list(key[1]))
                held.add(key)
                stored += 1
        return stored

    def list_examples(self, dataset=None):
        sql = "SELECT id, created, dataset, label, input FROM examples"
        args = ()
        if dataset is not None:
            sql, args = sql + " WHERE dataset = ?", (dataset,)
        with self._connect() as db:
            rows = db.execute(sql + " ORDER BY id", args).fetchall()
        return [{"id": r["id"], "created": r["created"], "dataset": r["dataset"], "label": r["label"],
                 "input": json.loads(r["input"])} for r in rows]


    def delete_example(self, example_id):
        """Forget one stored drawing; True if there was one with this id."""
        with self._connect() as db, db:
            return db.execute("DELETE FROM examples WHERE id = ?", (example_id,)).rowcount == 1


class _Closing:
    """``with store._connect() as db, db:`` — the outer closes the connection, the inner is the transaction."""

    def __init__(self, db):
        self.db = db

    def __enter__(self):
        return self.db

    def __exit__(self, *exc):
        self.db.close()
        return False
