"""Presets and ``build(config)``: merging overrides, strict validation, variant overrides."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest

from engine import presets


def test_presets_are_listed_in_the_order_they_are_declared():
    assert [p["name"] for p in presets.list_presets()] == list(presets.PRESETS)


def test_list_presets_is_json_with_meta_and_a_full_config():
    listed = presets.list_presets()
    assert json.loads(json.dumps(listed)) == listed
    for p in listed:
        assert set(p) == {"name", "title", "origin", "description", "epochs", "config"}
        assert set(p["config"]) == set(presets.FIELDS) - {"preset"}
        assert len(p["description"]) > 100


@pytest.mark.parametrize("name", list(presets.PRESETS))
def test_each_preset_builds_and_its_config_is_json(name):
    s = presets.build({"preset": name})
    assert s.config["preset"] == name
    assert s.preset == presets.meta(name)
    assert json.loads(json.dumps(s.config)) == s.config
    assert s.trainer.run(1) == 1


@pytest.mark.parametrize("name", list(presets.PRESETS))
def test_project_history_appears_only_in_a_presets_origin_line(name):
    p = presets.PRESETS[name]
    for text in (p["title"], p["description"]):
        assert not re.search(r"seed 0\d\d|asker|Nielsen", text, re.IGNORECASE)
    assert p["origin"] == "" or p["origin"].startswith("Reproduces a public Q&A post: '")


@pytest.mark.parametrize("name, sizes, epochs", [
    ("xor-3-4-1", [3, 4, 1], 60_000),
    ("xor-positive-init", [3, 4, 1], 1_000),
    ("letters", [30, 5, 3], 100),
    ("letters-bce", [30, 5, 3], 100),
    ("binary-2-5-5-1", [2, 5, 5, 1], 1_000),
])
def test_the_presets_that_reproduce_published_scripts_build_those_networks(name, sizes, epochs):
    s = presets.build({"preset": name})
    assert s.net.sizes == sizes
    assert s.preset["epochs"] == epochs and s.preset["origin"].startswith("Reproduces a public Q&A post: '")


def test_default_preset_is_letters():
    s = presets.build({})
    assert s.config == presets.build({"preset": "letters"}).config
    assert s.dataset.name == "letters" and s.trainer.batch_size == 1


def test_overrides_apply_on_top_of_the_preset():
    s = presets.build({"preset": "xor-3-4-1", "dataset": "circles", "layers": [8, 3], "bias": True,
                       "lr": 0.5, "batch": 10, "momentum": 0.9, "init": "he", "seed": 4})
    assert s.net.sizes == [2, 8, 3, 1]
    assert s.net.bias and s.net.init == "he" and s.net.seed == 4
    assert (s.trainer.eta, s.trainer.batch_size, s.trainer.momentum) == (0.5, 10, 0.9)
    assert s.config["lr"] == 0.5 and isinstance(s.config["lr"], float)


def test_softmax_output_gets_one_hot_targets_on_binary_data():
    s = presets.build({"preset": "binary-2-5-5-1", "loss": "ce", "output_activation": "softmax"})
    assert s.net.sizes == [2, 5, 5, 2]
    np.testing.assert_array_equal(s.trainer.Y.sum(axis=1), 1.0)


@pytest.mark.parametrize("variant, field, value", [
    ("all-positive-init", "init", "rand"),
    ("one-over-epoch", "schedule", "inverse"),
])
def test_a_variant_overrides_its_init_or_schedule(variant, field, value):
    s = presets.build({"preset": "xor-3-4-1", "variant": variant})
    assert s.config[field] == value
    assert s.variant.name == variant
    assert s.net.init == "rand" if field == "init" else s.trainer.schedule == "inverse"


@pytest.mark.parametrize("override, field, message", [
    ({"preset": "xor"}, "preset", "Preset (preset): 'xor' is not one of xor-3-4-1, xor-positive-init, letters"),
    ({"colour": 1}, "colour", "colour: unknown field; allowed are preset, dataset"),
    ({"compare": False}, "compare", "compare: unknown field; allowed are preset, dataset"),
    ({"dataset": "mnist"}, "dataset", "Dataset (dataset): 'mnist' is not one of xor-table, letters, xor"),
    ({"layers": 5}, "layers", "Hidden layers (layers): need a list of 0 to 6 hidden-layer sizes, got 5"),
    ({"layers": [4] * 7}, "layers", "Hidden layers (layers): need a list of 0 to 6"),
    ({"layers": [4, 65]}, "layers[1]", "Hidden layers (layers[1]): 65 is not a whole number from 1 to 64"),
    ({"layers": [0]}, "layers[0]", "Hidden layers (layers[0]): 0 is not a whole number from 1 to 64"),
    ({"layers": [2.0]}, "layers[0]", "Hidden layers (layers[0]): 2.0 is not a whole number"),
    ({"layers": [True]}, "layers[0]", "Hidden layers (layers[0]): True is not a whole number"),
    ({"activation": "softmax"}, "activation",
     "Activation (activation): 'softmax' is not one of sigmoid, tanh, relu, linear, leaky_relu"),
    ({"output_activation": "gelu"}, "output_activation", "Output (output_activation): 'gelu' is not one of"),
    ({"loss": "hinge"}, "loss", "Loss (loss): 'hinge' is not one of mse, bce, ce"),
    ({"reduction": "max"}, "reduction", "Cost over samples (reduction): 'max' is not one of sum, mean"),
    ({"bias": 1}, "bias", "Biases (bias): 1 is not true or false"),
    ({"shuffle": "yes"}, "shuffle", "Shuffle samples (shuffle): 'yes' is not true or false"),
    ({"lr": True}, "lr", "Learning rate (lr): True is not a number from 0 to 100"),
    ({"lr": "0.1"}, "lr", "Learning rate (lr): '0.1' is not a number"),
    ({"lr": -0.1}, "lr", "Learning rate (lr): -0.1 is not a number from 0 to 100"),
    ({"lr": 101}, "lr", "Learning rate (lr): 101 is not a number from 0 to 100"),
    ({"lr": 200}, "lr", "Learning rate (lr): 200 is not a number from 0 to 100"),
    ({"lr": float("nan")}, "lr", "Learning rate (lr): nan is not a number"),
    ({"lr": float("inf")}, "lr", "Learning rate (lr): inf is not a number"),
    ({"momentum": 0.995}, "momentum", "Momentum (momentum): 0.995 is not a number from 0 to 0.99"),
    ({"batch": "half"}, "batch", "Batch (batch): 'half' is not 'full', 'sample' or a whole number from 1 to"),
    ({"batch": 0}, "batch", "Batch (batch): 0 is not 'full', 'sample' or a whole number from 1"),
    ({"batch": 4}, "batch", "Batch (batch): 4 is not 'full', 'sample' or a whole number from 1 to 3 "
                            "(the letters dataset has 3 samples)"),
    ({"batch": False}, "batch", "Batch (batch): False is not 'full', 'sample' or a whole number"),
    ({"schedule": "cosine"}, "schedule", "Learning-rate schedule (schedule): 'cosine' is not one of constant, inverse"),
    ({"init": "zeros"}, "init", "Initial weights (init): 'zeros' is not one of rand-sym, rand, randn"),
    ({"seed": -1}, "seed", "Seed (seed): -1 is not a whole number from 0 to 4294967295"),
    ({"seed": 2**32}, "seed", "Seed (seed): 4294967296 is not a whole number"),
    ({"seed": 1.0}, "seed", "Seed (seed): 1.0 is not a whole number"),
    ({"variant": "wrong"}, "variant", "Learning rule (variant): 'wrong' is not one of correct, flipped-sign"),
    ({"variant": "bias-not-summed"}, "variant",
     "Learning rule (variant): the bias-not-summed rule needs biases set to on"),
    ({"variant": "bias-not-summed", "bias": True}, "batch",
     "Batch (batch): the bias-not-summed rule needs batch set to 'full'"),
    ({"loss": "ce", "output_activation": "sigmoid"}, "output_activation", "output_activation: loss 'ce'"),
    ({"loss": "bce", "output_activation": "tanh"}, "output_activation", "output_activation: loss 'bce' takes ln a"),
    ({"dataset": "xor-table", "output_activation": "softmax", "loss": "mse", "layers": []}, None, None),
])
def test_bad_fields_are_rejected_with_the_field_and_range(override, field, message):
    if message is None:  # a valid corner: softmax on a binary table gets one-hot targets
        assert presets.build(override).net.sizes == [3, 2]
        return
    with pytest.raises(ValueError, match="^" + re.escape(message)) as info:
        presets.build(override)
    assert getattr(info.value, "field", field) == field


@pytest.mark.parametrize("config", [None, {}])
def test_missing_config_means_the_default_preset(config):
    assert presets.build(config).config["preset"] == "letters"


def test_config_must_be_a_dict():
    with pytest.raises(ValueError, match="^config: must be an object"):
        presets.build([("lr", 1)])


def test_build_does_not_change_the_callers_dict_or_the_preset():
    given = {"preset": "xor-3-4-1", "layers": [3]}
    s = presets.build(given)
    s.config["layers"].append(9)
    assert given == {"preset": "xor-3-4-1", "layers": [3]}
    assert presets.PRESETS["xor-3-4-1"]["config"]["layers"] == [4]


@pytest.mark.parametrize("field, old, new", [("preset", "xor-trask", "xor-3-4-1"), ("init", "trask", "rand-sym")])
def test_an_old_name_in_a_saved_link_or_model_reads_as_todays(field, old, new):
    assert presets.normalize({field: old})[field] == new
    assert presets.normalize({field: old}) == presets.normalize({field: new})


def test_the_old_preset_name_builds_the_same_network():
    old, new = presets.build({"preset": "xor-trask"}), presets.build({"preset": "xor-3-4-1"})
    assert old.config == new.config
    for w_old, w_new in zip(old.net.weights, new.net.weights, strict=True):
        assert np.array_equal(w_old, w_new)
