"""Hypothesis strategies for hostile socket events, and the encoder that puts them on the wire.

An event is ``(name, args)``: a name from the protocol, a reserved or look-alike name, or any text; ``args``
are zero, one or two payloads.  Payloads are every JSON type: NaN and ±Infinity (Python's JSON writes them
and the server's parser reads them; a browser never sends them), numbers huge, tiny and negative, 200 KB
strings, lists of 100,000 numbers, nesting from 5 to 2,000 deep, layer sizes 0 and 10⁶, and objects that
use the protocol's real field names with such values (so the validators, not only the key check, meet them).

``Raw`` is JSON text inserted as it is (nesting 2,000 deep, which the Python encoder would recurse on).  A
``Raw`` marked ``breaks`` is a packet the server's JSON parser cannot read at all (nesting past its recursion
limit, an integer of more than 100 digits, which python-engineio's parser refuses), so the answer is an
``error`` naming ``packet`` rather than an ack.  Used by test_hardening_fuzz.py and bench/soak.py.
"""
from __future__ import annotations

import json

from hypothesis import strategies as st

from engine import presets

KNOWN = ("configure", "start", "pause", "step", "reset", "seek", "set", "predict", "gradcheck",
         "save_model", "load_model")
FIELDS = {"configure": presets.FIELDS, "start": ("speed", "until"), "pause": (), "step": ("unit",),
          "reset": ("seed",), "seek": ("epoch",), "set": ("lr", "speed"), "predict": ("input",), "gradcheck": (),
          "save_model": ("name",), "load_model": ("name",)}
OTHER_NAMES = ("connect", "disconnect", "connect_error", "disconnecting", "snapshot", "network", "status", "trace",
               "error", "message", "*", "", " ", "Configure", "predict ", "PREDICT", "__proto__", "constructor",
               "x" * 200, "名前", "\u0000", "\ud800")


class Raw(str):
    """JSON text sent as it is; ``breaks``: the server's parser cannot read it (the packet is refused)."""

    def __new__(cls, text, breaks=False):
        obj = super().__new__(cls, text)
        obj.breaks = breaks
        return obj


def deep(depth, breaks=False):
    return Raw("[" * depth + "]" * depth, breaks)


NAN, INF = float("nan"), float("inf")
NUMBERS = [NAN, INF, -INF, 0, -0.0, -1, 1, 0.5, 1e-7, 5e-324, 1e308, -1e308, 2**31, 2**32, 2**53 + 1, 2**63, -2**63,
           2**64, 10**6, -10**6, 10**6 + 1, 6, 7, 64, 65, 100, 101, 1000, 1e9]
BIG_STRING = "A" * 200_000  # 200 KB
BIG_LIST = Raw("[" + "0.5," * 99_999 + "1]")  # 100,000 numbers
BIG_LIST_NAN = Raw("[" + "0.5," * 99_999 + "NaN]")
HUGE_INT = Raw("9" * 100)  # the longest integer python-engineio's JSON parser reads: out of every range
TOO_LONG_INT = Raw("1" + "0" * 100, breaks=True)  # 101 digits: the parser refuses it (python-engineio's guard)
MAX_INT_DIGITS = 100
STRINGS = ["", "max", "full", "sample", "epoch", "letters", "xor-3-4-1", "relu", "../../etc/passwd", "..", "/",
           "C:\\x", "<script>alert(1)</script>", "a" * 64, "a" * 65, "x" * 257, "\u0000", "é", "\ud800", "NaN",
           "Infinity", "1e400", "null"]
HUGE = st.sampled_from([BIG_STRING, BIG_LIST, BIG_LIST_NAN, HUGE_INT, TOO_LONG_INT, deep(5), deep(50), deep(500),
                        deep(2000, breaks=True)])

