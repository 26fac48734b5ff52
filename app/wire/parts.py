"""The snapshot's optional parts, named once, and the one rule that carries them over.

Most of a ``snapshot`` is sent with every frame; a few parts are costly and come only a few times a second
(``OPTIONAL``: the part's name → what it is).  A frame without one keeps the last one: wherever a frame can be
superseded or drawn without them — a viewer's gate (``app/flow.py``), the classroom's room and student gates
(``app/fanout.py``), the page (``static/core/wire.js``, which reads the names from ``GET /api/schema``'s ``wire``) —
``carry`` is the rule.  The mistake lab's ``companion`` is a snapshot body of its own, with its own ``curve``:
the rule carries its parts too (``NESTED``).

``Pacer`` decides which optional parts a new frame is due to carry (each at its own rate).  Nothing here knows
about engines, sockets or threads.
"""
from __future__ import annotations

import time

OPTIONAL = {
    "curve": "the whole run's per-epoch history (loss, error, accuracy), ≤ 500 points",
    "boundary": "a 2-D dataset's output over the plane (and each neuron's map), or a 1-D dataset's fitted curve",
}
NESTED = ("companion",)  # parts that are snapshot bodies themselves: their optional parts are carried alike


def carry(older, newer):
    """``newer`` plus the optional parts ``older`` had and ``newer`` lacks (also inside ``NESTED`` parts whose
    both frames have them); ``newer`` itself, unchanged, when nothing is missing.  Never mutates either."""
    if not older:
        return newer
    extra = {k: older[k] for k in OPTIONAL if k in older and k not in newer}
    for k in NESTED:
        inner_old, inner_new = older.get(k), newer.get(k)
        if isinstance(inner_old, dict) and isinstance(inner_new, dict):
            inner = carry(inner_old, inner_new)
            if inner is not inner_new:
                extra[k] = inner
    return {**newer, **extra} if extra else newer


def describe():
    """What ``GET /api/schema`` says of the wire: the optional parts the page carries over."""
    return {"optional": list(OPTIONAL), "nested": list(NESTED)}


class Pacer:
    """Which optional parts a frame built now should carry: each at most ``rates[part]`` times a second, all
    of them when ``force`` (the first frame, pause, step, the end of a run)."""

    def __init__(self, **rates):
        unknown = set(rates) - set(OPTIONAL)
        if unknown:
            raise ValueError(f"rates: {sorted(unknown)} are not optional parts ({', '.join(OPTIONAL)})")
        self.dt = {k: 1.0 / rates[k] for k in OPTIONAL}
        self.last = dict.fromkeys(OPTIONAL, 0.0)

    def due(self, force=False, now=None):
        now = time.monotonic() if now is None else now
        return {k: force or now - self.last[k] >= self.dt[k] for k in OPTIONAL}

    def sent(self, frame, now=None):
        """``frame`` went out: the parts it carries are fresh."""
        now = time.monotonic() if now is None else now
        for k in OPTIONAL:
            if k in frame:
                self.last[k] = now
