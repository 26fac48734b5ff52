"""The datasets: the seeds' tables verbatim, and reproducible 2-D problems."""
from __future__ import annotations

import numpy as np
import pytest

from engine import datasets


def test_xor_table_is_the_seed_000_table_with_its_constant_column(xor_table):
    assert xor_table.kind == "table"
    np.testing.assert_array_equal(xor_table.X, [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
    np.testing.assert_array_equal(xor_table.Y, [[0], [1], [1], [0]])
    assert xor_table.X.dtype == np.float64


def test_letters_are_seed_002_images_row_major(letters):
    assert letters.kind == "images"
    assert letters.X.shape == (3, 30)
    assert letters.labels == ["A", "B", "C"]
    assert letters.image_shape == (5, 6)
    np.testing.assert_array_equal(letters.Y, np.eye(3))
    # seed 002's `a`, drawn as reshape(5, 6): the apex, then the crossbar on the third row
    np.testing.assert_array_equal(letters.X[0].reshape(5, 6), [
        [0, 0, 1, 1, 0, 0],
        [0, 1, 0, 0, 1, 0],
        [1, 1, 1, 1, 1, 1],
        [1, 0, 0, 0, 0, 1],
        [1, 0, 0, 0, 0, 1]])
    assert letters.X[2].reshape(5, 6)[2].tolist() == [0, 1, 0, 0, 0, 0]  # C is open on the right


@pytest.mark.parametrize("name", datasets.GENERATED)
def test_generated_sets_are_balanced_binary_points_inside_the_extent(name):
    d = datasets.generate(name, n=60, noise=0.1, seed=3)
    assert (d.kind, d.X.shape, d.Y.shape) == ("2d", (60, 2), (60, 1))
    assert d.extent == (-1.5, 1.5, -1.5, 1.5)
    assert set(np.unique(d.Y)) == {0.0, 1.0}
    assert d.Y.sum() == 30
    assert np.abs(d.X).max() <= 1.5


@pytest.mark.parametrize("name", datasets.GENERATED)
def test_generated_sets_repeat_for_a_seed_and_change_with_it(name):
    a, b, c = (datasets.generate(name, seed=s) for s in (5, 5, 6))
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.Y, b.Y)
    assert not np.array_equal(a.X, c.X)


def test_one_hot_turns_a_binary_column_into_two(xor_table):
    np.testing.assert_array_equal(xor_table.one_hot().Y, [[1, 0], [0, 1], [0, 1], [1, 0]])


def test_as_dict_is_plain_json():
    import json

    d = datasets.generate("moons", n=8).as_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["extent"] == [-1.5, 1.5, -1.5, 1.5] and d["n_samples"] == 8


@pytest.mark.parametrize("name, kind, sample_word", [
    ("xor-table", "table", "row"), ("letters", "images", "letter"), ("circles", "2d", "point"),
    ("reg-gauss", "2d", "point"), ("sine", "1d", "point"),
])
def test_each_dataset_names_the_view_it_needs_and_its_word_for_one_sample(name, kind, sample_word):
    d = datasets.load(name).as_dict()
    assert (d["kind"], d["sample_word"]) == (kind, sample_word)


@pytest.mark.parametrize("kwargs, message", [
    ({"name": "swirl"}, "dataset: 'swirl' is not one of"),
    ({"name": "moons", "n": 3}, "n: 3 is not a whole number from 4 to 1000"),
    ({"name": "moons", "n": True}, "n: True is not a whole number"),
    ({"name": "moons", "noise": 0.6}, "noise: 0.6 is not a number from 0 to 0.5"),
])
def test_bad_generator_arguments_name_the_field(kwargs, message):
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(")):
        datasets.generate(**kwargs)
