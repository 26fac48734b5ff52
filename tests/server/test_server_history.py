"""Keeper: every epoch for the first 100, then a doubling stride; never more than the limit."""
from __future__ import annotations

import pytest

from app.history import Keeper, Kept


def keep_run(keeper, epochs):
    """Keep as the session does: run to the next due epoch, keep it, repeat."""
    e = 0
    keeper.keep(Kept(0, [], [], 0.1))
    while True:
        e = keeper.next_due(e)
        if e > epochs:
            return
        keeper.keep(Kept(e, [], [], 0.1))


def test_the_first_hundred_epochs_are_all_kept():
    k = Keeper(10)
    keep_run(k, 150)
    assert k.epochs == list(range(151))


@pytest.mark.parametrize("epochs", [2_000, 10_000, 1_000_000])
def test_a_long_run_stays_within_the_limit_and_spans_the_run(epochs):
    k = Keeper(10, limit=2000)
    keep_run(k, epochs)
    assert len(k) <= 2000
    assert k.epochs[:100] == list(range(100))
    assert k.epochs[-1] > epochs - 2 * k.stride
    gaps = {b - a for a, b in zip(k.epochs[100:-1], k.epochs[101:], strict=True)}
    assert gaps <= {k.stride}


def test_a_big_network_keeps_fewer_states():
    assert Keeper(10).limit == 2000
    assert Keeper(100_000, budget_bytes=32 * 2**20).limit == 116  # the floor: dense + 16


def test_at_or_before_finds_the_nearest_kept_epoch():
    k = Keeper(10, dense=4, limit=20)
    keep_run(k, 10)
    assert k.epochs == list(range(11))
    assert k.at_or_before(7).epoch == 7
    k2 = Keeper(10, dense=2, limit=20)
    for e in (0, 1, 2, 4, 8):
        k2.keep(Kept(e, [], [], 0.1))
    assert k2.at_or_before(7).epoch == 4 and k2.at_or_before(100).epoch == 8


def test_keep_refuses_epochs_that_are_not_due_or_go_backwards():
    k = Keeper(10, dense=2, limit=20)
    k.stride = 4
    assert k.keep(Kept(3, [], [], 0.1)) is False
    assert k.keep(Kept(6, [], [], 0.1)) is True
    assert k.keep(Kept(2, [], [], 0.1)) is False
    assert k.keep(Kept(6, [], [], 0.1)) is False


def test_coarsen_spaces_later_epochs_and_keeps_what_is_kept():
    k = Keeper(10)
    keep_run(k, 120)
    k.coarsen(20)
    assert k.stride == 32
    assert k.next_due(120) == 132 and k.next_due(132) == 164
    assert k.epochs == list(range(121))
    k.coarsen(4)
    assert k.stride == 32  # never finer again within a run
