"""Times the engine against the seed scripts it reproduces, in the same run, and prints the ratios.

1. Whole process against whole process: seed 000's script (verbatim, 300,000 epochs instead of 60,000)
   against ``backprop-playground train xor-trask --epochs 300000`` (or ``python3 -m app.train_cli …`` when
   the console script is not installed), which records the per-epoch history.  Target: ≤ 1.2×.
2. Seed 002's training loop (its FFNN class verbatim, without matplotlib) against the ``letters`` preset's
   per-sample SGD, the same epochs, in this process.  Target: ≤ 1.3×.
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
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

SEED_000 = '''\
import numpy as np

def Sigmoid(Z,Deriv = False):
    P = np.reciprocal(1+np.exp(-Z))
    if Deriv == False:
        return P
    else:
        return Z*(1-Z)

#Input Data
X = np.array([[0,0,1],[0,1,1],[1,0,1],[1,1,1]])
Y = np.array([[0],
              [1],
              [1],
              [0]])

np.random.seed(1)
W1 = 2*np.random.random((3,4)) - 1
W2 = 2*np.random.random((4,1)) - 1

#Training

for j in range(EPOCHS):
    L0 = X  #Input Layer
    L1 = Sigmoid(np.dot(L0,W1))  #First Hidden Layer
    L2 = Sigmoid(np.dot(L1,W2))  # Output Layer

    L2_Error = Y - L2

    if j % 1000 == 0:
        print("Error: " + str(np.mean(np.abs(L2_Error))))

    L2_Delta = L2_Error * Sigmoid(L2,Deriv = True)   #Output Layer Error
    #Now How much layer 1 contributed in the error of Layer 2
    L1_Error = L2_Delta.dot(W2.T)
    L1_Delta = L1_Error * Sigmoid(L1,Deriv = True)  # Hidden Layer Erro

    #Updates
    W2 += L1.T.dot(L2_Delta)
    W1 += L0.T.dot(L1_Delta)
print("Output After Training")
print(L2)
'''


# -- seed 002's network, verbatim but for the matplotlib test() -----------------------------------------
def sigmoid(input, derivative=False):
    if derivative:
        return sigmoid(input) * (1 - sigmoid(input))
    return 1 / (1 + np.exp(-input))


class FFNN:
    def __init__(self, learning_rate, num_epochs):
        self.w1 = np.random.randn(30, 5)
        self.w2 = np.random.randn(5, 3)
        self.learning_rate = learning_rate
        self.num_epochs = num_epochs

    def forward(self, input):
        self.z1 = np.dot(input, self.w1)
        self.a1 = sigmoid(self.z1)
        self.z2 = np.dot(self.a1, self.w2)
        self.a2 = sigmoid(self.z2)

    def backward(self, input, error):
        error2 = error * sigmoid(self.z2, derivative=True)
        d2 = np.dot(self.a1.T, error2)
        error1 = np.dot(self.w2, error2.T).T * sigmoid(self.z1, derivative=True)
        d1 = np.dot(input.T, error1)
        self.w1 -= d1 * self.learning_rate
        self.w2 -= d2 * self.learning_rate

    def train(self, inputs, labels):
        for _ in range(self.num_epochs):
            for input, label in zip(inputs, labels):  # noqa: B905 - verbatim
                self.forward(input)
                self.backward(input, self.a2 - label)


def seed_002_seconds(epochs, seed):
    from engine.datasets import LETTER_PIXELS

    np.random.seed(seed)
    net = FFNN(learning_rate=0.1, num_epochs=epochs)
    x = [np.array(LETTER_PIXELS[c]).reshape(1, 30) for c in "ABC"]
    y = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    t = time.process_time()
    net.train(x, y)
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
    if exe and subprocess.run([exe, "train", "xor-trask", "--epochs", "0"], capture_output=True).returncode == 0:
        return [exe, "train", "xor-trask", "--epochs", str(epochs)]
    return [sys.executable, "-m", "app.train_cli", "xor-trask", "--epochs", str(epochs)]


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
    ap.add_argument("--epochs", type=int, default=300_000, help="xor-trask epochs (default 300,000)")
    ap.add_argument("--letters-epochs", type=int, default=20_000, help="letters epochs (default 20,000)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    cmd = engine_command(args.epochs)
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp, "seed_000.py")
        script.write_text(SEED_000.replace("EPOCHS", str(args.epochs)))
        seed_times, engine_times = [], []
        for _ in range(args.repeat):
            seed_times.append(whole_process([sys.executable, str(script)], env))
            engine_times.append(whole_process(cmd, env))
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, NumPy {np.__version__}")
    print(f"\n1. xor-trask, {args.epochs:,} epochs, whole process, best of {args.repeat}: "
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

    torch_epochs = min(args.epochs, 30_000)
    tt = torch_seconds(torch_epochs)
    if tt is None:
        print("\n3. PyTorch: not installed, skipped")
    else:
        from engine import presets

        s = presets.build({"preset": "xor-trask"})
        t = time.perf_counter()
        s.trainer.run(torch_epochs)
        et = time.perf_counter() - t
        print(f"\n3. xor-trask {torch_epochs:,} epochs in process: PyTorch CPU {tt:.2f} s, engine {et:.2f} s, "
              f"ratio engine/torch {et / tt:.2f}")
    return 0 if ratio1 <= 1.2 and ratio2 <= 1.3 else 1


if __name__ == "__main__":
    sys.exit(main())
