"""The letters as the engine draws them (``engine.datasets.LETTER_PIXELS``), as lists ready to send."""
from __future__ import annotations

from engine.datasets import LETTER_PIXELS

LETTERS = {label: list(pixels) for label, pixels in LETTER_PIXELS.items()}
LETTER_A, LETTER_B, LETTER_C = LETTERS["A"], LETTERS["B"], LETTERS["C"]
