"""Nothing a learner made is lost: a drawing joins the running network, stored drawings can be listed and
deleted, and a blank pad is refused."""
from __future__ import annotations

import numpy as np
import pytest
from server_cases import LETTER_A, events, step

from app import frames
from app.store import Store
from engine import presets

LETTER_C = [0, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]


def store(client, label, x):
    r = client.post("/api/examples", json={"dataset": "letters", "label": label, "input": x})
    assert r.status_code == 201
    return r.get_json()["id"]


def engine_run(epochs_before, rows, epochs_after):
    """The engine's own answer: the letters preset trained, its data changed, trained on."""
    setup = presets.build({"preset": "letters"})
    setup.trainer.run(epochs_before)
    setup = frames.with_examples(setup, rows)
    setup.trainer.run(epochs_after)
    return setup


def test_a_stored_drawing_joins_the_run_without_restarting_it(sio, client):
    sio.call("configure", {"preset": "letters"})
    step(sio, 5)
    sio.received()
    store(client, "A", LETTER_A)

    ack = sio.call("use_examples")

    assert ack == {"ok": True, "samples": 4, "epoch": 5, "training": False}
    change = events(sio, "dataset")
    assert [(c["epoch"], c["dataset"]["n_samples"], c["config"]["examples"]) for c in change] == [(5, 4, True)]
    assert change[0]["dataset"]["X"][3] == [float(v) for v in LETTER_A]
    step(sio)
    snap = events(sio, "snapshot")[-1]
    want = engine_run(5, [("A", LETTER_A)], 1)
    assert snap["epoch"] == 6 and snap["weights"] == [w.tolist() for w in want.net.weights]
    assert snap["curve"]["epochs"] == [0, 1, 2, 3, 4, 5] and snap["curve"]["data_changes"] == [5]
    assert snap["curve"]["loss"] == want.trainer.history["loss"].tolist()
    assert len(snap["outputs"]) == 4


def test_a_deleted_drawing_leaves_the_run_and_each_change_is_marked(sio, client):
    sio.call("configure", {"preset": "letters"})
    first, second = store(client, "A", LETTER_A), store(client, "C", LETTER_C)
    step(sio)
    assert sio.call("use_examples")["samples"] == 5
    step(sio)
    assert client.delete(f"/api/examples/{first}").get_json() == {"deleted": first}
    assert sio.call("use_examples") == {"ok": True, "samples": 4, "epoch": 2, "training": False}
    step(sio)
    snap = events(sio, "snapshot")[-1]
    assert snap["epoch"] == 3 and snap["curve"]["data_changes"] == [1, 2]
    assert [e["id"] for e in client.get("/api/examples?dataset=letters").get_json()["examples"]] == [second]


def test_a_drawing_added_while_training_keeps_the_training_going(sio, client, app):
    sio.call("configure", {"preset": "letters"})
    sio.call("start", {"speed": 200})
    session = app.extensions["playground_hub"].get(sio.sid)
    store(client, "A", LETTER_A)
    with session.lock:
        epoch, weights = session.setup.trainer.epoch, [w.copy() for w in session.setup.net.weights]
        ack = sio.call("use_examples")
    assert ack == {"ok": True, "samples": 4, "epoch": epoch, "training": True}
    assert all(np.array_equal(a, b) for a, b in zip(weights, session.setup.net.weights, strict=True))
    assert session.setup.trainer.data_changes == ([epoch] if epoch else [])
    sio.call("pause")


def test_the_mistake_lab_companion_takes_the_drawing_too(sio, client, app):
    sio.call("configure", {"preset": "letters", "variant": "flipped-sign", "compare": True})
    step(sio)
    store(client, "B", LETTER_C)
    assert sio.call("use_examples")["samples"] == 4
    session = app.extensions["playground_hub"].get(sio.sid)
    assert session.companion.trainer.X.shape == (4, 30) and session.companion.trainer.data_changes == [1]


def test_use_examples_on_a_dataset_that_takes_no_drawings_names_the_dataset(sio):
    sio.call("configure", {"preset": "xor-3-4-1"})
    ack = sio.call("use_examples")
    assert ack["ok"] is False and ack["error"]["field"] == "dataset"
    assert ack["error"]["message"] == "dataset: 'xor-table' is not a letters dataset: drawings go with letters"


@pytest.mark.parametrize("x", [[0] * 30, [0.0] * 30])
def test_a_blank_drawing_is_refused_and_not_stored(client, x):
    r = client.post("/api/examples", json={"dataset": "letters", "label": "B", "input": x})
    assert r.status_code == 400
    assert r.get_json() == {"error": {"field": "input",
                                      "message": "input: the drawing is blank: paint the letter on the pad first"}}
    assert client.get("/api/examples").get_json()["examples"] == []


def test_a_point_at_the_origin_is_not_blank(client):
    r = client.post("/api/examples", json={"dataset": "moons", "label": "1", "input": [0.0, 0.0]})
    assert r.status_code == 201


@pytest.mark.parametrize("path, status, field", [
    ("/api/examples/999", 404, "id"),
    ("/api/examples/abc", 404, None),
    ("/api/examples/-1", 404, None),
])
def test_deleting_a_drawing_that_does_not_exist_changes_nothing(client, path, status, field):
    kept = store(client, "A", LETTER_A)
    r = client.delete(path)
    assert r.status_code == status
    if field:
        assert r.get_json() == {"error": {"field": "id", "message": "id: no stored drawing 999"}}
    assert [e["id"] for e in client.get("/api/examples").get_json()["examples"]] == [kept]


def test_the_store_deletes_one_drawing_in_its_file(tmp_path):
    s = Store(str(tmp_path))
    a, b = s.add_example("letters", "A", LETTER_A), s.add_example("letters", "C", LETTER_C)
    assert s.delete_example(a) is True and s.delete_example(a) is False
    again = Store(str(tmp_path))  # the same SQLite file, opened afresh
    assert [(e["id"], e["label"]) for e in again.list_examples("letters")] == [(b, "C")]
