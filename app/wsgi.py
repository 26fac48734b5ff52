"""A WSGI entry point for running the playground under gunicorn (see docs/deploy.md).

``gunicorn -w 1 --threads 100 'app.wsgi:app'``: one worker per process (a session, and a class, live in one
process's memory), many threads (each websocket holds one).  Configured by environment variables, since
gunicorn passes no options through:

* ``BACKPROP_PLAYGROUND_DATA`` — the store's directory (default: the platform's user data dir);
* ``BACKPROP_PLAYGROUND_TRANSPORTS=websocket`` — refuse long-polling (then a load balancer needs no stickiness);
* ``BACKPROP_PLAYGROUND_CLASSROOM=1`` — classroom mode, with ``BACKPROP_PLAYGROUND_TEACHER_TOKEN`` (required
  here: every process of a class must share it), ``BACKPROP_PLAYGROUND_PUBLIC_URL`` (the address students use)
  and ``BACKPROP_PLAYGROUND_MESSAGE_QUEUE`` (``redis://…``, to share the class between processes).

The teacher link and join code are printed once at start, as ``backprop-playground --classroom`` does.
"""
from __future__ import annotations

import os
import sys

from . import create_app
from .classroom.cli import QUEUE_ENV, TOKEN_ENV
from .classroom.identity import Classroom


def _env(name, default=None):
    return os.environ.get(f"BACKPROP_PLAYGROUND_{name}", default) or default


def make_app():
    config = {"DATA_DIR": _env("DATA")}
    if _env("TRANSPORTS"):
        config["SOCKET_TRANSPORTS"] = [t.strip() for t in _env("TRANSPORTS").split(",") if t.strip()]
    if _env("CLASSROOM", "0") not in ("0", "false", "no"):
        token = os.environ.get(TOKEN_ENV)
        if not token:
            raise SystemExit(f"classroom mode under a WSGI server needs ${TOKEN_ENV} (the same in every process)")
        base = _env("PUBLIC_URL", "http://127.0.0.1:8000/")
        base = base if base.endswith("/") else base + "/"
        room = Classroom.make(token, teacher_base=base, student_base=base)
        config.update(CLASSROOM=room, MESSAGE_QUEUE=os.environ.get(QUEUE_ENV) or None)
        print(f"Backprop Playground classroom: students join at {room.join_page} with code {room.code}; "
              f"the teacher opens {base}#teacher=<the token>", file=sys.stderr, flush=True)
    return create_app(config)


app = make_app()
