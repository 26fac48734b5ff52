"""Each preset reproduces its seed script: same start, same updates, same logged numbers, same end.

The reference loops are in ``tests/support/seeds.py`` (``seed_loops.py`` re-exports them).  Seeds 000–002 are
the engine's arithmetic operation for operation, so their weights and logged errors are compared bit for bit;
seed 003 computes δᴸ as σ′(a)·∂C/∂a (not a − y) in column layout, so it is compared to 1e-9 relative.
"""
from __future__ import annotations

import numpy as np
import pytest
import seed_loops

from engine import presets

RTOL = 1e-9


def train(preset, epochs, **overrides):
    s = presets.build({"preset": preset, **overrides})
    s.trainer.run(epochs)
    return s


def test_xor_trask_is_seed_000():
    epochs = 10_000  # the script runs 60,000; 10,000 keeps the suite quick and shows every printed line's rule
    weights, logged, last_outputs = seed_loops.seed_000(epochs)
    s = train("xor-3-4-1", epochs)
    for w, ref in zip(s.net.weights, weights, strict=True):
        np.testing.assert_array_equal(w, ref)
    error = s.trainer.history["error"]
    assert len(error) == epochs
    for epoch, value in logged.items():
        assert error[epoch] == value  # the printed "Error: ..." of that epoch, exactly


def test_xor_positive_init_is_seed_001():
    weights, logged, last_outputs = seed_loops.seed_001(1000)
    s = train("xor-positive-init", 1000)
    for w, ref in zip(s.net.weights, weights, strict=True):
        np.testing.assert_array_equal(w, ref)
    np.testing.assert_array_equal(s.trainer.history["error"], logged)


@pytest.mark.parametrize("preset, other_backward", [("letters", False), ("letters-bce", True)])
def test_letters_are_seed_002_per_sample(preset, other_backward):
    s = train(preset, 100)
    weights, logged, test_outputs = seed_loops.seed_002(s.config["seed"], 100, other_backward)
    for w, ref in zip(s.net.weights, weights, strict=True):
        np.testing.assert_array_equal(w, ref)
    np.testing.assert_array_equal(s.trainer.history["running_error"], logged)  # printed from its per-sample passes
    # the script's test() runs one row at a time, the engine all three at once: equal to rounding
    np.testing.assert_allclose(s.net.predict(s.dataset.X), test_outputs, rtol=RTOL)
    assert s.dataset.labels[int(np.argmax(test_outputs[0]))] == "A"


def test_binary_2_5_5_1_is_seed_003_with_the_bias_gradient_summed():
    s = train("binary-2-5-5-1", 1000)
    X, Y = s.dataset.X, s.dataset.Y
    weights, biases, costs, printed = seed_loops.seed_003(s.config["seed"], X.T, Y.T, 1000)
    for w, ref in zip(s.net.weights, weights, strict=True):
        np.testing.assert_allclose(w, ref.T, rtol=RTOL, atol=0)
    for b, ref in zip(s.net.biases, biases, strict=True):
        np.testing.assert_allclose(b, ref[:, 0], rtol=RTOL, atol=0)
    n = X.shape[0]
    np.testing.assert_allclose(s.trainer.history["loss"] / n, costs, rtol=RTOL)  # the script's cost is the mean
    assert sorted(printed) == list(range(100, 1001, 100))
    again = train("binary-2-5-5-1", 99)  # the script prints a3 of epoch 100 (1-based), before its update
    np.testing.assert_allclose(again.net.predict(X), printed[100].T, rtol=RTOL)


def test_binary_2_5_5_1_starts_from_seed_003s_rand_draws():
    s = presets.build({"preset": "binary-2-5-5-1"})
    rs = np.random.RandomState(s.config["seed"])
    for l, (n_out, n_in) in enumerate([(5, 2), (5, 5), (1, 5)]):
        np.testing.assert_array_equal(s.net.weights[l], rs.rand(n_out, n_in).T)
        np.testing.assert_array_equal(s.net.biases[l], rs.rand(n_out, 1)[:, 0])
