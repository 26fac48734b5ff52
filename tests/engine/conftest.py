"""Fixtures for the engine's tests: the seeds' data and small networks to check gradients on."""
from __future__ import annotations

import numpy as np
import pytest

from engine import datasets


@pytest.fixture
def xor_table():
    return datasets.xor_table()


@pytest.fixture
def letters():
    return datasets.letters()


@pytest.fixture
def batch():
    """Five random rows of 3 inputs with 2 targets in (0, 1), and their one-hot version."""
    rng = np.random.default_rng(7)
    X = rng.normal(size=(5, 3))
    Y = rng.uniform(0.1, 0.9, size=(5, 2))
    one_hot = np.eye(2)[rng.integers(0, 2, size=5)]
    return X, Y, one_hot
