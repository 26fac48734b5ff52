"""``backprop-playground --classroom``: the options, the class's links, and what the output must say.

Stdlib only (building the command line never imports Flask).  ``serve_cli`` adds these options and, when
``--classroom`` is given, passes ``config(args)`` to ``create_app`` and prints ``banner(...)`` instead of the
one-line URL.  The teacher token comes from ``--teacher-token``, else the environment variable
``BACKPROP_PLAYGROUND_TEACHER_TOKEN`` (not visible in ``ps``), else a strong random one.
"""
from __future__ import annotations

import argparse
import os

from .identity import Classroom, check_token_format, lan_address, show_code

TOKEN_ENV = "BACKPROP_PLAYGROUND_TEACHER_TOKEN"
QUEUE_ENV = "BACKPROP_PLAYGROUND_MESSAGE_QUEUE"


def _token(text):
    try:
        return check_token_format(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _url(text):
    if not text.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(f"{text!r} is not an http:// or https:// URL")
    return text if text.endswith("/") else text + "/"


def add_arguments(parser):
    group = parser.add_argument_group("classroom mode")
    group.add_argument("--classroom", action="store_true",
                       help="one network for a whole class: the teacher drives it, students follow, draw and "
                            "submit letters (prints the teacher link, the join link and code)")
    group.add_argument("--teacher-token", metavar="T", type=_token, default=None,
                       help=f"the teacher's secret (default: ${TOKEN_ENV}, else a strong random one)")
    group.add_argument("--public-url", metavar="URL", type=_url, default=None,
                       help="the address students use (e.g. behind a reverse proxy); default: this machine's "
                            "address on the local network when --host binds beyond loopback")
    group.add_argument("--message-queue", metavar="URL", default=None,
                       help=f"share the class between server processes through Redis, e.g. redis://127.0.0.1:6379/0 "
                            f"(default: ${QUEUE_ENV}; needs the [redis] extra)")
    return parser


def needs_classroom(args):
    """The first classroom-only option given (None if none): they make sense only with ``--classroom``."""
    for flag, value in (("--teacher-token", args.teacher_token), ("--public-url", args.public_url),
                        ("--message-queue", args.message_queue)):
        if value:
            return flag
    return None


def _wildcard(host):
    return host in ("0.0.0.0", "::", "")


def classroom_for(args, teacher_base):
    """The ``Classroom`` for these options; students' links use the LAN address when bound beyond loopback."""
    token = args.teacher_token or os.environ.get(TOKEN_ENV) or None
    if token:
        token = check_token_format(token)
    if args.public_url:
        student_base = args.public_url
    elif _wildcard(args.host):
        student_base = f"http://{lan_address()}:{args.port}/"
    else:
        student_base = teacher_base
    return Classroom.make(token, teacher_base=teacher_base, student_base=student_base)


def config(args, classroom):
    return {"CLASSROOM": classroom, "MESSAGE_QUEUE": args.message_queue or os.environ.get(QUEUE_ENV) or None}


def banner(args, classroom, loopback, data_dir):
    lines = [
        "Backprop Playground — classroom mode",
        f"  Teacher (keep this link private; it controls the class): {classroom.teacher_url}",
        f"  Students join at: {classroom.join_page}   code: {show_code(classroom.code)}",
        f"  Direct join link (the QR code on the teacher's page): {classroom.join_url}",
        f"  Store: {data_dir}   Ctrl+C to stop",
    ]
    if loopback:
        lines.append("  Listening on this machine only: students on other devices cannot reach it. "
                     "Use --host 0.0.0.0 to let the local network in.")
    else:
        lines.append(f"  Listening on {args.host}:{args.port}: any device that can reach this machine on that port can "
                     "open the page and join with the code (plain HTTP, unencrypted). Only the teacher token "
                     "controls the network, the queue and the store's write routes.")
    return lines
