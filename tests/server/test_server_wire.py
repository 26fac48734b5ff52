"""The wire format's one home (app/wire): the class each output means, the boundary's meaning, the same gradient
names in trace and snapshot, and the one carry rule for the optional parts."""
from __future__ import annotations

import numpy as np
import pytest

from app import frames
from app.wire import parts
from engine.activations import ACTIVATIONS
from engine.inspect import predicted, target_class
from engine.losses import LOSSES, fits, per_sample


def configured(**config):
    setup, companion = frames.build({"preset": "letters", **config})
    return setup, companion


@pytest.mark.parametrize("outputs, Y, expected", [
    ([[0.9, 0.1, 0.0], [0.2, 0.2, 0.1], [0.1, 0.3, 0.6]], np.eye(3), [0, -1, 2]),  # a tie at the top: -1
    ([[0.7], [0.3], [0.5]], [[0.0], [1.0]], [1, 0, 0]),  # one output: above the targets' midpoint 0.5
    ([[0.1], [-0.1]], [[-1.0], [1.0]], [1, 0]),  # targets −1/1: the midpoint is 0
])
def test_predicted_is_the_one_class_rule(outputs, Y, expected):
    assert predicted(np.array(outputs), np.array(Y)).tolist() == expected


def test_every_snapshot_says_each_samples_class_as_the_accuracy_counts_it():
    setup, _ = configured(seed=2)
    setup.trainer.run(60)
    frame = frames.live(setup)
    said = predicted(np.array(frame["outputs"]), setup.trainer.Y)
    assert frame["classes"] == {"predicted": said.tolist(), "target": [0, 1, 2],
                                "correct": [bool(a == b) for a, b in zip(said, [0, 1, 2], strict=True)]}
    assert np.mean(frame["classes"]["correct"]) == frame["accuracy"]


def test_a_tie_is_no_class_and_never_correct():
    setup, _ = configured()
    for w in setup.net.weights:
        w[:] = 0.0
    frame = frames.live(setup)
    assert frame["classes"] == {"predicted": [None] * 3, "target": [0, 1, 2], "correct": [False] * 3}
    assert frame["accuracy"] == 0.0


def test_regression_has_no_classes_and_its_boundary_is_a_value():
    setup, _ = frames.build({"preset": "regression-bumps"})
    frame = frames.live(setup, boundary=True)
    assert frame["classes"] is None and frame["accuracy"] is None
    assert frame["boundary"]["meaning"] == {"kind": "value"} and "classes" not in frame["boundary"]


@pytest.mark.parametrize("overrides, unit, cls, threshold", [
    ({"output_activation": "sigmoid", "loss": "bce"}, 0, 1, 0.5),  # one output: P(class 1)
    ({"output_activation": "softmax", "loss": "ce"}, 1, 1, 0.5),  # 2-unit softmax: unit 1 is P(class 1)
])
def test_the_boundary_says_what_its_values_are_and_each_cells_class(overrides, unit, cls, threshold):
    setup, _ = frames.build({"preset": "letters", "dataset": "moons", "layers": [4], "bias": True, **overrides})
    setup.trainer.run(50)
    b = frames.live(setup, boundary=True)["boundary"]
    assert b["meaning"] == {"kind": "class", "unit": unit, "class": cls, "threshold": threshold}
    ds = setup.dataset
    grid = frames.extent(ds)
    xs, ys = np.meshgrid(np.linspace(grid[0], grid[1], b["n"]), np.linspace(grid[2], grid[3], b["n"]))
    out = setup.net.forward(ds.inputs(np.column_stack([xs.ravel(), ys.ravel()]))).activations[-1]
    assert b["values"] == out[:, unit].reshape(b["n"], b["n"]).tolist()
    assert b["classes"] == predicted(out, setup.trainer.Y).reshape(b["n"], b["n"]).tolist()


def test_the_dataset_message_names_each_rows_class():
    setup, _ = configured()
    net = frames.network(setup)
    assert net["dataset"]["classes"] == target_class(setup.dataset.Y).tolist() == [0, 1, 2]


def test_trace_and_snapshot_name_the_gradients_alike():
    setup, _ = configured(batch="full")
    frame = frames.live(setup)
    trace = frames.trace(setup.trainer.step_sample())
    assert set(frame["gradients"]) == set(trace["gradients"]) == {"weights", "biases", "penalty"}
    assert "nabla_w" not in trace and "nabla_b" not in trace
    shapes = [np.shape(w) for w in frame["gradients"]["weights"]]
    assert [np.shape(w) for w in trace["gradients"]["weights"]] == shapes
    assert len(trace["deltas"]) == len(frame["deltas"])  # deltas[l] belongs to layer l + 1 in both


def test_predict_uses_the_class_rule_with_the_targets():
    setup, _ = frames.build({"preset": "letters", "dataset": "xor-table", "activation": "tanh",
                             "output_activation": "tanh", "layers": [4]})
    Y = np.array([[-1.0], [1.0]])  # targets −1/1: the midpoint is 0
    net = setup.net.copy()
    out = net.forward(np.array([setup.dataset.X[0]])).activations[-1][0, 0]
    answer = frames.predict(net, setup.dataset.X[0].tolist(), ["0", "1"], Y)
    assert answer["label"] == ("1" if out > 0 else "0")


# -- the optional parts: named once, carried by one rule ----------------------------------------------------------
def test_the_optional_parts_are_named_once():
    assert list(parts.OPTIONAL) == ["curve", "boundary"]
    assert parts.describe() == {"optional": ["curve", "boundary"], "nested": ["companion"]}


