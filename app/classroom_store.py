"""The class's accepted examples: drawings the teacher took into the training set, kept in the store's file.

One table beside the store's own (same SQLite file under ``--data``, stdlib ``sqlite3``, JSON text), so the
examples survive a restart and the next ``--classroom`` run on that data dir trains on them again.  They are
kept apart from ``/api/examples`` (the solo page's drawings: a solo tab trains on them with ``examples``).
Callers hand in validated values; the only check here is the size limit, raised as ``Invalid`` before anything
is written.
"""
from __future__ import annotations

import json
import sqlite3
import time

from .validate import Invalid

MAX_ACCEPTED = 200  # per dataset: the training set stays small enough to train at speed and to draw

SCHEMA = """
CREATE TABLE IF NOT EXISTS classroom_examples (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    dataset TEXT NOT NULL,
    label TEXT NOT NULL,
    input TEXT NOT NULL,
    name TEXT
);
"""


class AcceptedExamples:
    def __init__(self, path):
        self.path = path
        db = self._connect()
        db.executescript(SCHEMA)
        db.close()

    def _connect(self):
        db = sqlite3.connect(self.path, timeout=10.0)
        db.row_factory = sqlite3.Row
        return db

    def add(self, dataset, label, values, name=None):
        db = self._connect()
        try:
            with db:
                n = db.execute("SELECT COUNT(*) FROM classroom_examples WHERE dataset = ?", (dataset,)).fetchone()[0]
                if n >= MAX_ACCEPTED:
                    raise Invalid("id", f"the class's training set already holds {MAX_ACCEPTED} accepted drawings; "
                                        "clear them to take more")
                cur = db.execute("INSERT INTO classroom_examples (created, dataset, label, input, name) "
                                 "VALUES (?, ?, ?, ?, ?)",
                                 (time.time(), dataset, label, json.dumps(values, separators=(",", ":")), name))
                return cur.lastrowid
        finally:
            db.close()

    def list(self, dataset):
        """[(label, input)] in the order they were accepted."""
        db = self._connect()
        try:
            rows = db.execute("SELECT label, input FROM classroom_examples WHERE dataset = ? ORDER BY id",
                              (dataset,)).fetchall()
        finally:
            db.close()
        return [(r["label"], json.loads(r["input"])) for r in rows]

    def clear(self, dataset):
        db = self._connect()
        try:
            with db:
                return db.execute("DELETE FROM classroom_examples WHERE dataset = ?", (dataset,)).rowcount
        finally:
            db.close()
