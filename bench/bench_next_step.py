"""What the UPDATE card's truth costs: ``snapshot.next`` (``Trainer.next_update``) beside one epoch and one frame.

For each setup it times, in the same process and alternately, one training epoch (``Trainer.run(1)``), one live
frame without ``next`` and one with it (``app.frames.live``), and prints the ratios: next / epoch (expected ≈ 1,
since the next step *is* an epoch worked out on a copy) and frame with next / frame without.  At most 60 frames a
second are composed, so the share of a core the card costs while training is 60 × (its time per frame).
CPU time decides (a shared machine stretches wall-clock time, not CPU time).

Usage: python3 -m bench.bench_next_step [--repeat 5]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from app import frames  # noqa: E402
from app.wire import encode  # noqa: E402

SETUPS = {
    "letters, per sample (the default)": {"preset": "letters"},
    "letters, momentum 0.9, full batch": {"preset": "letters", "momentum": 0.9, "batch": "full"},
    "2-D moons, 100 points, per sample": {"preset": "binary-2-5-5-1", "batch": "sample"},
    "2-D moons, 100 points, full batch": {"preset": "binary-2-5-5-1"},
    "letters, 6 hidden layers of 64, full batch": {"preset": "letters", "layers": [64] * 6, "batch": "full"},
}


def cpu(fn, n):
    t = time.process_time()
    for _ in range(n):
        fn()
    return (time.process_time() - t) / n


def measure(config, repeat, n=20):
    """Best CPU ms of one epoch, one ``next``, one frame without and with it."""
    setup, companion = frames.build(config)
    tr = setup.trainer
    tr.run(5)
    keep = min(8, frames.STEP_NUMBERS // max(1, setup.net.n_params))
    best = {"epoch": 1e9, "next": 1e9, "full": 1e9}
    for _ in range(repeat):
        best["epoch"] = min(best["epoch"], cpu(lambda: tr.run(1), n))
        best["next"] = min(best["next"], cpu(
            lambda: encode.next_update(tr.next_update(keep_steps=keep), setup.dataset.n_samples), n))
        best["full"] = min(best["full"], cpu(lambda: frames.live(setup, companion), n))
    best["bare"] = best["full"] - best["next"]
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    print(f"{'setup':44} {'epoch ms':>9} {'next ms':>8} {'next/epoch':>10} {'frame ms':>9} {'+next':>6} "
          f"{'core % at 60 fps':>16}")
    for name, config in SETUPS.items():
        b = measure(config, args.repeat)
        print(f"{name:44} {b['epoch'] * 1e3:9.3f} {b['next'] * 1e3:8.3f} {b['next'] / b['epoch']:10.2f} "
              f"{b['bare'] * 1e3:9.3f} {b['full'] / b['bare']:5.2f}× {60 * b['next'] * 100:15.1f}%")


if __name__ == "__main__":
    main()