def test_carry_fills_only_what_the_newer_frame_lacks_without_mutating():
    older = {"epoch": 1, "curve": "c1", "boundary": "b1", "companion": {"curve": "cc1", "loss": 1}}
    newer = {"epoch": 2, "boundary": "b2", "companion": {"loss": 2}}
    out = parts.carry(older, newer)
    assert out == {"epoch": 2, "curve": "c1", "boundary": "b2", "companion": {"loss": 2, "curve": "cc1"}}
    assert newer == {"epoch": 2, "boundary": "b2", "companion": {"loss": 2}}
    complete = {"epoch": 3, "curve": "c3", "boundary": "b3"}
    assert parts.carry(older, complete) is complete


def test_the_pacer_makes_each_part_due_at_its_own_rate():
    pacer = parts.Pacer(curve=4.0, boundary=20.0)
    assert pacer.due(now=10.0) == {"curve": True, "boundary": True}
    pacer.sent({"curve": 1, "boundary": 1}, now=10.0)
    assert pacer.due(now=10.1) == {"curve": False, "boundary": True}
    assert pacer.due(force=True, now=10.1) == {"curve": True, "boundary": True}
    with pytest.raises(ValueError, match="not optional parts"):
        parts.Pacer(curve=4.0, sparkle=1.0)


@pytest.mark.parametrize("batch", ["sample", 2, "full"])
def test_the_curve_and_the_snapshot_show_one_loss_per_epoch(batch):
    """The letters preset trains one sample per update: the curve's epoch-0 loss is the first snapshot's."""
    setup, _ = configured(batch=batch)
    shown = [frames.live(setup)]
    for _ in range(3):
        setup.trainer.run(1)
        shown.append(frames.live(setup, curve=True))
    curve = shown[-1]["curve"]
    assert curve["epochs"] == [0, 1, 2]
    for key in ("loss", "error", "accuracy"):
        assert curve[key] == [frame[key] for frame in shown[:3]]


@pytest.mark.parametrize("overrides, cancels", [
    ({}, False),  # letters: sigmoid + MSE keeps σ′
    ({"loss": "bce"}, True),
    ({"output_activation": "softmax", "loss": "ce"}, True),
    ({"output_activation": "softmax", "loss": "mse"}, False),
])
def test_the_network_message_says_whether_sigma_prime_cancels(overrides, cancels):
    setup, _ = configured(**overrides)
    assert frames.network(setup)["cancels"] is cancels


# -- the pieces of BP1 and BP4 the page shows come from the engine, never from a loss's or a penalty's name --------
LOSS_OUTPUTS = [(loss, out) for loss in LOSSES for out in ACTIVATIONS if fits(loss, out)]


def central_difference(loss, A, Y, h=1e-6):
    """∂(each row's own cost)/∂a by central differences of the loss itself (``per_sample``), one output at a time."""
    A, Y = np.asarray(A, dtype=float), np.asarray(Y, dtype=float)
    grad = np.empty_like(A)
    for j in range(A.shape[1]):
        step = np.zeros_like(A)
        step[:, j] = h
        grad[:, j] = (per_sample(loss, A + step, Y) - per_sample(loss, A - step, Y)) / (2 * h)
    return grad


@pytest.mark.parametrize("loss, output", LOSS_OUTPUTS)
@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_the_sent_cost_derivative_is_the_central_difference_of_the_loss(loss, output, reduction):
    setup, _ = configured(loss=loss, output_activation=output, reduction=reduction, seed=3)
    setup.trainer.run(5)
    frame = frames.live(setup)
    Y = setup.trainer.Y
    assert np.shape(frame["cost_derivative"]) == np.shape(frame["outputs"])  # one row per sample, before 1/n
    np.testing.assert_allclose(frame["cost_derivative"], central_difference(loss, frame["outputs"], Y),
                               rtol=1e-6, atol=1e-8)
    trace = frames.trace(setup.trainer.step_sample())
    np.testing.assert_allclose([trace["cost_derivative"]],
                               central_difference(loss, [trace["activations"][-1]], [trace["y"]]),
                               rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("regularization, term", [
    ("l2", lambda rate, W: rate * W),
    ("l1", lambda rate, W: rate * np.sign(W)),
])
def test_the_penalty_term_is_sent_and_is_what_the_weight_gradient_adds(regularization, term):
    setup, _ = configured(regularization=regularization, reg_rate=0.01, batch="full")
    frame = frames.live(setup)
    weights = [np.array(W) for W in frame["weights"]]
    penalty = [np.array(p) for p in frame["gradients"]["penalty"]]
    for l, W in enumerate(weights):
        assert penalty[l].tolist() == term(0.01, W).tolist()
        data_term = np.array(frame["activations"][l]).T @ np.array(frame["deltas"][l])
        np.testing.assert_allclose(frame["gradients"]["weights"][l], data_term + penalty[l], rtol=1e-12, atol=1e-15)
    trace = frames.trace(setup.trainer.step_sample())
    assert trace["gradients"]["penalty"] == frame["gradients"]["penalty"]  # at the batch's weights, joined once


def test_without_regularisation_no_penalty_term_is_sent():
    setup, _ = configured()
    assert frames.live(setup)["gradients"]["penalty"] is None
    assert frames.trace(setup.trainer.step_sample())["gradients"]["penalty"] is None
