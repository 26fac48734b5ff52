"""The Trainer: what an epoch is in each batch mode, schedules, momentum, history and divergence."""
from __future__ import annotations

import numpy as np
import pytest

import engine
from engine import Network, Trainer, fastpath, presets


def make_net(bias=True, reduction="mean", **kw):
    return Network([3, 4, 2], bias=bias, reduction=reduction, init="xavier", seed=5, **kw)


def manual_epoch(net, X, Y, batches, eta):
    """The textbook loop: for each batch, W ← W − η ∂C/∂W with the engine's own gradients."""
    for idx in batches:
        g = net.gradients(X[idx], Y[idx])
        for W, gw in zip(net.weights, g.weights, strict=True):
            W -= eta * gw
        for b, gb in zip(net.biases, g.biases, strict=True):
            b -= eta * gb


def assert_same_params(a, b):
    for p, q in zip(a.weights + a.biases, b.weights + b.biases, strict=True):
        np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize("batch, batches", [
    ("full", [[0, 1, 2, 3, 4]]),
    (2, [[0, 1], [2, 3], [4]]),
    ("sample", [[0], [1], [2], [3], [4]]),
])
def test_an_epoch_is_one_pass_over_the_batches_in_order(batch, batches):
    X, Y = np.random.default_rng(1).normal(size=(5, 3)), np.random.default_rng(2).uniform(size=(5, 2))
    net, ref = make_net(), make_net()
    t = Trainer(net, X, Y, eta=0.3, batch=batch)
    t.run(2)
    for _ in range(2):
        manual_epoch(ref, X, Y, [np.array(i) for i in batches], 0.3)
    for p, q in zip(net.weights + net.biases, ref.weights + ref.biases, strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-13, atol=1e-15)
    assert t.epoch == 2 and len(t.history["loss"]) == 2


CONFIGS = [
    dict(preset="xor-3-4-1"),
    dict(preset="letters"),
    dict(preset="binary-2-5-5-1"),
    dict(preset="binary-2-5-5-1", dataset="circles", batch=16, shuffle=True, reduction="mean", init="he",
         activation="tanh", lr=0.3),
    dict(preset="binary-2-5-5-1", loss="ce", output_activation="softmax", activation="relu", batch="sample",
         init="xavier", schedule="constant", lr=0.05),
    dict(preset="letters", loss="mse", output_activation="softmax", batch="full", lr=2.0),
    dict(preset="letters", output_activation="linear", reduction="mean", batch=2, lr=0.5),
]


@pytest.mark.parametrize("config", CONFIGS)
def test_the_fast_path_is_the_general_path_bit_for_bit(monkeypatch, config):
    epochs = 300 if config == {"preset": "xor-3-4-1"} else 40  # 300 crosses a history chunk
    fast = presets.build(config)
    assert fastpath.applies(fast.trainer)
    fast.trainer.run(epochs)
    monkeypatch.setattr(fastpath, "applies", lambda trainer: False)
    slow = presets.build(config)
    slow.trainer.run(epochs)
    assert_same_params(fast.net, slow.net)
    for k in ("loss", "error", "accuracy"):
        np.testing.assert_array_equal(fast.trainer.history[k], slow.trainer.history[k])


def test_running_in_pieces_is_running_at_once():
    a, b = presets.build({"preset": "xor-3-4-1"}), presets.build({"preset": "xor-3-4-1"})
    a.trainer.run(1000)
    for n in (1, 255, 256, 7, 481):
        b.trainer.run(n)
    assert_same_params(a.net, b.net)
    np.testing.assert_array_equal(a.trainer.history["loss"], b.trainer.history["loss"])


def test_history_epoch_0_is_the_untrained_network():
    s = presets.build({"preset": "xor-positive-init"})
    X, Y = s.trainer.X, s.trainer.Y
    before_loss, before_out = s.net.loss(X, Y), s.net.predict(X)
    s.trainer.run(3)
    h = s.trainer.history
    assert h["loss"][0] == before_loss
    assert h["error"][0] == np.abs(Y - before_out).mean()
    assert h["accuracy"][0] == 0.5  # all four outputs start above 0.5
    assert all(len(h[k]) == 3 for k in ("loss", "error", "accuracy"))
    assert h["test_loss"] is h["test_error"] is h["test_accuracy"] is None  # no test set


def test_shuffle_is_reproducible_from_its_seed():
    def run(seed):
        s = presets.build({"preset": "binary-2-5-5-1", "batch": 10, "shuffle": True, "seed": seed})
        s.trainer.run(5)
        return s.net.weights[0]

    np.testing.assert_array_equal(run(3), run(3))
    t1 = Trainer(make_net(), np.eye(3)[[0, 1, 2, 0]], np.eye(2)[[0, 1, 1, 0]], batch=1, shuffle=True, shuffle_seed=1)
    t2 = Trainer(make_net(), np.eye(3)[[0, 1, 2, 0]], np.eye(2)[[0, 1, 1, 0]], batch=1, shuffle=True, shuffle_seed=2)
    t1.run(4)
    t2.run(4)
    assert not np.array_equal(t1.net.weights[0], t2.net.weights[0])


def test_momentum_keeps_a_velocity():
    X, Y = np.eye(3), np.eye(3)[:, :2]
    net, ref = make_net(), make_net()
    Trainer(net, X, Y, eta=0.5, momentum=0.9).run(3)
    v = [np.zeros_like(w) for w in ref.weights + ref.biases]
    for _ in range(3):
        g = ref.gradients(X, Y)
        for i, (p, gp) in enumerate(zip(ref.weights + ref.biases, g.weights + g.biases, strict=True)):
            v[i] = 0.9 * v[i] - 0.5 * gp
            p += v[i]
    for p, q in zip(net.weights + net.biases, ref.weights + ref.biases, strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-13, atol=1e-15)


