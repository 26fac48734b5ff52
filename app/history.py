"""Which epochs a session keeps in full, so ``seek`` can replay them, in bounded memory.

The loss, error and accuracy of *every* epoch live in the trainer's history.
Full states (weights and biases, and the companion's in the mistake lab) are
kept on a decimating schedule: every epoch for the first ``dense`` epochs, then
every ``stride``-th; when more than ``limit`` are kept the stride doubles and
every other sparse entry is dropped.  At ``max`` speed the session also
``coarsen``s the stride to about one chunk of epochs.  So a run of any length keeps at most
``limit`` states spread over the whole run.  ``limit`` also shrinks for big
networks so that one session's kept states stay under ``budget_bytes``.

A kept state also holds what a "what if" branch needs to train on from it exactly
(``state``: velocity and shuffle generator, ``engine.branching.TrainerState``;
the companion's too); its weights and biases are the same arrays, not a copy.

Nothing here trains or computes z, a or δ: a kept state is re-expanded on demand.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

DENSE = 100
LIMIT = 2000
BUDGET_BYTES = 32 * 2**20


@dataclass
class Kept:
    epoch: int
    weights: list
    biases: list
    eta: float
    companion: tuple | None = None  # (weights, biases, epoch) of the companion trainer
    state: object = None  # engine.branching.TrainerState to branch from (None: taken mid-epoch)
    companion_state: object = None


class Keeper:
    def __init__(self, n_params, *, dense=DENSE, limit=LIMIT, budget_bytes=BUDGET_BYTES):
        per_state = max(1, n_params) * 8
        self.limit = max(dense + 16, min(limit, budget_bytes // per_state))
        self.dense = min(dense, self.limit // 2)
        self.stride = 1
        self._epochs: list[int] = []
        self._states: dict[int, Kept] = {}

    def __len__(self):
        return len(self._epochs)

    @property
    def epochs(self):
        return list(self._epochs)

    def is_due(self, epoch):
        return epoch < self.dense or (epoch - self.dense) % self.stride == 0

    def next_due(self, epoch):
        """The first epoch strictly after ``epoch`` that would be kept."""
        e = epoch + 1
        if e < self.dense:
            return e
        off = e - self.dense
        return self.dense + -(-off // self.stride) * self.stride

    def coarsen(self, min_stride):
        """Space future kept epochs at least ``min_stride`` apart (a power of two), keeping what is kept.

        At ``max`` speed the trainer must stop at every kept epoch; a stride of about one chunk
        keeps those stops from costing more than the epochs themselves.
        """
        stride = self.stride
        while stride < min_stride:
            stride *= 2
        self.stride = stride

    def keep(self, state: Kept):
        """Store ``state`` if its epoch is due and new; thin the sparse part when over the limit."""
        e = state.epoch
        if not self.is_due(e) or e in self._states:
            return False
        if self._epochs and e < self._epochs[-1]:
            return False  # epochs only move forward within one run
        self._epochs.append(e)
        self._states[e] = state
        while len(self._epochs) > self.limit:
            self.stride *= 2
            kept = [k for k in self._epochs if self.is_due(k)]
            for k in set(self._epochs) - set(kept):
                del self._states[k]
            self._epochs = kept
        return True

    def upto(self, epoch) -> Keeper:
        """A new keeper holding this one's states up to ``epoch`` (shared, not copied), on the same schedule:
        a branch's past is its parent's."""
        other = object.__new__(Keeper)
        other.limit, other.dense, other.stride = self.limit, self.dense, self.stride
        other._epochs = [e for e in self._epochs if e <= epoch]
        other._states = {e: self._states[e] for e in other._epochs}
        return other

    def at_or_before(self, epoch) -> Kept | None:
        """The kept state nearest at or before ``epoch``."""
        i = bisect.bisect_right(self._epochs, epoch)
        return self._states[self._epochs[i - 1]] if i else None

    @property
    def latest(self) -> Kept | None:
        return self._states[self._epochs[-1]] if self._epochs else None
