"""Store faults: a server killed with SIGKILL mid-save, concurrent saves, a failure inside a save, bad imports.

The killed server's store is then opened as it is left on disk: SQLite's own integrity check, every save
that was acknowledged before the kill present and loadable (it passes the import validator), no model
without its run, no run of a save that did not finish.
"""
from __future__ import annotations

import json
import re
import sqlite3
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import create_app, frames
from app import store as store_module
from app.store import Store
from tests.hardening.payloads import Raw, any_value, encode
from tests.hardening.wire import Wire

pytestmark = pytest.mark.live


def rows(data_dir):
    """(models {name: (body, run_id)}, runs {id: (model, epochs, history)}, integrity) of a store on disk."""
    with sqlite3.connect(Store(data_dir).path) as db:
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        models = {n: (json.loads(b), r) for n, b, r in db.execute("SELECT name, body, run_id FROM models")}
        runs = {i: (m, e, json.loads(h)) for i, m, e, h in db.execute("SELECT id, model, epochs, history FROM runs")}
    return models, runs, integrity


def test_a_server_killed_mid_save_loses_nothing_saved_before_and_leaves_no_broken_row(server_factory):
    server = server_factory()
    acked, pending, stop = [], [], threading.Event()
    clients = [Wire(server.port) for _ in range(3)]
    for w in clients:  # long histories make each save a big transaction (20,000 epochs of figures)
        w.call("configure", {"preset": "letters"})
        w.call("start", {"speed": "max", "until": 20_000})
    for w in clients:
        assert w.wait_for("status", lambda p: p["state"] == "done", timeout=120) is not None

    def save_loop(k, w):
        i = 0
        while not stop.is_set():
            name = f"client {k} save {i}"
            pending.append(name)
            ack = w.call("save_model", {"name": name}, timeout=30)
            if ack is None:  # the server died with this save in flight
                return
            assert ack["ok"] is True, ack
            pending.remove(name)
            acked.append((name, ack["run"]))
            i += 1

    threads = [threading.Thread(target=save_loop, args=(k, w), daemon=True) for k, w in enumerate(clients)]
    for t in threads:
        t.start()
    while len(acked) < 9:
        time.sleep(0.01)
    server.kill9()
    stop.set()
    for t in threads:
        t.join(10)
    in_flight = list(pending)
    assert in_flight, "no save was in flight when the server was killed"

    models, runs, integrity = rows(server.data_dir)
    assert integrity == "ok"
    for name, run_id in acked:  # everything acknowledged survived, whole
        body, stored_run = models[name]
        assert stored_run == run_id and runs[run_id][0] == name and runs[run_id][1] == 20_000
        frames.load(body)  # the import validator accepts it: shapes, finite numbers
        assert len(runs[run_id][2]["epochs"]) == 20_000
    for name in in_flight:  # a save cut short is either all there or not there at all
        if name in models:
            assert runs[models[name][1]][0] == name
    assert {m for m, _, _ in runs.values()} == set(models)  # no run without its model, no model without its run
    server.start()  # the same data dir, after the crash
    listed = {m["name"] for m in server.get("/api/models")["models"]}
    assert {name for name, _ in acked} <= listed
    w = Wire(server.port)
    assert w.call("load_model", {"name": acked[-1][0]})["ok"] is True
    w.close()
    for c in clients:
        c.drop()


