"""What keeping a branchable state at each kept epoch costs (``engine.branching.capture``), side by side in one run.

A session keeps full states on the ``app.history.Keeper`` schedule so that the timeline can replay them; since
"what if" branches, each kept state also holds what a branch trains on from (``capture``: the momentum velocity
and the shuffle generator's state, besides the weights and biases).  For each setup below this trains the same
epochs three ways, alternately in the same process, stopping at the same kept epochs (as the session's loop does):

- ``stops``: the stops alone, nothing kept;
- ``weights``: a copy of the weights and biases kept at each stop (what replaying the timeline needs);
- ``capture``: ``capture(trainer)`` kept at each stop (what a branch needs: ``app/branches.kept``).

It prints the best CPU time of each over ``--repeat`` rounds, the ratios capture ÷ stops and capture ÷ weights,
and the bytes the kept states hold at the end (``tracemalloc``: what stays allocated after the run, less what
stays after ``stops``), with the ratio capture ÷ weights.  CPU time decides (a shared machine stretches wall time).

Usage: python3 -m bench.bench_capture [--epochs 3000] [--repeat 5]
"""
from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.history import Keeper, Kept  # noqa: E402
from bench import record  # noqa: E402
from engine import presets  # noqa: E402
from engine.branching import capture  # noqa: E402

SETUPS = {  # name: config
    "spiral, mini-batches, momentum": {"preset": "spiral", "batch": 10, "shuffle": True, "momentum": 0.9},
    "letters, per sample": {"preset": "letters"},
    "overfitting, full batch": {"preset": "overfitting"},
}
WAYS = ("stops", "weights", "capture")


def _weights(tr):
    return Kept(tr.epoch, [w.copy() for w in tr.net.weights], [b.copy() for b in tr.net.biases], 0.0)


def _capture(tr):
    state = capture(tr)
    return Kept(tr.epoch, state.weights, state.biases, state.eta, state=state)


KEEP = {"stops": None, "weights": _weights, "capture": _capture}


def train(config, epochs, way):
    """Train ``epochs`` stopping at the keeper's epochs, keeping ``way``'s state there (the keeper thins them as
    the session's does) → (CPU s, keeper)."""
    setup = presets.build(config)
    tr = setup.trainer
    keeper = Keeper(setup.net.n_params * 2)
    keep = KEEP[way]
    t = time.process_time()
    while tr.epoch < epochs:
        tr.run(min(keeper.next_due(tr.epoch), epochs) - tr.epoch)
        if keep is not None and keeper.is_due(tr.epoch):
            keeper.keep(keep(tr))
    return time.process_time() - t, keeper


def held_bytes(config, epochs, way):
    """Bytes still allocated after the run while its keeper lives (tracemalloc: arrays, generator states, the
    keeper's own lists) → (bytes, states kept)."""
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    _, keeper = train(config, epochs, way)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return after - before, len(keeper)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    figures = {}
    for name, config in SETUPS.items():
        best = {w: float("inf") for w in WAYS}
        for _ in range(args.repeat):
            for way in WAYS:  # alternately, so load changes touch all three alike
                best[way] = min(best[way], train(config, args.epochs, way)[0])
        memory = {w: held_bytes(config, args.epochs, w) for w in WAYS}
        memory = {w: (memory[w][0] - memory["stops"][0], memory[w][1]) for w in WAYS}  # less what stays anyway
        row = {
            "cpu_s": {w: round(best[w], 4) for w in WAYS},
            "cpu_capture_over_stops": round(best["capture"] / best["stops"], 3),
            "cpu_capture_over_weights": round(best["capture"] / best["weights"], 3),
            "kept_states": memory["capture"][1],
            "bytes_weights": memory["weights"][0],
            "bytes_capture": memory["capture"][0],
            "memory_capture_over_weights": round(memory["capture"][0] / max(1, memory["weights"][0]), 3),
        }
        figures[name] = row
        print(f"{name}: {args.epochs} epochs, {row['kept_states']} kept states | CPU s stops "
              f"{best['stops']:.3f}, weights {best['weights']:.3f}, capture {best['capture']:.3f} | capture ÷ stops "
              f"{row['cpu_capture_over_stops']}, capture ÷ weights {row['cpu_capture_over_weights']} | held "
              f"{row['bytes_weights'] / 1e6:.2f} MB weights, {row['bytes_capture'] / 1e6:.2f} MB capture, "
              f"ratio {row['memory_capture_over_weights']}")
    record.write("bench_capture", figures, vars(args))
    return figures


if __name__ == "__main__":
    main()