def test_the_inverse_schedule_divides_eta_by_the_epoch_number():
    X, Y = np.eye(3), np.eye(3)[:, :2]
    net, ref = make_net(), make_net()
    t = Trainer(net, X, Y, eta=0.6, schedule="inverse")
    assert [t.eta_at(e) for e in range(3)] == [0.6, 0.3, 0.6 / 3]
    t.run(3)
    for e in range(3):
        manual_epoch(ref, X, Y, [np.arange(3)], 0.6 / (e + 1))
    assert_same_params(net, ref)


def test_divergence_stops_on_finite_weights_with_the_epoch_and_a_reason():
    s = presets.build({"preset": "xor-3-4-1", "activation": "linear", "bias": True, "lr": 1.0})
    s.trainer.set_eta(100.0)  # the largest η the schema allows
    ran = s.trainer.run(1000)
    d = s.trainer.diverged
    assert d is not None and ran < 1000
    assert d.epoch == s.trainer.epoch == ran
    assert "NaN or infinite" in d.reason or "overflow" in d.reason
    assert all(np.isfinite(w).all() for w in s.net.weights + s.net.biases)
    assert len(s.trainer.history["loss"]) == ran and np.isfinite(s.trainer.history["loss"]).all()
    assert s.trainer.run(10) == 0  # a diverged trainer stays stopped


@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_step_sample_accumulates_to_the_full_batch_update(reduction):
    X, Y = np.random.default_rng(4).normal(size=(5, 3)), np.random.default_rng(5).uniform(size=(5, 2))
    stepped, whole = Trainer(make_net(reduction=reduction), X, Y, eta=0.2), \
        Trainer(make_net(reduction=reduction), X, Y, eta=0.2)
    traces = [stepped.step_sample() for _ in range(5)]
    whole.run(1)
    assert [t.applied for t in traces] == [False] * 4 + [True]
    assert [t.index for t in traces] == [0, 1, 2, 3, 4] and stepped.epoch == 1
    np.testing.assert_array_equal(traces[0].weights_before[0], traces[4].weights_before[0])
    for p, q in zip(stepped.net.weights + stepped.net.biases, whole.net.weights + whole.net.biases, strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(stepped.history["loss"], whole.history["loss"], rtol=1e-12)
    assert sum(t.loss for t in traces) == pytest.approx(whole.history["loss"][0], rel=1e-12)


def test_state_is_the_full_picture_at_the_current_weights():
    s = presets.build({"preset": "binary-2-5-5-1"})
    s.trainer.run(4)
    st = s.trainer.state()
    g = s.net.gradients(s.trainer.X, s.trainer.Y)
    assert st.epoch == 4
    for a, b in zip(st.nabla_w + st.deltas, g.weights + g.deltas, strict=True):
        np.testing.assert_array_equal(a, b)
    assert st.loss == s.net.loss(s.trainer.X, s.trainer.Y)
    assert len(st.activations) == 4 and len(st.zs) == 3


@pytest.mark.parametrize("call, message", [
    (lambda t: t.run(-1), "epochs: -1 is not a whole number"),
    (lambda t: t.run(True), "epochs: True is not a whole number"),
    (lambda t: t.set_eta(float("nan")), "eta: nan must be finite"),
    (lambda t: t.set_eta(1000.0), "eta: 1000.0 must be finite and between 0 and 100"),
    (lambda t: Trainer(t.net, t.X, t.Y, batch=0), "batch: 0 is not 'full', 'sample'"),
    (lambda t: Trainer(t.net, t.X, t.Y, momentum=1.0), "momentum: 1.0 must be finite and between 0 and 0.99"),
    (lambda t: Trainer(t.net, t.X, t.Y, schedule="step"), "schedule: 'step' is not one of"),
])
def test_bad_trainer_arguments_name_the_field(call, message):
    t = Trainer(make_net(), np.eye(3), np.eye(3)[:, :2])
    with pytest.raises(ValueError, match="^" + message):
        call(t)
    assert t.epoch == 0


def test_gradcheck_is_exported():
    assert callable(engine.gradcheck)


@pytest.mark.parametrize("batch", ["full", 2, "sample"])
def test_the_history_of_epoch_e_is_the_network_at_the_start_of_epoch_e(batch):
    """One loss per epoch on every view: the curve's figure of epoch e is the snapshot's (``state()``) at epoch e,
    whatever the batch; the per-sample passes' own figures are ``running_loss``/``running_error``."""
    s = presets.build({"preset": "letters", "batch": batch})
    states = []
    for _ in range(5):
        states.append(s.trainer.state())
        s.trainer.run(1)
    h = s.trainer.history
    assert h["loss"].tolist() == [st.loss for st in states]
    assert h["error"].tolist() == [st.error for st in states]
    assert h["accuracy"].tolist() == [st.accuracy for st in states]
    if batch == "full":
        assert h["running_loss"].tolist() == h["loss"].tolist()
    else:  # the passes saw weights that changed within the epoch: the seed scripts' running figure differs
        assert h["running_loss"][0] != h["loss"][0]


def test_the_letters_presets_epoch_0_loss_is_the_untrained_networks():
    s = presets.build({"preset": "letters"})
    untrained = s.trainer.state().loss
    s.trainer.run(3)
    assert s.trainer.history["loss"][0] == untrained == pytest.approx(1.4087645814624394, rel=1e-12)
    assert s.trainer.history["running_loss"][0] == pytest.approx(1.4150724159194141, rel=1e-12)