numbers = st.sampled_from(NUMBERS) | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
leaves = st.none() | st.booleans() | numbers | st.sampled_from(STRINGS) | st.text(max_size=20)
keys = st.sampled_from(sorted({f for fs in FIELDS.values() for f in fs})) | st.text(max_size=12)
json_values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=6) | st.dictionaries(keys, inner, max_size=5),
                           max_leaves=20)
layer_lists = st.lists(st.sampled_from([0, 1, 2, 64, 65, 10**6, -1, 1.5, True, None, "5", NAN, INF]), max_size=8)
inputs = (st.lists(numbers, min_size=28, max_size=32) | st.lists(numbers, max_size=3)
          | st.just([0.0] * 30) | st.just([[0.0] * 30]))
field_values = {
    "preset": st.sampled_from([*presets.PRESETS, "nope", ""]),
    "layers": layer_lists | st.just([64] * 6) | st.just([10**6]) | st.just([0]),
    "input": inputs,
    "speed": st.sampled_from(["max", 0, 0.1, 0.2, 1000, 1001, -1, NAN, INF, "fast"]) | numbers,
    "unit": st.sampled_from(["epoch", "sample", "batch", "", None]),
    "name": (st.sampled_from(["net", "my net", "a" * 64, "a" * 65, "../x", "<b>", "", " x", "x\n"])
             | st.text(max_size=70)),
}
any_value = json_values | HUGE


def field_payload(event):
    """Objects with ``event``'s real field names, each holding a hostile (or sometimes a valid) value."""
    fields = FIELDS[event]
    if not fields:
        return st.just({}) | st.dictionaries(keys, any_value, max_size=3)
    some = st.fixed_dictionaries({}, optional={f: field_values.get(f, any_value) | any_value for f in fields})
    if event != "configure":
        return some
    # a real preset and one hostile field, so that each field's own check meets the value
    one = st.sampled_from(fields).flatmap(lambda f: st.fixed_dictionaries(
        {"preset": st.sampled_from(list(presets.PRESETS)), f: field_values.get(f, any_value) | any_value}))
    return some | one


payloads = any_value | st.sampled_from(KNOWN).flatmap(field_payload)
other_names = st.sampled_from(OTHER_NAMES) | st.text(max_size=24)


@st.composite
def events(draw):
    """``(name, args)``: mostly (7 in 10) a known name, mostly with one payload meant for it."""
    name = draw(st.sampled_from(KNOWN)) if draw(st.integers(0, 9)) < 7 else draw(other_names)
    shape = draw(st.sampled_from(["one"] * 6 + ["none", "two"]))
    if shape == "none":
        return name, ()
    first = draw(field_payload(name) | payloads) if name in FIELDS else draw(payloads)
    return name, (first,) if shape == "one" else (first, draw(payloads))


def encode(value):
    """JSON text of ``value``: NaN/Infinity as Python writes them, ``Raw`` as it is."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, list):
        return "[" + ",".join(encode(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(str(k)) + ":" + encode(v) for k, v in value.items()) + "}"
    return json.dumps(value)


def breaks(value):
    """True if the packet holding ``value`` cannot be parsed by the server at all."""
    if isinstance(value, Raw):
        return value.breaks
    if isinstance(value, list):
        return any(breaks(v) for v in value)
    if isinstance(value, dict):
        return any(breaks(v) for v in value.values())
    if isinstance(value, int) and not isinstance(value, bool):
        return len(str(abs(value))) > MAX_INT_DIGITS
    return False


def frame(ack_id, name, args):
    """The Engine.IO text frame of a Socket.IO event with an ack id."""
    return f"42{ack_id}[" + ",".join([json.dumps(name), *(encode(a) for a in args)]) + "]"


def expected(name, args):
    """What the server must answer without looking at the session: 'packet', 'event', 'payload' or None (either)."""
    if any(breaks(a) for a in args):
        return "packet"
    if name not in FIELDS:
        return "event"
    if len(args) > 1 or (args and args[0] is not None and not isinstance(args[0], dict)):
        return "payload"
    return None
