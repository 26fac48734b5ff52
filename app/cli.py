"""The ``backprop-playground`` command: ``serve`` (the default), ``train PRESET`` or ``export PRESET``.

Each subcommand lives in its own module and is imported only when chosen, so
``train`` never imports Flask.
"""
from __future__ import annotations

import argparse
import sys


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit status 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser():
    from . import serve_cli, train_cli

    parser = _Parser(prog="backprop-playground",
                     description="Watch a small neural network learn by backpropagation.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    serve_cli.add_arguments(sub.add_parser("serve", help="start the playground server (the default)"))
    train_cli.add_arguments(sub.add_parser("train", help="train a preset in the terminal"))
    from . import export_cli

    export_cli.add_arguments(sub.add_parser("export", help="write a preset as a standalone NumPy script"))
    return parser, serve_cli, train_cli


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["serve", *argv]
    parser, serve_cli, train_cli = build_parser()
    args = parser.parse_args(argv)
    module = train_cli if args.command == "train" else serve_cli
    if args.command == "export":
        from . import export_cli as module
    return module.run(args)


if __name__ == "__main__":
    sys.exit(main())
