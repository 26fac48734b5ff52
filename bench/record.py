"""One writer for every benchmark's figures: ``bench/results/<name>.json``, which docs/benchmarks.md shows.

Each file holds one run: when and where it was measured (UTC time, the machine's load average and cores, the
Python and NumPy versions), the options it ran with, and its figures (the ratios the benchmark prints, and the
raw numbers behind them).  A new run replaces the file; ``git diff`` shows what changed.
"""
from __future__ import annotations

import datetime
import json
import os
import platform
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def write(name, figures, options=None, folder=RESULTS):
    """Write ``figures`` (JSON-able) as ``folder/<name>.json`` with the run's circumstances; the path written."""
    import numpy

    doc = {
        "bench": name,
        "measured_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "options": dict(options or {}),
        "figures": figures,
    }
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    print(f"results written to {path}")
    return path
