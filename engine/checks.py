"""The limits of a configuration and the one wording of every refusal.

Each limit is written here once and read by the schema (``config``), the
network, the trainer, the command line and the server.  Each check returns the
clean value or raises ``FieldError``, a ``ValueError`` that carries the field's
key, so a caller can put the message next to the right control.  The message
names the field by its label and key and says what is allowed, e.g.
``Learning rate (lr): 200 is not a number from 0 to 100``.

No other engine module is imported here, so every module may import this one.
"""
from __future__ import annotations

import math
import numbers

MAX_HIDDEN_LAYERS = 6  # hidden layers of a network
MAX_WIDTH = 64  # neurons in any layer, inputs and outputs included
MAX_LR = 100.0  # learning rate η
MAX_MOMENTUM = 0.99
MAX_SEED = 2**32 - 1
MAX_EPOCHS = 1_000_000  # epochs in one run (the server's, the command line's and Trainer.run's)


class FieldError(ValueError):
    """A refused value: ``field`` is its key (``"lr"``, ``"layers[1]"``), the message says what is allowed."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field


def name_of(key, label=None):
    """How a message names a field: ``Learning rate (lr)``, or just the key when it has no label."""
    return f"{label} ({key})" if label else key


def refuse(key, label, text):
    raise FieldError(key, f"{name_of(key, label)}: {text}")


def choice(key, value, allowed, label=None):
    if not isinstance(value, str) or value not in allowed:
        refuse(key, label, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def boolean(key, value, label=None):
    if not isinstance(value, bool):
        refuse(key, label, f"{value!r} is not true or false")
    return value


def whole(key, value, lo, hi, label=None):
    """A whole number (not a bool, not 1.0) from ``lo`` to ``hi``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not lo <= value <= hi:
        refuse(key, label, f"{value!r} is not a whole number from {lo} to {hi}")
    return int(value)


def number(key, value, lo, hi, label=None):
    """A finite number (not a bool, not a string) from ``lo`` to ``hi``, as a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) \
            or not lo <= value <= hi:
        refuse(key, label, f"{value!r} is not a number from {lo:g} to {hi:g}")
    return float(value)
