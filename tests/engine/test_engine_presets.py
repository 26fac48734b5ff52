"""Presets and ``build(config)``: merging overrides, strict validation, variant overrides."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest

from engine import presets

NAMES = ["xor-trask", "xor-positive-init", "letters", "letters-bce", "binary-2-5-5-1"]


def test_the_five_presets_of_issue_2_come_first_in_order():
    assert [p["name"] for p in presets.list_presets()][:5] == NAMES


def test_list_presets_is_json_with_meta_and_config():
    listed = presets.list_presets()
    assert json.loads(json.dumps(listed)) == listed
    for p in listed:
        assert set(p) == {"name", "title", "seed_file", "description", "epochs", "config"}
        assert set(p["config"]) == set(presets.FIELDS) - {"preset"}
        assert len(p["description"]) > 100


@pytest.mark.parametrize("name, sizes, seed_file, epochs", [
    ("xor-trask", [3, 4, 1], "000", 60_000),
    ("xor-positive-init", [3, 4, 1], "001", 1_000),
    ("letters", [30, 5, 3], "002", 100),
    ("letters-bce", [30, 5, 3], "002", 100),
    ("binary-2-5-5-1", [2, 5, 5, 1], "003", 1_000),
])
def test_each_preset_builds_its_seed_network(name, sizes, seed_file, epochs):
    s = presets.build({"preset": name})
    assert s.net.sizes == sizes
    assert (s.preset["seed_file"], s.preset["epochs"]) == (seed_file, epochs)
    assert s.config["preset"] == name
    assert json.loads(json.dumps(s.config)) == s.config


def test_default_preset_is_letters():
    s = presets.build({})
    assert s.config == presets.build({"preset": "letters"}).config
    assert s.dataset.name == "letters" and s.trainer.batch_size == 1


def test_overrides_apply_on_top_of_the_preset():
    s = presets.build({"preset": "xor-trask", "dataset": "circles", "layers": [8, 3], "bias": True,
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
    s = presets.build({"preset": "xor-trask", "variant": variant})
    assert s.config[field] == value
    assert s.variant.name == variant
    assert s.net.init == "rand" if field == "init" else s.trainer.schedule == "inverse"


@pytest.mark.parametrize("override, message", [
    ({"preset": "xor"}, "preset: 'xor' is not one of xor-trask, xor-positive-init, letters"),
    ({"colour": 1}, "colour: unknown field; allowed are preset, dataset"),
    ({"dataset": "mnist"}, "dataset: 'mnist' is not one of xor-table, letters, xor"),
    ({"layers": 5}, "layers: need a list of 0 to 6 hidden-layer sizes, got 5"),
    ({"layers": [4] * 7}, "layers: need a list of 0 to 6"),
    ({"layers": [4, 65]}, "layers[1]: 65 is not a whole number from 1 to 64"),
    ({"layers": [0]}, "layers[0]: 0 is not a whole number from 1 to 64"),
    ({"layers": [2.0]}, "layers[0]: 2.0 is not a whole number"),
    ({"layers": [True]}, "layers[0]: True is not a whole number"),
    ({"activation": "softmax"}, "activation: 'softmax' is not one of sigmoid, tanh, relu, linear"),
    ({"output_activation": "gelu"}, "output_activation: 'gelu' is not one of"),
    ({"loss": "hinge"}, "loss: 'hinge' is not one of mse, bce, ce"),
    ({"reduction": "max"}, "reduction: 'max' is not one of sum, mean"),
    ({"bias": 1}, "bias: must be true or false, got 1"),
    ({"shuffle": "yes"}, "shuffle: must be true or false"),
    ({"compare": None}, "compare: must be true or false"),
    ({"lr": True}, "lr: True is not a finite number from 0 to 100"),
    ({"lr": "0.1"}, "lr: '0.1' is not a finite number"),
    ({"lr": -0.1}, "lr: -0.1 is not a finite number from 0 to 100"),
    ({"lr": 101}, "lr: 101 is not a finite number from 0 to 100"),
    ({"lr": float("nan")}, "lr: nan is not a finite number"),
    ({"lr": float("inf")}, "lr: inf is not a finite number"),
    ({"momentum": 0.995}, "momentum: 0.995 is not a finite number from 0 to 0.99"),
    ({"batch": "half"}, "batch: 'half' is not a whole number from 1 to"),
    ({"batch": 0}, "batch: 0 is not a whole number from 1"),
    ({"batch": 4}, "batch: 4 is not 'full', 'sample' or a whole number from 1 to 3"),
    ({"batch": False}, "batch: False is not a whole number"),
    ({"schedule": "cosine"}, "schedule: 'cosine' is not one of constant, inverse"),
    ({"init": "zeros"}, "init: 'zeros' is not one of trask, rand, randn"),
    ({"seed": -1}, "seed: -1 is not a whole number from 0 to 4294967295"),
    ({"seed": 2**32}, "seed: 4294967296 is not a whole number"),
    ({"seed": 1.0}, "seed: 1.0 is not a whole number"),
    ({"variant": "wrong"}, "variant: 'wrong' is not one of correct, flipped-sign"),
    ({"variant": "bias-not-summed"}, "variant: 'bias-not-summed' needs bias true"),
    ({"variant": "bias-not-summed", "bias": True}, "batch: the bias-not-summed variant needs batch 'full'"),
    ({"loss": "ce", "output_activation": "sigmoid"}, "output_activation: loss 'ce'"),
    ({"loss": "bce", "output_activation": "tanh"}, "output_activation: loss 'bce' takes ln a"),
    ({"dataset": "xor-table", "output_activation": "softmax", "loss": "mse", "layers": []}, None),
])
def test_bad_fields_are_rejected_with_the_field_and_range(override, message):
    if message is None:  # a valid corner: softmax on a binary table gets one-hot targets
        assert presets.build(override).net.sizes == [3, 2]
        return
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        presets.build(override)


@pytest.mark.parametrize("config", [None, {}])
def test_missing_config_means_the_default_preset(config):
    assert presets.build(config).config["preset"] == "letters"


def test_config_must_be_a_dict():
    with pytest.raises(ValueError, match="^config: must be an object"):
        presets.build([("lr", 1)])


def test_build_does_not_change_the_callers_dict_or_the_preset():
    given = {"preset": "xor-trask", "layers": [3]}
    s = presets.build(given)
    s.config["layers"].append(9)
    assert given == {"preset": "xor-trask", "layers": [3]}
    assert presets.PRESETS["xor-trask"]["config"]["layers"] == [4]
