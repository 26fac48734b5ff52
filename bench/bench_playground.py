"""The 2-D presets at max speed through the engine, and what a test split and regularisation cost per epoch.

1. For each preset that learns: the epochs and the seconds (wall clock and CPU) until it reaches its target,
   training in chunks of ``--chunk`` epochs as the server does at max speed and reading the trainer's history
   (no extra forward pass).  Targets: ≥ 95 % training accuracy (spiral, circle-features), the lowest test loss
   (overfitting: when memorising starts), and the mean absolute error of the whole preset run (regression).
2. Side by side, in this process: the same run with and without a test split (half the points held out, or
   the same training points with the held-out half also evaluated), and with and without L2, as ratios.
   Each timing is the best of ``--repeat`` runs, taken alternately, by CPU time.

Usage: python3 -m bench.bench_playground [--chunk 50] [--repeat 3] [--epochs 2000]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from engine import Network, Trainer, presets  # noqa: E402
from engine.datasets import load, split  # noqa: E402


def clocks():
    return time.perf_counter(), time.process_time()


def to_target(name, chunk):
    s = presets.build({"preset": name})
    t, limit = s.trainer, s.preset["epochs"]
    (w0, c0), reached = clocks(), None
    while t.epoch < limit:
        t.run(min(chunk, limit - t.epoch))
        if s.dataset.task == "classification" and reached is None and t.history["accuracy"][-1] >= 0.95:
            reached = t.epoch
            if name != "overfitting":
                break
    w1, c1 = clocks()
    h = t.history
    if name == "overfitting":
        best = int(np.argmin(h["test_loss"]))
        return (f"lowest test loss {h['test_loss'][best]:.3f} at epoch {best}, {h['test_loss'][-1]:.3f} at "
                f"{t.epoch} (training loss {h['loss'][-1]:.4f})", t.epoch, w1 - w0, c1 - c0)
    if s.dataset.task == "regression":
        return (f"mean |y − a| {h['error'][0]:.3f} → {h['error'][-1]:.3f} (test {h['test_error'][-1]:.3f})",
                t.epoch, w1 - w0, c1 - c0)
    return f"≥ 95 % training accuracy at epoch {reached}", t.epoch, w1 - w0, c1 - c0


def trainer(kind, epochs):
    d = load("spirals", n_points=400, noise=10)
    train, test = split(d, 0.5, 0)
    reg = ("l2", 0.01) if kind == "l2" else ("none", 0.0)
    net = Network([2, 8, 8, 1], activation="tanh", output_activation="sigmoid", loss="bce", seed=1,
                  regularization=reg[0], reg_rate=reg[1])
    kw = {"X_test": test.X, "Y_test": test.Y} if kind == "test split" else {}
    return lambda: Trainer(net.copy(), train.X, train.Y, eta=0.1, batch=10, shuffle=True, shuffle_seed=1,
                           **kw).run(epochs)


def best_of(fns, repeat):
    best = {k: (np.inf, np.inf) for k in fns}
    for _ in range(repeat):
        for k, fn in fns.items():
            w0, c0 = clocks()
            fn()
            w1, c1 = clocks()
            best[k] = (min(best[k][0], w1 - w0), min(best[k][1], c1 - c0))
    return best


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chunk", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=2000)
    a = ap.parse_args(argv)
    print(f"1. presets at max speed (chunks of {a.chunk} epochs)")
    print(f"   {'preset':<18} {'epochs':>7} {'wall s':>7} {'cpu s':>7}  result")
    for name in ("spiral", "circle-features", "overfitting", "regression-bumps", "sine-curve"):
        what, epochs, wall, cpu = to_target(name, a.chunk)
        print(f"   {name:<18} {epochs:>7} {wall:>7.2f} {cpu:>7.2f}  {what}")
    print(f"2. cost per epoch, 200 training points of spirals, 2-8-8-1, batch 10, {a.epochs} epochs, "
          f"best of {a.repeat}")
    kinds = ("plain", "test split", "l2")
    best = best_of({k: trainer(k, a.epochs) for k in kinds}, a.repeat)
    for k in kinds:
        wall, cpu = best[k]
        print(f"   {k:<11} wall {wall:6.2f} s  cpu {cpu:6.2f} s  ratio {cpu / best['plain'][1]:.2f}×")


if __name__ == "__main__":
    main()
