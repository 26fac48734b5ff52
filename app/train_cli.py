"""``backprop-playground train PRESET``: train a preset in the terminal, no server.

By default it draws a progress bar on stderr (when that is a terminal) and prints a short table of the
logged epochs, then the trained network's outputs.  With ``--json`` it prints
one JSON object per logged epoch, ``{"epoch": e, "loss": …, "error": …}``, then
``{"final": {"weights": …, "biases": …, "outputs": …}}``.  The figures of epoch
e are ``Trainer.state()`` at the start of epoch e: the network before update
e on the whole training set (epoch 0 is the untrained network), the same
computation as the closing "after N epochs" line and as the page's status, so
``--epochs 0`` and the table's epoch-0 row agree for every preset.  (The
engine's per-epoch history, for per-sample and mini-batch presets, averages
outputs taken while the epoch's updates were being made, so it differs.)
``outputs`` are those of the trained network.  A bad argument is one line on
stderr and exit status 2.

It imports the engine and the standard library only — never Flask.
"""
from __future__ import annotations

import json
import math
import sys

from engine import checks, presets
from engine.checks import MAX_EPOCHS

PROG = "backprop-playground train"
BAR_WIDTH = 30
BAR_STEPS = 50


def add_arguments(parser):
    parser.add_argument("preset", help=f"one of {', '.join(presets.PRESETS)}")
    parser.add_argument("--epochs", type=int, help="epochs to train (default: the preset's)")
    parser.add_argument("--seed", type=int, help="seed for the initial weights (default: the preset's)")
    parser.add_argument("--lr", type=float, help="learning rate η (default: the preset's)")
    parser.add_argument("--log-every", type=int, dest="log_every", metavar="K",
                        help="log every K-th epoch, from epoch 0 (default: about ten lines)")
    parser.add_argument("--json", action="store_true", help="JSON lines instead of the table")
    return parser


def _fail(message):
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2


def _number(x):
    x = float(x)
    return x if math.isfinite(x) else None


def _setup(args):
    """(setup, epochs, log_every) or ValueError naming the bad argument."""
    config = {"preset": args.preset}
    if args.seed is not None:
        config["seed"] = args.seed
    if args.lr is not None:
        config["lr"] = args.lr
    setup = presets.build(config)
    epochs = setup.preset["epochs"] if args.epochs is None else args.epochs
    epochs = checks.whole("epochs", epochs, 0, MAX_EPOCHS, "Epochs")
    log_every = max(1, epochs // 10) if args.log_every is None else args.log_every
    log_every = checks.whole("log-every", log_every, 1, MAX_EPOCHS, "Log every")
    return setup, epochs, log_every


def _progress(done, total):
    filled = BAR_WIDTH * done // max(total, 1)
    print(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:,}/{plural(total, 'epoch')}", end="",
          file=sys.stderr, flush=True)


def plural(n, word):
    """``1 epoch``, ``2 epochs``, ``1,000 epochs``."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _train_to(trainer, epoch, total, show_bar):
    """Train until ``trainer.epoch == epoch`` (or divergence), drawing the bar out of ``total`` if asked."""
    step = max(1, -(-total // BAR_STEPS)) if show_bar else epoch
    while trainer.epoch < epoch and not trainer.diverged:
        ran = trainer.run(min(step, epoch - trainer.epoch))
        if show_bar:
            _progress(trainer.epoch, total)
        if not ran:
            break


def _logged_states(trainer, epochs, log_every, show_bar):
    """``trainer.state()`` at the start of each logged epoch (0, K, 2K, … below ``epochs``), training between."""
    if show_bar:
        _progress(0, epochs)
    for e in range(0, max(epochs, 1), log_every):
        _train_to(trainer, e, epochs, show_bar)
        if trainer.epoch < e:  # diverged before this epoch
            break
        yield trainer.state()
    _train_to(trainer, epochs, epochs, show_bar)
    if show_bar:
        print(file=sys.stderr)


def _final(setup):
    net = setup.net
    return {"weights": [w.tolist() for w in net.weights], "biases": [b.tolist() for b in net.biases],
            "outputs": net.predict(setup.trainer.X).tolist()}


def run(args) -> int:
    try:
        setup, epochs, log_every = _setup(args)
    except ValueError as e:
        return _fail(e)
    trainer = setup.trainer
    states = _logged_states(trainer, epochs, log_every, show_bar=not args.json and sys.stderr.isatty())
    if args.json:
        for st in states:
            print(json.dumps({"epoch": st.epoch, "loss": _number(st.loss), "error": _number(st.error)}))
        final = _final(setup)
        if trainer.diverged:
            final["diverged"] = {"epoch": trainer.diverged.epoch, "reason": trainer.diverged.reason}
        print(json.dumps({"final": final}))
        return 0
    meta = setup.preset
    print(f"{meta['name']}: {meta['title']}, sizes {setup.net.sizes}")
    print(f"{'epoch':>10} {'loss':>12} {'mean |y-a|':>12} {'accuracy':>9}")
    for st in states:
        print(f"{st.epoch:>10,} {st.loss:>12.6g} {st.error:>12.6g} {st.accuracy:>9.2f}")
    if trainer.diverged:
        print(f"diverged at epoch {trainer.diverged.epoch:,}: {trainer.diverged.reason}")
    state = trainer.state()
    print(f"after {plural(trainer.epoch, 'epoch')}: loss {state.loss:.6g}, mean |y-a| {state.error:.6g}, "
          f"accuracy {state.accuracy:.2f}")
    labels = setup.dataset.labels
    for i, (y, a) in enumerate(zip(trainer.Y, state.outputs, strict=True)):
        target = labels[int(y.argmax())] if y.size > 1 else f"{y[0]:g}"
        print(f"  sample {i}: target {target}  output {' '.join(f'{v:.3f}' for v in a)}")
        if i == 9 and len(trainer.Y) > 10:
            print(f"  … {len(trainer.Y) - 10} more samples")
            break
    return 0


if __name__ == "__main__":  # python -m app.train_cli PRESET ... (what bench/ times when no console script)
    import argparse

    sys.exit(run(add_arguments(argparse.ArgumentParser(prog=PROG)).parse_args()))
