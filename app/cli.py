"""The ``backprop-playground`` command: ``serve`` (the default), ``train PRESET`` or ``export PRESET``.

Each subcommand lives in its own module (``add_arguments(parser)`` and ``run(args)``), listed in ``COMMANDS``
and imported only when the command line is built, so ``train`` never imports Flask.  A new subcommand is one
line in ``COMMANDS`` and its module.

It behaves like a Unix tool: a bad argument is one line on stderr and exit status 2; the top-level ``--help``
shows the serve options too (serve is what runs without a command); and when the reader of its output goes
away (``backprop-playground train letters --json | head -1``) it stops quietly with exit status 0.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

PROG = "backprop-playground"
DEFAULT = "serve"
COMMANDS = {  # name: (module in this package, one line of help)
    "serve": ("serve_cli", "start the playground server (the default)"),
    "train": ("train_cli", "train a preset in the terminal"),
    "export": ("export_cli", "write a preset as a standalone NumPy script"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit status 2
        self.exit(2, f"{self.prog}: error: {message}\n")


class _TopParser(_Parser):
    """The top-level parser: its help ends with the default command's options, which work without its name."""

    default_parser = None

    def format_help(self):
        text = super().format_help()
        if self.default_parser is None:
            return text
        blocks = self.default_parser.format_help().rstrip("\n").split("\n\n")[2:]  # minus usage and description
        blocks = [b.replace("options:\n", f"{DEFAULT} options:\n", 1) for b in blocks]
        blocks = ["\n".join(ln for ln in b.splitlines() if not ln.lstrip().startswith("-h, --help")) for b in blocks]
        return (f"{text}\nWithout a command it runs '{DEFAULT}': {PROG} [{DEFAULT}] [options]\n\n"
                + "\n\n".join(blocks) + "\n")


def build_parser():
    """The parser of every command in ``COMMANDS``; ``parser.commands`` maps each name to its module."""
    parser = _TopParser(prog=PROG, description="Watch a small neural network learn by backpropagation.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="{" + ",".join(COMMANDS) + "}")
    modules = {}
    for name, (module_name, help_) in COMMANDS.items():
        module = modules[name] = importlib.import_module(f".{module_name}", __package__)
        command = sub.add_parser(name, help=help_, description=help_[:1].upper() + help_[1:] + ".")
        module.add_arguments(command)
        if name == DEFAULT:
            parser.default_parser = command
    parser.commands = modules
    return parser


def _quiet_broken_pipe():
    """The reader of stdout went away: send what is left to /dev/null so that exiting prints nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (a test's captured stdout)
        pass


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = [DEFAULT, *argv]
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        status = parser.commands[args.command or DEFAULT].run(args)
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
        return 0
    return status


if __name__ == "__main__":
    sys.exit(main())
