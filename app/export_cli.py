"""``backprop-playground export PRESET``: the preset as a standalone NumPy script (``engine/export.py``).

``--layout row`` writes ``Z = A @ W + b`` (samples are rows), ``--layout column`` writes ``Z = W @ A + b``
(samples are columns).  ``--variant`` writes a mistake-lab rule as the lines it changes.  The script goes to
stdout, or to ``-o FILE`` (a ``.ipynb`` name writes the notebook).  A bad argument is one line on stderr and
exit status 2.  It imports the engine and the standard library (and nbformat for a notebook), never Flask.
"""
from __future__ import annotations

import sys

from engine import export, presets
from engine.trainer import MAX_EPOCHS_PER_RUN
from engine.variants import VARIANTS

PROG = "backprop-playground export"


def add_arguments(parser):
    parser.add_argument("preset", help=f"one of {', '.join(presets.PRESETS)}")
    parser.add_argument("--layout", default="row", help="row (Z = A @ W + b, the default) or column (Z = W @ A + b)")
    parser.add_argument("--epochs", type=int, help="epochs to train (default: the preset's)")
    parser.add_argument("--variant", help=f"a mistake-lab rule: one of {', '.join(VARIANTS)}")
    parser.add_argument("--lr", type=float, help="learning rate η (default: the preset's)")
    parser.add_argument("--seed", type=int, help="seed for the initial weights (default: the preset's)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (.py, or .ipynb for a notebook)")
    return parser


def config_of(args):
    """The configuration the arguments name, or ValueError naming the bad one."""
    if args.preset not in presets.PRESETS:
        raise ValueError(f"preset: {args.preset!r} is not one of {', '.join(presets.PRESETS)}")
    config = {"preset": args.preset}
    for name in ("variant", "lr", "seed"):
        if getattr(args, name) is not None:
            config[name] = getattr(args, name)
    if args.epochs is not None and not 0 <= args.epochs <= MAX_EPOCHS_PER_RUN:
        raise ValueError(f"epochs: {args.epochs} is not a whole number from 0 to {MAX_EPOCHS_PER_RUN}")
    return config


def run(args) -> int:
    notebook = bool(args.output) and args.output.endswith(".ipynb")
    try:
        config = config_of(args)
        if notebook:
            from .notebook import notebook_text

            text = notebook_text(config, args.layout, args.epochs)
        else:
            text = export.script(config, args.layout, args.epochs)
    except ValueError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    if not args.output:
        sys.stdout.write(text)
        return 0
    try:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        print(f"{PROG}: error: -o: cannot write {args.output}: {e.strerror}", file=sys.stderr)
        return 2
    return 0
