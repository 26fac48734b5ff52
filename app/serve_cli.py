"""``backprop-playground [serve]``: start the playground server and print its URL.

Flask and Flask-SocketIO are imported inside ``run`` only, so that merely
building the command line (``--help``, ``train``) never imports them.  The
server is Flask-SocketIO's threaded Werkzeug server with simple-websocket: a
local tool bound to loopback unless ``--host`` says otherwise.
"""
from __future__ import annotations

import argparse
import errno
import ipaddress
import socket
import sys

PROG = "backprop-playground serve"


def _port(text):
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port from 1 to 65535")
    return port


def add_arguments(parser):
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=_port, default=5000, help="port (default 5000)")
    parser.add_argument("--data", metavar="DIR", default=None,
                        help="where the store (saved models, runs, examples) lives "
                             "(default: the platform's user data dir)")
    parser.add_argument("--open", action="store_true", help="open the page in a browser")
    from .classroom import cli as classroom_cli

    classroom_cli.add_arguments(parser)
    return parser


def _is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_for(host, port):
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def port_in_use(host, port):
    """True if another program listens on ``host:port`` (a bind the server would make fails with EADDRINUSE)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError):
        return False  # a bad host: the server's own bind says so
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds: TIME_WAIT is no use
        try:
            probe.bind(address)
        except OSError as exc:
            return exc.errno == errno.EADDRINUSE
    return False


def free_port_after(host, port, tries=20):
    """The first port after ``port`` that is free on ``host`` (``port + 1`` if none of ``tries`` is)."""
    return next((p for p in range(port + 1, min(port + 1 + tries, 65536)) if not port_in_use(host, p)), port + 1)


def run(args):
    """Build the app, print the URL, serve until Ctrl+C; returns the exit status."""
    from .classroom import cli as classroom_cli

    if not args.classroom and classroom_cli.needs_classroom(args):
        print(f"{PROG}: error: {classroom_cli.needs_classroom(args)} needs --classroom", file=sys.stderr)
        return 2
    if port_in_use(args.host, args.port):  # before any banner, data folder or Flask import
        print(f"{PROG}: error: port {args.port} is in use; try --port {free_port_after(args.host, args.port)}",
              file=sys.stderr)
        return 2
    from .extensions import socketio
    from .factory import create_app, default_data_dir

    data_dir = args.data or default_data_dir()
    classroom = classroom_cli.classroom_for(args, url_for(args.host, args.port)) if args.classroom else None
    try:
        app = create_app({"DATA_DIR": data_dir, **(classroom_cli.config(args, classroom) if classroom else {})})
    except OSError as exc:
        print(f"{PROG}: error: cannot open the store in {data_dir}: {exc}", file=sys.stderr)
        return 2
    # The training threads hold the GIL between NumPy calls; a shorter switch interval keeps the
    # socket threads (predict, acks) answering within about a millisecond while one trains at max.
    sys.setswitchinterval(0.001)
    url = url_for(args.host, args.port)
    if classroom:
        print("\n".join(classroom_cli.banner(args, classroom, _is_loopback(args.host), data_dir)), flush=True)
    else:
        print(f"Backprop Playground: {url}  (store: {data_dir}; Ctrl+C to stop)", flush=True)
    if not _is_loopback(args.host) and not classroom:
        print(f"Listening on {args.host}: anyone who can reach this machine on port {args.port} "
              "can use the playground and its store.", flush=True)
    if args.open:
        import threading
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=(classroom.teacher_url if classroom else url,)).start()
    import logging

    # No line per request; and Werkzeug's false alarm when a websocket closes normally
    # (python-engineio issue 457: the hijacked socket never calls start_response) stays out of the log.
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    try:
        socketio.run(app, host=args.host, port=args.port, allow_unsafe_werkzeug=True, log_output=False)
    except OSError as exc:
        print(f"{PROG}: error: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    finally:
        app.extensions["playground_hub"].close_all()
    return 0
