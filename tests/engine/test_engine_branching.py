"""A branch: a trainer restored to an exact state trains on as the original did, or differently when changed."""
from __future__ import annotations

import numpy as np
import pytest

from engine import presets
from engine.branching import capture, restore

# Each run exercises one piece of the state: the shuffle generator (mini-batches in a new order every epoch),
# the momentum velocity, the inverse schedule's η/(epoch + 1), a test split's history, the fast path.
SPIRAL = {"preset": "spiral", "n_points": 100}
RUNS = {
    "shuffled mini-batches with momentum": {**SPIRAL, "batch": 10, "shuffle": True, "momentum": 0.9, "lr": 0.3},
    "inverse schedule, per sample, shuffled": {**SPIRAL, "batch": "sample", "shuffle": True, "schedule": "inverse",
                                               "lr": 0.5},
    "full batch with a test split, L2": {**SPIRAL, "batch": "full", "test_fraction": 0.3, "regularization": "l2",
                                         "reg_rate": 0.01},
    "the letters, full batch (the fast path)": {"preset": "letters"},
}
FROM, AFTER = 20, 30


def run_with_state(config):
    """The original run: FROM epochs, its state captured, then AFTER more."""
    setup = presets.build(config)
    setup.trainer.run(FROM)
    state = capture(setup.trainer)
    setup.trainer.run(AFTER)
    return setup, state


def branch(config, state, original):
    setup = presets.build(config)
    restore(setup.trainer, state, original.trainer.history)
    return setup


def assert_same_history(a, b, upto=None):
    for key, values in a.items():
        if values is None:
            assert b[key] is None, key
        else:
            np.testing.assert_array_equal(values[:upto], b[key][:upto], err_msg=key)


@pytest.mark.parametrize("config", RUNS.values(), ids=RUNS.keys())
def test_a_branch_with_no_change_repeats_the_original_bit_for_bit(config):
    original, state = run_with_state(config)
    same = branch(config, state, original)

    assert same.trainer.epoch == FROM
    same.trainer.run(AFTER)

    assert same.trainer.epoch == original.trainer.epoch == FROM + AFTER
    assert_same_history(original.trainer.history, same.trainer.history)
    for mine, theirs in zip(same.net.weights + same.net.biases, original.net.weights + original.net.biases,
                            strict=True):
        np.testing.assert_array_equal(mine, theirs)


@pytest.mark.parametrize("config", RUNS.values(), ids=RUNS.keys())
def test_a_restored_trainer_is_exactly_the_captured_state(config):
    original, state = run_with_state(config)
    same = branch(config, state, original)
    again = capture(same.trainer)

    assert again.epoch == state.epoch and again.eta == state.eta
    assert again.rng_state == state.rng_state
    for mine, theirs in zip(again.weights + again.biases, state.weights + state.biases, strict=True):
        np.testing.assert_array_equal(mine, theirs)
    if state.velocity is None:
        assert again.velocity is None
    else:
        for mine, theirs in zip(again.velocity[0] + again.velocity[1], state.velocity[0] + state.velocity[1],
                                strict=True):
            np.testing.assert_array_equal(mine, theirs)
    assert len(same.trainer.history["loss"]) == FROM


@pytest.mark.parametrize("config", RUNS.values(), ids=RUNS.keys())
def test_a_branch_with_another_eta_shares_the_past_and_differs_from_the_branch_epoch_on(config):
    original, state = run_with_state(config)
    faster = branch({**config, "lr": 2 * presets.build(config).trainer.eta}, state, original)
    faster.trainer.run(AFTER)

    mine, theirs = faster.trainer.history["loss"], original.trainer.history["loss"]
    np.testing.assert_array_equal(mine[:FROM], theirs[:FROM])
    # epoch FROM's figures come from its forward passes (after its first updates, with mini-batches); from the
    # next epoch on every figure is of weights moved by the other η
    assert np.all(mine[FROM + 1:] != theirs[FROM + 1:])


def test_momentum_added_by_a_branch_starts_from_a_zero_velocity():
    config = {**SPIRAL, "batch": "full"}
    original, state = run_with_state(config)
    assert state.velocity is None
    heavy = branch({**config, "momentum": 0.5}, state, original)
    assert all(not v.any() for vs in heavy.trainer._velocity for v in vs)
    heavy.trainer.run(1)  # the first step is plain descent: v = −η∇C, as from epoch 0
    plain = branch(config, state, original)
    plain.trainer.run(1)
    for mine, theirs in zip(heavy.net.weights, plain.net.weights, strict=True):
        np.testing.assert_array_equal(mine, theirs)


def test_a_state_is_taken_between_epochs_only():
    setup = presets.build(SPIRAL)
    setup.trainer.step_sample()
    with pytest.raises(ValueError, match=r"^epoch: an epoch is half done sample by sample"):
        capture(setup.trainer)


def test_a_state_fits_only_a_network_of_its_shape():
    setup = presets.build(SPIRAL)
    state = capture(setup.trainer)
    other = presets.build({**SPIRAL, "layers": [3]})
    with pytest.raises(ValueError, match=r"^weights: the state's shapes"):
        restore(other.trainer, state)
