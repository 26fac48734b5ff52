"""A prediction says when it is not a clear answer: a tie is no answer, a low or close top output is unsure."""
from __future__ import annotations

import numpy as np
import pytest

from app.wire import encode
from engine import Network


@pytest.mark.parametrize("outputs, doubt", [
    ([0.98, 0.01, 0.02], None),
    ([0.77, 0.22, 0.01], None),
    ([0.46, 0.30, 0.10], "not sure: no output is above 0.7 (the highest, A, is 0.46)"),
    ([0.90, 0.65, 0.10], "not sure: A 0.90 and B 0.65 are close"),
    ([0.0, 0.0, 0.0], "no answer: the outputs tie at 0.00"),
    ([0.2, 0.9, 0.9], "no answer: the outputs tie at 0.90"),
    # both sides of each threshold (SURE_ABOVE 0.7, SURE_MARGIN 0.3)
    ([0.70, 0.10, 0.05], "not sure: no output is above 0.7 (the highest, A, is 0.70)"),
    ([0.71, 0.10, 0.05], None),
    ([0.90, 0.61, 0.05], "not sure: A 0.90 and B 0.61 are close"),
    ([0.90, 0.59, 0.05], None),
])
def test_doubt_in_plain_words(outputs, doubt):
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
    assert out["label"] is None and out["doubt"] == "no answer: the outputs tie at 0.00"


def test_predict_over_the_socket_carries_the_doubt(sio):
    sio.call("configure", {"preset": "letters"})
    ack = sio.call("predict", {"input": [1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 1, 1, 0,
                                         1, 0, 0, 1, 0]})
    assert ack["ok"] is True
    assert ack["doubt"] == encode.doubt(np.array(ack["outputs"]), ["A", "B", "C"])
    assert ack["doubt"].startswith("not sure")
