"""Times the engine against the seed scripts it reproduces, in the same run, and prints the ratios.

1. Whole process against whole process: seed 000's loop (``tests/support/seeds.py``, the script's own code
   with its printed errors kept instead of printed; 300,000 epochs instead of 60,000)
   against ``backprop-playground train xor-3-4-1 --epochs 300000`` (or ``python3 -m app.train_cli …`` when
   the console script is not installed), which records the per-epoch history.  Target: ≤ 1.2×.
2. Seed 002's training loop (its FFNN class from ``tests/support/seeds.py``, recording nothing) against the
   ``letters`` preset's per-sample SGD, the same epochs, in this process.  Target: ≤ 1.3×.
3. PyTorch on CPU, the same 3-4-1 full-batch loop, only if ``torch`` is importable.

Each timing is the best of ``--repeat`` runs, taken alternately so that a busy machine slows both alike.
CPU time (user + system) is printed beside wall-clock time and decides the ratios, because on a shared
machine other processes stretch wall-clock time but not the CPU time a run needs.
Usage: python3 -m bench.bench_engine [--epochs 300000] [--letters-epochs 20000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from bench import record
from tests.support import seeds

ROOT = Path(__file__).resolve().parent.parent

SEED_000 = "from tests.support.seeds import seed_000; seed_000({epochs})"  # run with python3 -c, from ROOT


def seed_002_seconds(epochs, seed):
    """(CPU seconds, final weights) of seed 002's loop (tests/support/seeds.py, nothing recorded)."""
    t = time.process_time()
    net, _ = seeds.seed_002_net(seed, epochs, record=False)
    return time.process_time() - t, [net.w1, net.w2]


def letters_seconds(epochs):
    from engine import presets

    s = presets.build({"preset": "letters"})
    t = time.process_time()
    s.trainer.run(epochs)
    elapsed = time.process_time() - t
    assert len(s.trainer.history["loss"]) == epochs
    return elapsed, s.net.weights, s.config["seed"]


def engine_command(epochs):
    exe = shutil.which("backprop-playground")
    if exe and subprocess.run([exe, "train", "xor-3-4-1", "--epochs", "0"], capture_output=True).returncode == 0:
        return [exe, "train", "xor-3-4-1", "--epochs", str(epochs)]
    return [sys.executable, "-m", "app.train_cli", "xor-3-4-1", "--epochs", str(epochs)]


def whole_process(cmd, env):
    """(wall seconds, CPU seconds) of one run of ``cmd``; CPU time is user + system of the child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def torch_seconds(epochs):
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    X = torch.tensor([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=torch.float64)
    Y = torch.tensor([[0], [1], [1], [0]], dtype=torch.float64)
    g = torch.Generator().manual_seed(1)
    W1 = (2 * torch.rand(3, 4, generator=g, dtype=torch.float64) - 1).requires_grad_()
    W2 = (2 * torch.rand(4, 1, generator=g, dtype=torch.float64) - 1).requires_grad_()
    errors = torch.empty(epochs, dtype=torch.float64)
    t = time.perf_counter()
    for j in range(epochs):
        out = torch.sigmoid(torch.sigmoid(X @ W1) @ W2)
        loss = 0.5 * ((out - Y) ** 2).sum()
        errors[j] = (Y - out).abs().mean().detach()
        W1.grad = W2.grad = None
        loss.backward()
        with torch.no_grad():
            W1 -= W1.grad
            W2 -= W2.grad
    return time.perf_counter() - t


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=300_000, help="xor-3-4-1 epochs (default 300,000)")
    ap.add_argument("--letters-epochs", type=int, default=20_000, help="letters epochs (default 20,000)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    cmd = engine_command(args.epochs)
    seed_cmd = [sys.executable, "-c", SEED_000.format(epochs=args.epochs)]
    seed_times, engine_times = [], []
    for _ in range(args.repeat):
        seed_times.append(whole_process(seed_cmd, env))
        engine_times.append(whole_process(cmd, env))
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, NumPy {np.__version__}")
    print(f"\n1. xor-3-4-1, {args.epochs:,} epochs, whole process, best of {args.repeat}: "
          "wall-clock and CPU (user + sys) seconds, median in brackets")
    for label, times in (("seed 000 script", seed_times), ("engine", engine_times)):
        wall, cpu = [w for w, _ in times], [c for _, c in times]
        print(f"   {label:<17} wall {min(wall):6.2f} s ({statistics.median(wall):.2f})   "
              f"CPU {min(cpu):6.2f} s ({statistics.median(cpu):.2f})")
    print(f"   engine command: {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(cmd))}")
    wall_ratio = min(w for w, _ in engine_times) / min(w for w, _ in seed_times)
    ratio1 = min(c for _, c in engine_times) / min(c for _, c in seed_times)
    print(f"   ratio engine/seed: wall {wall_ratio:.2f}, CPU {ratio1:.2f}   (target ≤ 1.2)")

    seed_t, engine_t = [], []
    for _ in range(args.repeat):
        e, w_engine, seed = letters_seconds(args.letters_epochs)
        s, w_seed = seed_002_seconds(args.letters_epochs, seed)
        engine_t.append(e)
        seed_t.append(s)
    same = all(np.array_equal(a, b) for a, b in zip(w_engine, w_seed, strict=True))
    print(f"\n2. letters per-sample SGD, {args.letters_epochs:,} epochs × 3 samples, in process, "
          f"CPU seconds, best of {args.repeat}")
    print(f"   seed 002 loop     {min(seed_t):7.2f} s")
    print(f"   engine            {min(engine_t):7.2f} s   (same final weights bit for bit: {same})")
    ratio2 = min(engine_t) / min(seed_t)
    print(f"   ratio engine/seed {ratio2:7.2f}   (target ≤ 1.3)")

    best = {label: {"wall_s": round(min(w for w, _ in t), 3), "cpu_s": round(min(c for _, c in t), 3)}
            for label, t in (("seed", seed_times), ("engine", engine_times))}
    figures = {"xor_trask_whole_process": {**best, "ratio_wall": round(wall_ratio, 3), "ratio_cpu": round(ratio1, 3),
                                           "target": 1.2},
               "letters_sgd_cpu_s": {"seed": round(min(seed_t), 3), "engine": round(min(engine_t), 3),
                                     "ratio": round(ratio2, 3), "target": 1.3, "same_weights": same},
               "torch": None}
    torch_epochs = min(args.epochs, 30_000)
    tt = torch_seconds(torch_epochs)
    if tt is None:
        print("\n3. PyTorch: not installed, skipped")
    else:
        from engine import presets

        s = presets.build({"preset": "xor-3-4-1"})
        t = time.perf_counter()
        s.trainer.run(torch_epochs)
        et = time.perf_counter() - t
        print(f"\n3. xor-3-4-1 {torch_epochs:,} epochs in process: PyTorch CPU {tt:.2f} s, engine {et:.2f} s, "
              f"ratio engine/torch {et / tt:.2f}")
        figures["torch"] = {"epochs": torch_epochs, "torch_s": round(tt, 3), "engine_s": round(et, 3)}
    record.write("bench_engine", figures, vars(args))
    return 0 if ratio1 <= 1.2 and ratio2 <= 1.3 else 1


if __name__ == "__main__":
    sys.exit(main())
