"""The snapshot's ``next``: the step the trainer really takes next, in every mode, sent so the UPDATE card only
prints it; and the mistake lab's companion ``step``: how far the variant's step points from the true gradient."""
from __future__ import annotations

import pytest

MODES = {
    "per sample (letters)": {"preset": "letters"},
    "mini-batch": {"preset": "letters", "batch": 2, "bias": True},
    "shuffled per sample": {"preset": "letters", "shuffle": True},
    "full batch": {"preset": "letters", "batch": "full"},
    "momentum 0.9": {"preset": "letters", "momentum": 0.9},
    "momentum, full batch, biases": {"preset": "letters", "momentum": 0.5, "batch": "full", "bias": True},
    "1/epoch schedule": {"preset": "letters", "schedule": "inverse"},
    "2-D, 100 samples per sample": {"preset": "binary-2-5-5-1", "batch": "sample"},
    **{f"lab: {v}": {"preset": "letters", "variant": v, "compare": True,
                     **({"bias": True, "batch": "full"} if v == "bias-not-summed" else {})}
       for v in ("flipped-sign", "sigma-prime-of-activation", "output-sigma-prime-dropped", "bias-not-summed",
                 "one-over-epoch", "all-positive-init")},
    **{f"alone: {v}": {"preset": "letters", "variant": v, "batch": "full", "bias": True}
       for v in ("flipped-sign", "bias-not-summed", "one-over-epoch")},
}


def last(received, name):
    return [p for n, p in received if n == name][-1]


def call(sio, event, payload):
    """``event`` with the snapshots before it acknowledged, as the page does once it has drawn them."""
    sio.ack_snapshots()
    return sio.call(event, payload)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("unit", ["epoch", "sample"])
def test_the_next_weights_on_the_wire_are_the_weights_after_one_more_epoch(sio, mode, unit):
    assert sio.call("configure", MODES[mode])["ok"] is True
    call(sio, "step", {"unit": "epoch"})
    call(sio, "step", {"unit": unit})  # "sample" leaves an epoch half done: next finishes it
    before = last(sio.received(), "snapshot")
    nxt = before["next"]
    assert nxt["epoch"] == before["epoch"] and nxt["eta"] == before["eta"]
    call(sio, "step", {"unit": "epoch"})
    after = last(sio.received(), "snapshot")
    assert after["epoch"] == before["epoch"] + 1
    assert nxt["weights"] == after["weights"]
    assert nxt["biases"] == after["biases"]
    assert nxt["finite"] is True


@pytest.mark.parametrize("config, steps, batch_size", [
    ({"preset": "letters"}, 3, 1),
    ({"preset": "letters", "batch": 2}, 2, 2),
    ({"preset": "letters", "batch": "full"}, 1, 3),
])
def test_next_says_how_many_steps_the_epoch_makes_and_each_one(sio, config, steps, batch_size):
    sio.call("configure", config)
    snap = last(sio.received(), "snapshot")
    nxt = snap["next"]
    assert (nxt["steps"], nxt["batch_size"], nxt["order"]) == (steps, batch_size, [0, 1, 2])
    assert len(nxt["step_weights"]) == steps
    w, moved = snap["weights"][1][2][1], nxt["weights"][1][2][1]
    assert w + sum(s[1][2][1] for s in nxt["step_weights"]) == pytest.approx(moved, rel=0, abs=1e-15)


def test_momentum_sends_the_velocity_before_and_after(sio):
    sio.call("configure", {"preset": "letters", "momentum": 0.9, "batch": "full"})
    call(sio, "step", {"unit": "epoch"})
    snap = last(sio.received(), "snapshot")
    nxt = snap["next"]
    assert nxt["momentum"] == 0.9
    w, g, v = snap["weights"][1][0][0], snap["gradients"]["weights"][1][0][0], nxt["velocity"]["weights"][1][0][0]
    assert nxt["velocity_after"]["weights"][1][0][0] == pytest.approx(0.9 * v - snap["eta"] * g, rel=1e-12)
    assert nxt["weights"][1][0][0] == pytest.approx(w + 0.9 * v - snap["eta"] * g, rel=1e-12)


def test_without_momentum_there_is_no_velocity(sio):
    sio.call("configure", {"preset": "letters"})
    nxt = last(sio.received(), "snapshot")["next"]
    assert nxt["momentum"] == 0.0 and nxt["velocity"] is None and nxt["velocity_after"] is None


def test_a_replayed_epoch_has_no_next_step(sio):
    sio.call("configure", {"preset": "letters"})
    for _ in range(3):
        call(sio, "step", {"unit": "epoch"})
    sio.received()
    call(sio, "seek", {"epoch": 1})
    snap = last(sio.received(), "snapshot")
    assert snap["replay"] is True and snap["next"] is None


@pytest.mark.parametrize("variant, cosine", [
    ("flipped-sign", -1.0),
    ("all-positive-init", 1.0),
    ("one-over-epoch", 1.0),
])
def test_the_companion_says_how_its_step_compares_with_the_true_gradient(sio, variant, cosine):
    sio.call("configure", {"preset": "letters", "variant": variant, "compare": True})
    step = last(sio.received(), "snapshot")["companion"]["step"]
    assert step["cosine"] == pytest.approx(cosine, abs=1e-12)
    assert step["parts"] == "weights"


def test_the_one_over_epoch_step_shrinks_like_one_over_the_epoch(sio):
    sio.call("configure", {"preset": "letters", "variant": "one-over-epoch", "compare": True})
    for _ in range(3):
        call(sio, "step", {"unit": "epoch"})
    step = last(sio.received(), "snapshot")["companion"]["step"]
    assert step["size_ratio"] == pytest.approx(1 / 4, rel=1e-12)


def test_bias_not_summed_fails_gradcheck_after_training_too(sio):
    sio.call("configure", {"preset": "letters", "variant": "bias-not-summed", "compare": True, "bias": True,
                           "batch": "full"})
    for _ in range(3):
        call(sio, "step", {"unit": "epoch"})
    ack = call(sio, "gradcheck", {})
    assert ack["passed"] is False
    assert "grown to one row per training sample" in ack["verdict"]
    assert "true gradient" not in ack["verdict"]


@pytest.mark.parametrize("config, schedule, eta", [
    ({"preset": "letters"}, "constant", 0.1),
    ({"preset": "letters", "schedule": "inverse"}, "inverse", 0.1 / 3),
    ({"preset": "letters", "variant": "one-over-epoch"}, "inverse", 0.1 / 3),  # the variant sets it
])
def test_next_names_the_schedule_and_the_eta_of_its_epoch(sio, config, schedule, eta):
    sio.call("configure", config)
    for _ in range(2):
        call(sio, "step", {"unit": "epoch"})
    nxt = last(sio.received(), "snapshot")["next"]
    assert nxt["schedule"] == schedule and nxt["eta"] == pytest.approx(eta, rel=1e-15)
