"""Numbers as the page prints them, for tests that compare the page's words with the server's numbers.

The rule's home is ``static/lib/visual-kit.js``; ``tests/browser/test_numbers_and_colours.py`` pins it there.
"""
from __future__ import annotations

THIN_SPACE = "\u2009"


def count(n):
    """A count (an epoch, a number of samples) as ``fmtInt`` prints it: thin-space thousands, ``60 000``."""
    return f"{n:,}".replace(",", THIN_SPACE).replace("-", "\u2212")
