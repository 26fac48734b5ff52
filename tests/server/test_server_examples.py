"""The solo page's "add to training set": ``configure`` with ``examples: true`` trains on the stored drawings."""
from __future__ import annotations

import numpy as np
import pytest
from server_cases import LETTER_A, names, only

from app import frames, schema
from engine import presets

LETTER_B = [1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 1, 1, 0, 0]
DRAWN = [("A", LETTER_A), ("B", LETTER_B)]


@pytest.fixture
def drawn(client):
    """Two drawings stored through POST /api/examples, as the solo page's add buttons store them."""
    for label, x in DRAWN:
        assert client.post("/api/examples", json={"dataset": "letters", "label": label, "input": x}).status_code == 201
    client.post("/api/examples", json={"dataset": "moons", "label": "1", "input": [0.5, -0.25]})  # another dataset
    return DRAWN


def trained_one_epoch(config, rows):
    """The engine's own answer: the preset plus ``rows`` in the training set, one epoch."""
    setup = frames.with_examples(presets.build(config), rows)
    setup.trainer.run(1)
    return setup


@pytest.mark.parametrize("examples, n", [(True, 5), (False, 3)])
def test_configure_with_examples_trains_on_the_stored_drawings(sio, drawn, examples, n):
    ack = sio.call("configure", {"preset": "letters", "examples": examples})
    network = only(sio.received(), "network")
    assert ack["ok"] is True and ack["config"]["examples"] is examples
    assert network["dataset"]["n_samples"] == n and len(network["dataset"]["X"]) == n
    if examples:
        assert network["dataset"]["X"][3:] == [[float(v) for v in x] for _, x in drawn]
        assert network["dataset"]["Y"][3:] == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    sio.call("step", {"unit": "epoch"})
    snapshot = [p for name, p in sio.received() if name == "snapshot"][-1]
    assert snapshot["samples"] == list(range(n)) and len(snapshot["outputs"]) == n
    want = trained_one_epoch({"preset": "letters"}, drawn if examples else [])
    assert snapshot["weights"] == [w.tolist() for w in want.net.weights]


def test_examples_false_is_the_preset_exactly(sio, drawn):
    sio.call("configure", {"preset": "letters"})
    network = only(sio.received(), "network")
    assert network["config"]["examples"] is False
    assert network["dataset"]["n_samples"] == 3


def test_reset_reads_the_stored_drawings_again(client, sio, drawn):
    sio.call("configure", {"preset": "letters", "examples": True})
    client.post("/api/examples", json={"dataset": "letters", "label": "C", "input": [0.0] * 29 + [1.0]})
    sio.received()
    sio.call("configure", {"preset": "letters", "examples": True})
    assert only(sio.received(), "network")["dataset"]["n_samples"] == 6


def test_examples_on_a_two_input_dataset_change_nothing(sio, drawn):
    sio.call("configure", {"preset": "binary-2-5-5-1", "examples": True})
    assert only(sio.received(), "network")["dataset"]["n_samples"] == 100


def test_the_mistake_lab_companion_trains_on_the_same_set(sio, drawn):
    sio.call("configure", {"preset": "letters", "examples": True, "variant": "flipped-sign", "compare": True})
    sio.received()
    sio.call("step", {"unit": "epoch"})
    snapshot = [p for name, p in sio.received() if name == "snapshot"][-1]
    assert len(snapshot["companion"]["outputs"]) == 5


@pytest.mark.parametrize("value", ["yes", 1, 0, None, [True], {"on": True}])
def test_a_non_boolean_examples_is_refused_naming_the_field(sio, value):
    sio.call("configure", {"preset": "letters"})
    sio.received()
    ack = sio.call("configure", {"preset": "letters", "examples": value})
    assert ack["ok"] is False
    assert ack["error"]["field"] == "examples"
    assert ack["error"]["message"].startswith(f"Train on my drawings (examples): {value!r} is not true or false")
    got = sio.received()
    assert names(got) == ["error"]  # the session is unchanged: no new network


def test_the_app_checks_examples_and_the_engine_builds_the_dataset_alone():
    setup = schema.build({"preset": "letters", "examples": True})
    assert setup.config["examples"] is True and setup.dataset.n_samples == 3
    assert np.array_equal(setup.trainer.X, setup.dataset.X)
