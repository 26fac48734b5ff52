"""Percentiles for the benchmarks' latency figures."""
from __future__ import annotations


def percentile(values, q):
    """The ``q`` quantile (0 to 1) of ``values``, nearest rank from below; NaN when there are none."""
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")
