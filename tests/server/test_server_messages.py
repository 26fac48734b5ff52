"""messages: engine state → JSON with no NaN, capped per-sample rows, a down-sampled curve."""
from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest

from app import validate
from app.wire import encode
from engine import presets


@pytest.mark.parametrize("value,expected", [
    (np.array([1.0, np.nan, np.inf, -np.inf]), [1.0, None, None, None]),
    (np.array([[1, 2], [3, 4]]), [[1, 2], [3, 4]]),
    (float("nan"), None),
    (np.float64(2.5), 2.5),
    (np.int64(3), 3),
    (np.bool_(True), True),
    ({"a": (np.float32(np.inf), [np.nan])}, {"a": [None, [None]]}),
])
def test_jsonable_turns_non_finite_numbers_into_null(value, expected):
    out = encode.jsonable(value)
    assert out == expected
    json.dumps(out, allow_nan=False)


@pytest.mark.parametrize("n,points,expected_len", [(0, 500, 0), (3, 500, 3), (500, 500, 500), (10_000, 500, 500)])
def test_downsample_keeps_first_and_last(n, points, expected_len):
    idx = encode.downsample(n, points)
    assert len(idx) == expected_len
    if n:
        assert idx[0] == 0 and idx[-1] == n - 1 and all(np.diff(idx) > 0)


def test_curve_of_a_long_history_has_at_most_500_points():
    h = {"loss": np.arange(10_000.0), "error": np.zeros(10_000), "accuracy": np.ones(10_000)}
    h["loss"][5] = np.nan
    c = encode.curve(h)
    assert len(c["epochs"]) == len(c["loss"]) == 500
    assert c["epochs"][-1] == 9999 and c["loss"][-1] == 9999.0
    json.dumps(c, allow_nan=False)


def test_a_big_dataset_sends_the_first_64_samples():
    setup = presets.build({"preset": "binary-2-5-5-1"})
    payload = encode.epoch_state(setup.trainer.state(), setup.dataset.n_samples)
    assert payload["samples"] == list(range(64))
    assert [len(a) for a in payload["activations"]] == [64, 64, 64, 64]
    assert len(payload["outputs"]) == 64 and len(payload["deltas"][0]) == 64
    assert [np.shape(w) for w in payload["weights"]] == [(2, 5), (5, 5), (5, 1)]


def test_boundary_rows_go_from_ymin_upward():
    setup = presets.build({"preset": "binary-2-5-5-1"})
    b = encode.boundary(setup.net, (-1.0, 1.0, -2.0, 2.0), n=5)
    expected = setup.net.predict([[1.0, -2.0]])[0, 0]  # bottom-right corner
    assert b["n"] == 5 and b["values"][0][4] == expected


def test_predict_names_the_label():
    setup = presets.build({"preset": "xor-3-4-1"})
    out = encode.predict(setup.net, [0.0, 1.0, 1.0], setup.dataset.labels)
    assert out["label"] == ("1" if out["outputs"][0] > 0.5 else "0")
    assert [len(a) for a in out["activations"]] == [3, 4, 1]


@pytest.mark.parametrize("call,field", [
    (lambda: validate.number("lr", math.nan, 0, 1), "lr"),
    (lambda: validate.integer("epoch", 1.0, 0, 9), "epoch"),
    (lambda: validate.integer("epoch", True, 0, 9), "epoch"),
    (lambda: validate.choice("unit", None, ("epoch",)), "unit"),
    (lambda: validate.number_list("input", [1, 2], 3), "input"),
    (lambda: validate.matrix("w", [[1.0]], 2, 1), "w"),
    (lambda: validate.name("name", "a/b"), "name"),
    (lambda: validate.name("name", " "), "name"),
    (lambda: validate.speed("speed", "slow", 1, 2), "speed"),
    (lambda: validate.payload({"a": 1}, ("b",)), "a"),
    (lambda: validate.payload({}, ("b",), required=("b",)), "b"),
])
def test_validators_name_the_field(call, field):
    with pytest.raises(validate.Invalid) as info:
        call()
    assert info.value.field == field and re.match(rf"^([^:]+ \()?{re.escape(field)}\)?: ", str(info.value))


def test_names_are_trimmed_and_kept():
    assert validate.name("name", "  my model_1.v2 ") == "my model_1.v2"
