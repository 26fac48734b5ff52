"""The HTTP routes: health, presets, the page, and the store's models, runs and examples."""
from __future__ import annotations

import copy
import re

import pytest
from server_cases import LETTER_A

from app import schema
from app.wire import encode
from engine import datasets, presets
from engine.inspect import FIGURES


def test_health(client):
    r = client.get("/api/health")
    assert r.status_code == 200
    body = r.get_json()
    assert body["ok"] is True and body["sessions"] == 0 and body["training"] == 0
    assert body["threads"] >= 1


def test_presets_lists_presets_variants_datasets_and_limits(client):
    body = client.get("/api/presets").get_json()
    assert [p["name"] for p in body["presets"]] == list(presets.PRESETS)
    assert body["presets"][2]["config"]["batch"] == "sample"
    assert "flipped-sign" in [v["name"] for v in body["variants"]]
    assert "letters" in body["datasets"]
    assert body["limits"]["hidden_layers"] == 6 and body["limits"]["width"] == 64


def test_the_page_is_served(client):
    r = client.get("/")
    assert r.status_code == 200 and b"<html" in r.data.lower()


@pytest.fixture
def model(sio):
    """The export JSON of ``letters`` after two steps, saved as ``two-steps`` through the socket."""
    sio.call("configure", {"preset": "letters"})
    sio.call("step", {"unit": "epoch"})
    sio.call("step", {"unit": "epoch"})
    ack = sio.call("save_model", {"name": "two-steps"})
    assert ack == {"ok": True, "name": "two-steps", "run": 1, "replaced": False}
    return ack


def test_a_saved_model_exports_lists_and_loads(client, sio, model):
    listed = client.get("/api/models").get_json()["models"]
    assert [(m["name"], m["epoch"], m["sizes"], m["preset"], m["run"]) for m in listed] == \
        [("two-steps", 2, [30, 5, 3], "letters", 1)]
    exported = client.get("/api/models/two-steps").get_json()
    setup = presets.build({"preset": "letters"})
    setup.trainer.run(2)
    assert exported["weights"] == [w.tolist() for w in setup.net.weights]
    assert exported["config"]["preset"] == "letters" and exported["biases"] == []
    sio.ack_snapshots()
    sio.received()
    assert sio.call("load_model", {"name": "two-steps"})["ok"] is True
    snapshot = [p for n, p in sio.received() if n == "snapshot"][-1]
    assert snapshot["epoch"] == 0 and snapshot["weights"] == exported["weights"]


