"""The configuration schema: one declared field table, choices read from the registries, one wording."""
from __future__ import annotations

import json

import numpy as np
import pytest

from engine import checks, config, datasets, gradcheck, init, losses, presets, trainer, variants
from engine.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from engine.network import Network

REGISTRIES = {
    "preset": lambda: tuple(presets.PRESETS),
    "dataset": lambda: datasets.NAMES,
    "activation": lambda: HIDDEN_ACTIVATIONS,
    "output_activation": lambda: tuple(ACTIVATIONS),
    "loss": lambda: losses.LOSSES,
    "reduction": lambda: losses.REDUCTIONS,
    "schedule": lambda: trainer.SCHEDULES,
    "init": lambda: tuple(init.INITS),
    "variant": lambda: tuple(variants.VARIANTS),
}


@pytest.mark.parametrize("name", list(REGISTRIES))
def test_a_choice_fields_choices_are_its_registry(name):
    assert config.BY_NAME[name].allowed() == tuple(REGISTRIES[name]())


@pytest.mark.parametrize("field", config.FIELDS, ids=lambda f: f.name)
def test_every_field_describes_itself_as_json(field):
    d = field.as_dict()
    assert json.loads(json.dumps(d)) == d
    assert {"name", "label", "help", "type", "default"} <= set(d)
    assert d["label"] and d["help"].endswith(".")
    if field.type == "choice":
        assert d["choices"] and all(isinstance(c, str) for c in d["choices"])
        assert set(d.get("option_labels", {})) <= set(d["choices"])
    if field.type in ("number", "integer", "layers", "batch"):
        assert d["min"] < d["max"]
    if field.name != "preset":
        assert field.check(field.default) == field.default


def test_every_initialiser_has_words_in_the_menu():
    labels = config.BY_NAME["init"].as_dict()["option_labels"]
    assert set(labels) == set(init.INITS) and len(set(labels.values())) == len(labels)


def test_the_limits_are_one_table():
    assert config.limits() == {"hidden_layers": 6, "width": 64, "lr": 100.0, "momentum": 0.99, "seed": 2**32 - 1,
                               "epochs": 1_000_000, "points": datasets.MAX_POINTS}
    assert config.BY_NAME["lr"].max == checks.MAX_LR and config.BY_NAME["layers"].max == checks.MAX_WIDTH
    assert trainer.MAX_EPOCHS_PER_RUN == checks.MAX_EPOCHS


def test_the_largest_network_the_schema_allows_builds_and_one_more_layer_is_refused():
    assert presets.build({"layers": [checks.MAX_WIDTH] * checks.MAX_HIDDEN_LAYERS}).net.sizes[1:-1] == [64] * 6
    with pytest.raises(checks.FieldError, match=r"^Hidden layers \(layers\): need a list of 0 to 6"):
        presets.build({"layers": [1] * 7})


def test_an_extension_field_is_checked_and_kept():
    extra = (config.Field("colour", "Colour", "A test field.", "choice", "red", lambda: ("red", "blue")),)
    assert config.normalize({"colour": "blue"}, extra)["colour"] == "blue"
    assert config.normalize({}, extra)["colour"] == "red"
    with pytest.raises(checks.FieldError, match=r"^Colour \(colour\): 'green' is not one of red, blue$"):
        config.normalize({"colour": "green"}, extra)


def _rule(rule, z, a):
    if rule["of"] == "a":  # by Horner, as static/core/schema.js evaluates it
        value = 0.0
        for c in reversed(rule["poly"]):
            value = c + a * value
        return value
    return np.where(z > 0, rule["above"], rule["below"])


@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_the_derivative_rule_the_page_evaluates_is_the_engines(name):
    act = ACTIVATIONS[name]
    z = np.array([[-3.0, -0.5, 0.0, 0.25, 2.0]])
    a = act.fn(z)
    np.testing.assert_array_equal(_rule(act.der_rule, z, a), act.der(z, a))  # bit for bit
    assert act.tex


def test_leaky_relu_has_slope_one_hundredth_below_zero():
    act = ACTIVATIONS["leaky_relu"]
    z = np.array([[-2.0, 0.0, 3.0]])
    np.testing.assert_array_equal(act.fn(z), [[-0.02, 0.0, 3.0]])
    np.testing.assert_array_equal(act.der(z, act.fn(z)), [[0.01, 0.01, 1.0]])


@pytest.mark.parametrize("output", ["leaky_relu", "sigmoid"])
def test_a_leaky_relu_network_builds_from_the_schema_and_passes_gradcheck(output):
    s = presets.build({"preset": "binary-2-5-5-1", "activation": "leaky_relu", "output_activation": output,
                       "loss": "mse", "schedule": "constant", "init": "xavier"})
    assert s.config["activation"] == "leaky_relu" and s.net.acts[0].name == "leaky_relu"
    result = gradcheck(s.net, s.trainer.X, s.trainer.Y)
    assert result.ok, result.verdict
    assert isinstance(s.net, Network)
