"""The mistake lab under gradcheck: each wrong rule is flagged, each right one passes, and the verdicts
say which is which in words."""
from __future__ import annotations

import json

import numpy as np
import pytest

import engine
from engine import VARIANTS, presets
from engine.gradcheck import compare_step


@pytest.fixture
def moons_net():
    """2-5-5-1 sigmoid with biases and BCE on 20 points, from a spread-out start."""
    s = presets.build({"preset": "binary-2-5-5-1", "init": "xavier", "reduction": "mean"})
    return s.net, s.trainer.X[:20], s.trainer.Y[:20]


def test_the_correct_rule_passes(moons_net):
    result = engine.gradcheck(*moons_net)
    assert result.ok and all(c.ok for c in result.layers)
    assert result.max_error < 1e-6
    assert result.verdict.startswith("Backprop matches central differences in every layer")


@pytest.mark.parametrize("name", ["flipped-sign", "sigma-prime-of-activation", "output-sigma-prime-dropped"])
def test_wrong_gradient_rules_are_flagged(moons_net, name):
    v = VARIANTS[name]
    result = engine.gradcheck(*moons_net, variant=v)
    assert v.wrong_gradient
    assert not result.ok
    assert result.verdict.startswith(f"“{v.title}” is not the gradient of this cost")
    assert v.explanation in result.verdict


def test_flipped_sign_is_exactly_the_negative_gradient(moons_net):
    result = engine.gradcheck(*moons_net, variant=VARIANTS["flipped-sign"])
    for c in result.layers:
        assert c.weights == pytest.approx(2.0, abs=1e-5)  # |−g − g| / |g|


def test_bias_not_summed_fails_on_the_shape_of_the_bias_gradient(moons_net):
    result = engine.gradcheck(*moons_net, variant=VARIANTS["bias-not-summed"])
    assert not result.ok
    for c in result.layers:
        assert not c.ok and c.biases is None
        assert c.weights < 1e-6  # the weight gradient is still right
        assert "the bias gradient has shape (20," in c.reason and "it was not summed over the batch" in c.reason
    assert "layer 1: the bias gradient has shape (20, 5) but the bias has shape (5,)" in result.verdict


def test_dropping_the_output_sigma_prime_is_the_bce_gradient():
    s = presets.build({"preset": "letters", "variant": "output-sigma-prime-dropped"})
    result = engine.gradcheck(s.net, s.trainer.X, s.trainer.Y, variant=s.variant)
    assert not result.ok  # against the MSE the network reports
    assert result.extra["bce_ok"] is True
    assert result.verdict.endswith("Checked against binary cross-entropy instead, the same step matches in every "
                                   "layer.")


@pytest.mark.parametrize("name, problem", [("one-over-epoch", "the step size"), ("all-positive-init", "the start")])
def test_right_gradient_rules_pass_and_the_verdict_blames_the_step_or_the_start(moons_net, name, problem):
    v = VARIANTS[name]
    result = engine.gradcheck(*moons_net, variant=v)
    assert not v.wrong_gradient
    assert result.ok
    assert f"what goes wrong with “{v.title}” is {problem}, not the gradient." in result.verdict


def test_gradcheck_leaves_the_weights_bit_for_bit(moons_net):
    net, X, Y = moons_net
    before = [w.copy() for w in net.weights] + [b.copy() for b in net.biases]
    engine.gradcheck(net, X, Y)
    for a, b in zip(before, net.weights + net.biases, strict=True):
        np.testing.assert_array_equal(a, b)


def test_large_layers_are_checked_on_a_sample_of_entries():
    rng = np.random.default_rng(0)
    net = engine.Network([30, 40, 3], seed=1)
    result = engine.gradcheck(net, rng.uniform(size=(4, 30)), rng.uniform(size=(4, 3)), max_entries=50)
    assert result.ok


def test_result_as_dict_is_the_protocol_shape(moons_net):
    d = engine.gradcheck(*moons_net, variant=VARIANTS["bias-not-summed"]).as_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["ok"] is False and d["variant"]["name"] == "bias-not-summed"
    assert d["layers"][0]["biases"] is None and "reason" in d["layers"][0]
    assert set(d["layers"][0]) == {"layer", "weights", "biases", "ok", "reason"}


@pytest.mark.parametrize("eps", [0.0, 0.5, 1])
def test_eps_must_be_small_and_positive(moons_net, eps):
    with pytest.raises(ValueError, match="^eps: "):
        engine.gradcheck(*moons_net, eps=eps)


def test_bias_not_summed_still_fails_once_the_bias_has_grown_one_row_per_sample(moons_net):
    """Trained a few epochs the bias has the shape of its (per-sample) gradient; it is still no bias."""
    net, X, Y = moons_net
    t = engine.Trainer(net, X, Y, eta=0.1, batch="full", variant=VARIANTS["bias-not-summed"])
    t.run(3)
    assert net.biases[0].shape == (20, 5)
    result = engine.gradcheck(net, X, Y, variant=VARIANTS["bias-not-summed"])
    assert not result.ok
    assert "the bias has grown to one row per training sample (shape (20, 5))" in result.verdict
    assert "true gradient" not in result.verdict


@pytest.mark.parametrize("name, cosine, size_ratio", [
    ("correct", 1.0, 1.0),
    ("flipped-sign", -1.0, 1.0),
    ("all-positive-init", 1.0, 1.0),
    ("one-over-epoch", 1.0, 0.25),  # with η scaled by 1/(epoch + 1) at epoch 3
])
def test_the_step_comparison_measures_direction_and_size_against_the_true_gradient(moons_net, name, cosine,
                                                                                   size_ratio):
    scale = 0.25 if name == "one-over-epoch" else 1.0
    c = compare_step(*moons_net, variant=VARIANTS[name], eta_scale=scale)
    assert c.cosine == pytest.approx(cosine, abs=1e-12)
    assert c.size_ratio == pytest.approx(size_ratio, rel=1e-12)
    assert c.angle == pytest.approx(0.0 if cosine > 0 else 180.0, abs=1e-4)
    assert c.parts == "weights and biases"


def test_a_wrong_sigma_prime_points_away_from_the_gradient_but_still_downhill(moons_net):
    c = compare_step(*moons_net, variant=VARIANTS["sigma-prime-of-activation"])
    assert 0.0 < c.cosine < 0.9999 and 0.0 < c.angle < 90.0


def test_bias_not_summed_is_compared_on_the_weights_and_says_why(moons_net):
    c = compare_step(*moons_net, variant=VARIANTS["bias-not-summed"])
    assert c.parts == "weights; the biases are per sample"
    assert c.cosine == pytest.approx(1.0, abs=1e-12)  # its weight step is the true one
