"""Put a trainer back into an exact state and train on: the engine's half of a "what if" branch.

A ``TrainerState`` is everything the next epochs of ``Trainer.run`` depend on
besides the data and the settings: the weights and biases, the momentum
velocity, the epoch counter (an ``"inverse"`` schedule's η is η/(epoch + 1))
and the shuffle generator's state.  ``capture`` copies it at the start of an
epoch; ``restore`` puts it into a trainer, the same one or another built with
other settings (η, batch, momentum, regularisation, learning rule), together
with the history up to that epoch, so the restored trainer's history reads as
one run.  Restored into an unchanged copy of its settings, a state reproduces
the original run's next epochs bit for bit.

It deliberately does not decide which states are kept (``app/history.py``) or
which settings may change (``app/branches.py``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .trainer import HISTORY, Trainer


@dataclass(frozen=True)
class TrainerState:
    """A trainer at the start of ``epoch``."""

    epoch: int
    weights: list
    biases: list
    velocity: tuple | None  # (per-layer weight velocities, per-layer bias velocities); None: no momentum, all zero
    rng_state: dict  # the shuffle generator's ``bit_generator.state``
    eta: float  # the η the next update uses (the schedule applied)


def capture(trainer: Trainer) -> TrainerState:
    """A copy of ``trainer``'s state; only between epochs (not in an epoch begun by ``step_sample``)."""
    if trainer._pos:
        raise ValueError("epoch: an epoch is half done sample by sample; a state is taken between epochs")
    vw, vb = trainer._velocity
    velocity = ([v.copy() for v in vw], [v.copy() for v in vb]) if trainer.momentum else None
    return TrainerState(epoch=int(trainer.epoch), weights=[w.copy() for w in trainer.net.weights],
                        biases=[b.copy() for b in trainer.net.biases], velocity=velocity,
                        rng_state=trainer._rng.bit_generator.state, eta=float(trainer.eta_at(trainer.epoch)))


def restore(trainer: Trainer, state: TrainerState, history=None, data_changes=()):
    """Make ``trainer`` continue from ``state``: its weights, biases, velocity, epoch and shuffle generator.

    ``history`` (a ``Trainer.history``) gives the figures of the epochs before ``state.epoch``; without it the
    restored history starts empty.  ``data_changes`` before ``state.epoch`` are kept as marks.  The settings
    (η, batch, momentum, rule, regularisation) are the trainer's own: that is what a branch changes.
    """
    net = trainer.net
    shapes = [w.shape for w in net.weights]
    if [np.shape(w) for w in state.weights] != shapes:
        raise ValueError(f"weights: the state's shapes {[np.shape(w) for w in state.weights]} are not {shapes}")
    if any(np.ndim(b) != 1 for b in state.biases) and not trainer.variant.bias_per_sample:
        raise ValueError("variant: the biases grew one row per sample under the bias-not-summed rule; "
                         "a run from this state must keep that rule")
    trainer.reset_history()
    net.weights[:] = [w.copy() for w in state.weights]
    net.biases[:] = [b.copy() for b in state.biases]
    if state.velocity is not None:
        trainer._velocity = tuple([v.copy() for v in vs] for vs in state.velocity)
    else:
        trainer._velocity = ([np.zeros_like(w) for w in net.weights], [np.zeros_like(b) for b in net.biases])
    trainer._rng.bit_generator.state = state.rng_state
    trainer.epoch = state.epoch
    trainer.data_changes = [int(e) for e in data_changes if e <= state.epoch]
    if history is not None:
        for key in HISTORY:
            values = history.get(key)
            if values is not None and (trainer.X_test is not None or not key.startswith("test_")):
                prefix = np.asarray(values, dtype=float)[:state.epoch]
                if len(prefix) != state.epoch:
                    raise ValueError(f"history: {len(prefix)} epochs of {key}, need {state.epoch}")
                trainer._hist[key] = [prefix.copy()]
    return trainer
