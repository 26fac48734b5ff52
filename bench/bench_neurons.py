"""What the per-neuron pictures and a test split cost per snapshot, side by side in one run.

For the ``spiral`` and ``overfitting`` presets (trained 200 epochs first, so the numbers are a running network's)
it composes, alternately in the same process, one live snapshot with a boundary (``app.frames.live``, as the
session sends a few times a second) in four ways: without the per-neuron maps and without a test split; with the
maps (``boundary.neurons``); with a split (``test_fraction`` 0.5, the overfitting preset's own, over twice the
points so that the training set is the same) and no maps; with both. It prints the best CPU ms of each, their
ratios to the plain one, and the snapshot's size in bytes of compact JSON (as the server encodes it), with and
without each part.  CPU time decides (a shared machine stretches wall-clock time, not CPU time).  The maps come
only with a boundary, at most ``BOUNDARY_RATE`` (20) times a second, so their share of a core is 20 × their cost.

Usage: python3 bench/bench_neurons.py [--repeat 5]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import frames  # noqa: E402
from engine import presets  # noqa: E402

PRESETS = ("spiral", "overfitting")
SPLIT = 0.5
WAYS = {  # name: (maps, split)
    "plain": (False, False),
    "neuron maps": (True, False),
    "test split": (False, True),
    "both": (True, True),
}


def cpu(fn, n):
    t = time.process_time()
    for _ in range(n):
        fn()
    return (time.process_time() - t) / n


def setups(preset):
    """The preset without a split, and with one over twice the points (the same number of training points, so the
    difference is the held-out points' own cost), each trained the same 200 epochs."""
    n_points = presets.PRESETS[preset]["config"]["n_points"]
    out = {}
    for split in (False, True):
        s = presets.build({"preset": preset, "test_fraction": SPLIT if split else 0.0,
                           "n_points": round(n_points / (1 - SPLIT)) if split else n_points})
        s.trainer.run(200)
        out[split] = s
    return out


def measure(preset, repeat, n=20):
    built = setups(preset)
    best = {w: float("inf") for w in WAYS}
    for _ in range(repeat):
        for way, (maps, split) in WAYS.items():  # alternately, so load changes touch all four alike
            s = built[split]
            best[way] = min(best[way], cpu(lambda s=s, maps=maps: frames.live(s, boundary=True, neurons=maps), n))
    size = {w: len(json.dumps(frames.live(built[split], boundary=True, neurons=maps), separators=(",", ":")))
            for w, (maps, split) in WAYS.items()}
    return built, best, size


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    for preset in PRESETS:
        built, best, size = measure(preset, args.repeat)
        net, tr = built[False].net, built[True].trainer
        print(f"\n{preset}: {net.sizes}, {len(built[False].trainer.X)} training points without a split, "
              f"{len(tr.X)} + {len(tr.X_test)} test with test_fraction {SPLIT}")
        print(f"{'snapshot with boundary':<24}{'CPU ms':>9}{'× plain':>9}{'JSON bytes':>12}{'× plain':>9}")
        for way in WAYS:
            print(f"{way:<24}{best[way] * 1e3:>9.3f}{best[way] / best['plain']:>9.2f}"
                  f"{size[way]:>12,}{size[way] / size['plain']:>9.2f}")
        maps = size["neuron maps"] - size["plain"]
        print(f"the maps alone: {maps:,} bytes for {sum(net.sizes[1:])} neurons "
              f"({maps / sum(net.sizes[1:]):,.0f} per 16×16 map)")


if __name__ == "__main__":
    main()
