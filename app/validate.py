"""Checks for everything that arrives from a browser: socket payloads and HTTP bodies.

Each helper returns the clean value or raises ``Invalid(field, message)``; the
message starts with ``"field: "`` and names what is allowed, like the engine's
``ValueError``s.  Nothing here knows about sessions, sockets or the store: the
callers decide what a rejected value means (an ``error`` event, a 400).
"""
from __future__ import annotations

import math
import re
import reprlib

from engine import checks, config

MAX_NAME = 64
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.\-]{0,63}$")
MAX_NUMBER = 1e6  # absolute bound on any free-form input number (predict inputs, imported weights)
# What one event payload may hold at all, checked before any field is looked at (so that no check, and no
# engine error message, ever walks or echoes a huge or deeply nested value):
MAX_DEPTH = 4  # levels below the payload object ({"layers": [5]} is 2)
MAX_VALUES = 4096  # values (numbers, strings, lists, objects) in one field
MAX_STRING = 256  # characters in one string
MAX_MESSAGE = 400  # characters of an error message
_repr = reprlib.Repr()
_repr.maxlevel, _repr.maxlist, _repr.maxdict, _repr.maxstring, _repr.maxother = 2, 6, 4, 30, 30


class Invalid(ValueError):
    """A rejected value: ``field`` names it, ``message`` says what is allowed."""

    def __init__(self, field, message):
        if not message.startswith(f"{field}:") and f"({field}):" not in message:  # "key: …" or "Label (key): …"
            message = f"{field}: {message}"
        if len(message) > MAX_MESSAGE:
            message = message[:MAX_MESSAGE - 1] + "…"
        super().__init__(message)
        self.field, self.message = field, message

    def as_dict(self, event=None):
        return {"event": event, "field": self.field, "message": self.message}

    @classmethod
    def from_value_error(cls, exc):
        """An engine ``FieldError`` (or ``ValueError("field: message")``) as an ``Invalid`` for the same field."""
        text = str(exc)
        if getattr(exc, "field", None):
            return cls(exc.field, text)
        field, sep, _ = text.partition(":")
        field = field.strip()
        if not sep or not field or " " in field:
            field = "config"
        return cls(field, text)


def _short(value, limit=40):
    text = _repr.repr(value)  # bounded work whatever the value's size or depth
    return text if len(text) <= limit else text[:limit] + "…"


def bounded(field, value, max_depth=MAX_DEPTH, max_values=MAX_VALUES):
    """Raise ``Invalid(field)`` if ``value`` is nested too deeply, holds too many values or too long a string.

    Walks without recursion, and stops at the first excess, so its cost is bounded too.
    """
    stack, seen = [(value, 1)], 0
    while stack:
        v, depth = stack.pop()
        seen += 1
        if seen > max_values:
            raise Invalid(field, f"more than {max_values} values")
        if isinstance(v, str):
            if len(v) > MAX_STRING:
                raise Invalid(field, f"strings hold at most {MAX_STRING} characters, got one of {len(v)}")
        elif isinstance(v, (list, dict)):
            if depth >= max_depth:
                raise Invalid(field, f"nested deeper than {max_depth} levels")
            if len(v) > max_values:
                raise Invalid(field, f"more than {max_values} values, got a {type(v).__name__} of {len(v)}")
            if isinstance(v, dict):
                stack.extend((k, depth + 1) for k in v)
                v = v.values()
            stack.extend((x, depth + 1) for x in v)


def payload(value, allowed, *, required=(), max_values=None):
    """An event payload: a JSON object (``None`` counts as ``{}``) with only ``allowed`` keys, each holding at most
    ``MAX_VALUES`` values (or its own bound in ``max_values``)."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise Invalid("payload", f"must be a JSON object, got {type(value).__name__}")
    for key in value:
        if key not in allowed:
            allowed_text = ", ".join(allowed) if allowed else "none"
            raise Invalid(str(key)[:MAX_NAME], f"unknown field; allowed: {allowed_text}")
    for key in required:
        if key not in value:
            raise Invalid(key, "is required")
    for key, v in value.items():
        bounded(key, v, max_values=(max_values or {}).get(key, MAX_VALUES))
    return value


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _engine(check, *args):
    """Run one of the engine's checks (``engine.checks``: one wording everywhere), raising ``Invalid``."""
    try:
        return check(*args)
    except ValueError as exc:
        raise Invalid.from_value_error(exc) from None


def number(field, value, lo, hi):
    """A finite int or float within [lo, hi]."""
    return _engine(checks.number, field, value, lo, hi)


def integer(field, value, lo, hi):
    """A whole number (not a bool, not 1.0) within [lo, hi]."""
    return _engine(checks.whole, field, value, lo, hi)


def choice(field, value, options):
    return _engine(checks.choice, field, value, tuple(options))


def config_field(name, value):
    """A value for the configuration field ``name``, checked as ``configure`` checks it (label and range)."""
    return _engine(config.BY_NAME[name].check, value)


def number_list(field, value, length, lo=-MAX_NUMBER, hi=MAX_NUMBER):
    """A flat list of exactly ``length`` finite numbers within [lo, hi]."""
    if not isinstance(value, list) or len(value) != length:
        got = f"a list of {len(value)}" if isinstance(value, list) else type(value).__name__
        raise Invalid(field, f"must be a list of {length} numbers, got {got}")
    for i, x in enumerate(value):
        if not is_number(x) or not math.isfinite(x) or not lo <= x <= hi:
            raise Invalid(field, f"[{i}] must be a finite number from {lo:g} to {hi:g}, got {_short(x)}")
    return [float(x) for x in value]


def matrix(field, value, rows, cols, lo=-MAX_NUMBER, hi=MAX_NUMBER):
    """A list of ``rows`` lists of ``cols`` finite numbers."""
    if not isinstance(value, list) or len(value) != rows:
        got = f"{len(value)} rows" if isinstance(value, list) else type(value).__name__
        raise Invalid(field, f"must be {rows} rows of {cols} numbers, got {got}")
    return [number_list(f"{field}[{i}]", row, cols, lo, hi) for i, row in enumerate(value)]


def name(field, value):
    """A stored name: 1–64 letters, digits, spaces, ``_ . -``; starts with a letter or digit."""
    if not isinstance(value, str):
        raise Invalid(field, f"must be a string, got {type(value).__name__}")
    value = value.strip()
    if not NAME_RE.match(value):
        raise Invalid(field, f"must be 1 to {MAX_NAME} characters from letters, digits, space, _ . - "
                             f"(starting with a letter or digit), got {_short(value)}")
    return value


def speed(field, value, lo, hi):
    """Epochs per second in [lo, hi], or the string ``"max"``."""
    if value == "max":
        return "max"
    if not is_number(value) or not math.isfinite(value) or not lo <= value <= hi:
        raise Invalid(field, f'must be "max" or a number of epochs per second from {lo:g} to {hi:g}, '
                             f"got {_short(value)}")
    return float(value)
