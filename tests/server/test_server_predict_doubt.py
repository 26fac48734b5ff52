"""A prediction says when it is not a clear answer: a tie is no answer, a low or close top output is unsure."""
from __future__ import annotations

import numpy as np
import pytest

from app.wire import encode
from engine import Network


def low(top, label="A", second=None, runner_up="B"):
    return {"reason": "low", "labels": [label, runner_up], "values": [top, second], "threshold": 0.7}


@pytest.mark.parametrize("outputs, doubt", [
    ([0.98, 0.01, 0.02], None),
    ([0.77, 0.22, 0.01], None),
    ([0.46, 0.30, 0.10], low(0.46, second=0.30)),
    ([0.90, 0.65, 0.10], {"reason": "close", "labels": ["A", "B"], "values": [0.90, 0.65], "threshold": 0.3}),
    ([0.0, 0.0, 0.0], {"reason": "tie", "labels": ["A", "B"], "values": [0.0, 0.0], "threshold": None}),
    ([0.2, 0.9, 0.9], {"reason": "tie", "labels": ["B", "C"], "values": [0.9, 0.9], "threshold": None}),
    # both sides of each threshold (SURE_ABOVE 0.7, SURE_MARGIN 0.3)
    ([0.70, 0.10, 0.05], low(0.70, second=0.10)),
    ([0.71, 0.10, 0.05], None),
    ([0.90, 0.61, 0.05], {"reason": "close", "labels": ["A", "B"], "values": [0.90, 0.61], "threshold": 0.3}),
    ([0.90, 0.59, 0.05], None),
    ([0.1, 0.3, 0.2], low(0.3, "B", 0.2, "C")),  # the top and the runner-up, whatever their places
])
def test_doubt_is_sent_as_data_the_reason_the_labels_the_values_and_the_threshold(outputs, doubt):
    assert encode.doubt(outputs, ["A", "B", "C"]) == doubt


def test_the_rule_in_words_names_both_thresholds():
    rule = encode.doubt_rule()
    assert (rule["sure_above"], rule["sure_margin"]) == (encode.SURE_ABOVE, encode.SURE_MARGIN)
    assert rule["words"] == "“Not sure” means the top output is 0.7 or less, or less than 0.3 above the runner-up."


def test_a_dead_relu_network_ties_and_gives_no_label():
    net = Network([4, 3, 3], activation="relu", bias=False, init="normal", seed=1)
    for w in net.weights:
        w[:] = -abs(w)  # every hidden unit dead on a positive input: all outputs 0
    out = encode.predict(net, [1.0, 1.0, 1.0, 1.0], ["A", "B", "C"])
    assert out["outputs"] == [0.0, 0.0, 0.0]
    assert out["label"] is None and out["doubt"] == {"reason": "tie", "labels": ["A", "B"], "values": [0.0, 0.0],
                                                      "threshold": None}


def test_predict_over_the_socket_carries_the_doubt(sio):
    sio.call("configure", {"preset": "letters"})
    ack = sio.call("predict", {"input": [1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 1, 1, 0,
                                         1, 0, 0, 1, 0]})
    assert ack["ok"] is True
    assert ack["doubt"] == encode.doubt(np.array(ack["outputs"]), ["A", "B", "C"])
    assert ack["doubt"]["reason"] in ("low", "close")
