"""The shape of a fixture that hands out things and cleans every one up afterwards."""
from __future__ import annotations

import contextlib


@contextlib.contextmanager
def each_closed(make, close=lambda thing: thing.close()):
    """``make`` for the ``with`` block; afterwards ``close(thing)`` for every thing it made, in order.

    In a fixture: ``with each_closed(lambda url: Recorder(url)) as connect: yield connect``.
    """
    made = []

    def tracked(*args, **kwargs):
        thing = make(*args, **kwargs)
        made.append(thing)
        return thing

    try:
        yield tracked
    finally:
        for thing in made:
            close(thing)