def test_concurrent_saves_from_several_sessions_all_persist(strict_server):
    clients = [Wire(strict_server.port) for _ in range(6)]
    for k, w in enumerate(clients):
        w.call("configure", {"preset": "xor-3-4-1"})
        for _ in range(k):
            w.call("step", {"unit": "epoch"})
    results = {}

    def save_all(k, w):
        results[k] = [w.call("save_model", {"name": f"session {k} model {i}"}) for i in range(10)]
        results[k].append(w.call("save_model", {"name": "everyone"}))

    threads = [threading.Thread(target=save_all, args=(k, w)) for k, w in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(a["ok"] for acks in results.values() for a in acks)
    models = {m["name"]: m for m in strict_server.get("/api/models")["models"]}
    for k in range(6):
        for i in range(10):
            assert models[f"session {k} model {i}"]["epoch"] == k
    assert models["everyone"]["epoch"] in range(6)  # one row: the last writer's, whole
    assert sum(a["replaced"] for acks in results.values() for a in acks) == 5
    for w in clients:
        w.close()


def test_a_failure_inside_a_save_rolls_it_back(tmp_path, monkeypatch):
    store = Store(tmp_path)
    setup, _ = frames.build({"preset": "xor-3-4-1"})
    history = frames.history_rows(setup.trainer)
    store.save_model("first", frames.export(setup), history)
    calls = []

    def clock():  # the run row is written, then the model row's timestamp fails
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return 0.0

    monkeypatch.setattr(store_module.time, "time", clock)
    with pytest.raises(OSError):
        store.save_model("second", frames.export(setup), history)
    models, runs, integrity = rows(tmp_path)
    assert integrity == "ok" and set(models) == {"first"} and len(runs) == 1


# -- malformed imports: hypothesis on the HTTP bodies (in process) ---------------------------------------
def paths(value, prefix=()):
    """Every path (tuple of keys and indices) into a JSON value."""
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:4]):
            yield from paths(v, (*prefix, i))


def replaced(value, path, new):
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: replaced(value[head], rest, new)}
    return [replaced(v, rest, new) if i == head else v for i, v in enumerate(value)]


def exported_model(app):
    setup, _ = frames.build({"preset": "xor-3-4-1", "bias": True})
    setup.trainer.run(3)
    return {**frames.export(setup), "name": "valid"}


@pytest.mark.parametrize("route", ["/api/models", "/api/examples"])
def test_malformed_imports_get_400_with_the_reason_and_write_nothing(tmp_path, route):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data")})
    client = app.test_client()
    valid = exported_model(app) if route == "/api/models" else {"dataset": "moons", "label": "1", "input": [0.1, 0.2]}
    all_paths = list(paths(valid))
    seen = {201: 0, 400: 0, 413: 0}

    def count():
        return len(client.get(route).get_json()["models" if route == "/api/models" else "examples"])

    @settings(max_examples=300, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(all_paths), any_value | st.just(Raw("NaN")) | st.just(Raw("-Infinity")), st.booleans())
    def post(path, value, drop):
        body = dict(valid) if drop and not path else replaced(valid, path, value)
        if drop and path and isinstance(body, dict) and path[0] in body:
            body = {k: v for k, v in body.items() if k != path[0]}
        before = count()
        r = client.post(route, data=encode(body), content_type="application/json")
        seen[r.status_code] += 1
        assert r.status_code in (201, 400, 413), r.get_data()[:300]
        if r.status_code == 201:
            return
        error = r.get_json()["error"]
        assert re.match(rf"^([^:]+ \()?{re.escape(error['field'])}\)?: ", error["message"])
        assert len(error["message"]) <= 400
        assert count() == before

    post()
    assert seen[400] > 200


def test_a_model_saved_under_the_old_names_opens_in_a_real_store_file(tmp_path):
    """Saved before the preset and the init lost a person's name: it opens, with today's names and its weights."""
    store = Store(tmp_path)
    setup, _ = frames.build({"preset": "xor-3-4-1"})
    setup.trainer.run(25)
    model = frames.export(setup)
    model["config"] = {**model["config"], "preset": "xor-trask", "init": "trask"}
    store.save_model("before the rename", model, frames.history_rows(setup.trainer))
    opened, _ = frames.load(Store(tmp_path).get_model("before the rename"))
    assert (opened.config["preset"], opened.config["init"]) == ("xor-3-4-1", "rand-sym")
    for saved, now in zip(setup.net.weights, opened.net.weights, strict=True):
        assert saved.tolist() == now.tolist()