def test_a_run_downloads_as_csv(client, model):
    r = client.get("/api/runs/1.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    lines = r.get_data(as_text=True).splitlines()
    assert lines[0] == "epoch,loss,error,accuracy"
    setup = presets.build({"preset": "letters"})
    setup.trainer.run(2)
    h = setup.trainer.history
    assert lines[1:] == [f"{e},{float(h['loss'][e])!r},{float(h['error'][e])!r},{float(h['accuracy'][e])!r}"
                         for e in (0, 1)]
    assert client.get("/api/runs/2.csv").status_code == 404


def test_import_round_trips_an_export(client, model):
    exported = client.get("/api/models/two-steps").get_json()
    r = client.post("/api/models", json={**exported, "name": "copy"})
    assert r.status_code == 201 and r.get_json() == {"name": "copy", "run": None, "replaced": False}
    again = client.get("/api/models/copy").get_json()
    assert again["weights"] == exported["weights"] and again["epoch"] == 2


def _bad_models():
    good = presets.build({"preset": "xor-3-4-1"})
    body = {"name": "x", "config": {"preset": "xor-3-4-1"}, "weights": [w.tolist() for w in good.net.weights],
            "biases": []}

    def change(path, value):
        b = copy.deepcopy(body)
        target = b
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return b

    return [
        ("not an object", [1, 2], "body"),
        ("no name", {k: v for k, v in body.items() if k != "name"}, "name"),
        ("path in name", change(["name"], "../../x"), "name"),
        ("html in name", change(["name"], "<b>x</b>"), "name"),
        ("unknown field", change(["pickle"], "cos\nsystem"), "pickle"),
        ("bad config", change(["config", "layers"], [0]), "config.layers[0]"),
        ("unknown preset", change(["config", "preset"], "nope"), "config.preset"),
        ("wrong layer count", change(["weights"], body["weights"][:1]), "weights"),
        ("wrong shape", change(["weights", 0], [[0.0] * 4] * 2), "weights[0]"),
        ("nan weight", change(["weights", 1, 0], [float("nan")]), "weights[1][0]"),
        ("string weight", change(["weights", 1, 0], ["1"]), "weights[1][0]"),
        ("huge weight", change(["weights", 1, 0], [1e308]), "weights[1][0]"),
        ("biases without bias", change(["biases"], [[0.0] * 4, [0.0]]), "biases"),
        ("wrong sizes", change(["sizes"], [3, 5, 1]), "sizes"),
        ("wrong format", change(["format"], "pickle"), "format"),
    ]


@pytest.mark.parametrize("label,body,field", _bad_models(), ids=[c[0] for c in _bad_models()])
def test_a_bad_import_gets_400_and_writes_nothing(client, label, body, field):
    r = client.post("/api/models", json=body)
    assert r.status_code == 400
    error = r.get_json()["error"]
    assert error["field"] == field and re.match(rf"^([^:]+ \()?{re.escape(field)}\)?: ", error["message"])
    assert client.get("/api/models").get_json()["models"] == []


def test_a_body_that_is_not_json_gets_400(client):
    r = client.post("/api/models", data=b"\x80\x04pickle", content_type="application/octet-stream")
    assert r.status_code == 400 and r.get_json()["error"]["field"] == "body"


def test_an_oversized_body_gets_413(client, app):
    r = client.post("/api/models", data=b"[" + b"0," * app.config["MAX_CONTENT_LENGTH"] + b"0]",
                    content_type="application/json")
    assert r.status_code == 413 and r.get_json()["error"]["field"] == "body"


def test_unknown_model_is_404_and_a_bad_name_400(client):
    assert client.get("/api/models/nothing").status_code == 404
    assert client.get("/api/models/a%3Cb%3E").status_code == 400


def test_examples_are_stored_and_listed(client):
    r = client.post("/api/examples", json={"dataset": "letters", "label": "A", "input": LETTER_A})
    assert r.status_code == 201 and r.get_json() == {"id": 1, "dataset": "letters", "label": "A"}
    client.post("/api/examples", json={"dataset": "moons", "label": "1", "input": [0.5, -0.25]})
    listed = client.get("/api/examples?dataset=letters").get_json()["examples"]
    assert [(e["id"], e["label"], e["input"]) for e in listed] == [(1, "A", [float(v) for v in LETTER_A])]
    assert len(client.get("/api/examples").get_json()["examples"]) == 2


@pytest.mark.parametrize("body,field", [
    ({"dataset": "letters", "label": "A"}, "input"),
    ({"dataset": "letters", "label": "D", "input": LETTER_A}, "label"),
    ({"dataset": "mnist", "label": "A", "input": LETTER_A}, "dataset"),
    ({"dataset": "letters", "label": "A", "input": LETTER_A[:29]}, "input"),
    ({"dataset": "letters", "label": "A", "input": LETTER_A[:29] + [2]}, "input"),
    ({"dataset": "letters", "label": "A", "input": LETTER_A[:29] + [float("nan")]}, "input"),
    ({"dataset": "moons", "label": "1", "input": [0.0, 9.0]}, "input"),
    ({"dataset": "letters", "label": "A", "input": LETTER_A, "user": "x"}, "user"),
    ("A", "body"),
])
def test_a_bad_example_gets_400_and_writes_nothing(client, body, field):
    r = client.post("/api/examples", json=body)
    assert r.status_code == 400 and r.get_json()["error"]["field"] == field
    assert client.get("/api/examples").get_json()["examples"] == []


def test_examples_filter_is_validated(client):
    assert client.get("/api/examples?dataset=nope").status_code == 400


def test_schema_declares_every_configure_field_with_label_help_and_range(client):
    body = client.get("/api/schema").get_json()
    assert set(body) == {"fields", "presets", "datasets", "variants", "activations", "limits", "wire", "doubt",
                         "branch"}
    assert body["wire"] == {"optional": ["curve", "boundary"], "nested": ["companion"]}
    assert body["doubt"] == encode.doubt_rule()  # when a prediction is marked not sure: the page reads it here
    assert body["branch"] == {"fields": ["lr", "batch", "momentum", "regularization", "reg_rate", "variant"],
                              "limit": 4}  # a "what if" branch's fields are configure's own
    fields = {f["name"]: f for f in body["fields"]}
    assert list(fields) == list(schema.NAMES)
    for f in fields.values():
        assert f["label"] and f["help"] and f["type"] and "default" in f
        assert ("choices" in f) == (f["type"] in ("choice", "batch", "features"))
        assert ("min" in f) == (f["type"] in ("number", "integer", "layers", "batch", "features"))
    assert fields["lr"] == {"name": "lr", "label": "Learning rate", "type": "number", "default": 1.0, "min": 0.0,
                            "max": 100.0, "help": fields["lr"]["help"]}
    assert "leaky_relu" in fields["activation"]["choices"] and "leaky_relu" in fields["output_activation"]["choices"]
    assert "softmax" not in fields["activation"]["choices"]
    assert fields["dataset"]["choices"] == [d["name"] for d in body["datasets"]] == list(datasets.NAMES)
    assert {d["name"]: (d["kind"], d["n_samples"]) for d in body["datasets"]}["letters"] == ("images", 3)
    assert [p["name"] for p in body["presets"]] == list(presets.PRESETS)
    assert all(set(p["config"]) == set(schema.NAMES) - {"preset"} for p in body["presets"])
    assert {v["name"]: v["needs"] for v in body["variants"]}["bias-not-summed"] == {"bias": True, "batch": "full",
                                                                               "test_fraction": 0.0}
    assert body["limits"]["hidden_layers"] == 6 and body["limits"]["width"] == 64


@pytest.mark.parametrize("activation", ["leaky_relu", "relu"])
def test_configure_and_snapshot_with_an_activation_from_the_schema(sio, activation):
    ack = sio.call("configure", {"preset": "letters", "activation": activation, "output_activation": activation})
    assert ack["ok"] is True and ack["config"]["activation"] == activation
    sio.call("step", {"unit": "epoch"})
    snapshot = [p for name, p in sio.received() if name == "snapshot"][-1]
    setup = presets.build({"preset": "letters", "activation": activation, "output_activation": activation})
    setup.trainer.run(1)
    assert snapshot["epoch"] == 1 and snapshot["weights"] == [w.tolist() for w in setup.net.weights]


def test_a_saved_run_with_a_split_keeps_its_test_curve_and_opens_with_it(client, sio):
    sio.call("configure", {"preset": "overfitting"})
    for _ in range(3):
        sio.call("step", {"unit": "epoch"})
    saved = sio.call("save_model", {"name": "split"})
    setup = presets.build({"preset": "overfitting"})
    setup.trainer.run(3)
    want = {k: [float(v) for v in setup.trainer.history[k]] for k in FIGURES}  # the curves a run keeps
    assert len(want["test_loss"]) == 3
    opened = sio.call("load_model", {"name": "split"})
    assert opened["run"]["id"] == saved["run"] and opened["run"]["history"] == {"epochs": [0, 1, 2], **want}
    assert client.get(f"/api/runs/{saved['run']}").get_json() == opened["run"]
    lines = client.get(f"/api/runs/{saved['run']}.csv").get_data(as_text=True).splitlines()
    assert lines[0] == "epoch,loss,error,accuracy,test_loss,test_error,test_accuracy"
    assert lines[3] == "2," + ",".join(repr(want[k][2]) for k in ("loss", "error", "accuracy", "test_loss",
                                                                   "test_error", "test_accuracy"))


def test_a_run_without_a_split_has_no_test_curve(client, model):
    run = client.get("/api/runs/1").get_json()
    assert run["history"]["test_loss"] is None and run["history"]["loss"] is not None
    assert client.get("/api/runs/2").status_code == 404
    assert client.get("/api/runs/1.csv").get_data(as_text=True).splitlines()[0] == "epoch,loss,error,accuracy"
