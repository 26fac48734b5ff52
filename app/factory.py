"""``create_app``: the Flask application factory (as in Flask's tutorial).

Defaults come from ``config.from_mapping``; a test or the CLI passes overrides
(``DATA_DIR`` above all).  The factory binds the module-level ``socketio`` in
explicit threading mode, opens the store and the session registry, and
registers the HTTP routes and socket events.  It starts no server: see
``serve_cli``.
"""
from __future__ import annotations

import os

from flask import Flask

from engine.trainer import MAX_EPOCHS_PER_RUN

from .extensions import socketio

PACKAGE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(PACKAGE)
PAGE_FOLDERS = ("templates", "static")  # at the top of the checkout; copied into the package by setup.py


def page_folder(name):
    """``name`` (templates or static) inside the installed package (a wheel), else at the checkout's top."""
    inside = os.path.join(PACKAGE, name)
    return inside if os.path.isdir(inside) else os.path.join(ROOT, name)

DEFAULTS = {
    "DATA_DIR": None,  # None: the platform's user data dir
    "MAX_CONTENT_LENGTH": 1 * 2**20,  # HTTP bodies (model imports are the largest)
    "MAX_HTTP_BUFFER_SIZE": 64 * 2**10,  # one socket message
    "MAX_EPOCHS": MAX_EPOCHS_PER_RUN,  # per run; then status 'done' (the CLI's limit too)
    "FRAME_RATE": 60.0,  # snapshots per second per session, at most
    "CURVE_RATE": 4.0,  # loss curves per second, at most
    "BOUNDARY_RATE": 20.0,  # decision-boundary grids per second, at most
    "SNAPSHOT_WINDOW": 2,  # unacknowledged snapshots per viewer
    "KEEP_BUDGET": 32 * 2**20,  # bytes of kept states per session
    "PING_INTERVAL": 10,
    "PING_TIMEOUT": 10,
    "RATE_LIMITS": None,  # per-tab event rate limits: None = ratelimit.LIMITS, {} = off
}


def default_data_dir():
    import platformdirs

    return platformdirs.user_data_dir("backprop-playground", appauthor=False)


def create_app(config=None):
    """A configured app; ``config`` (a mapping) overrides ``DEFAULTS``."""
    app = Flask(__name__, template_folder=page_folder("templates"), static_folder=page_folder("static"))
    app.config.from_mapping(DEFAULTS)
    if config:
        app.config.from_mapping(config)
    if not app.config["DATA_DIR"]:
        app.config["DATA_DIR"] = default_data_dir()
    app.json.sort_keys = False

    from . import events  # noqa: F401  (register the socket handlers on ``socketio``)
    from .classroom import events as classroom_events  # noqa: F401  (they answer an error without --classroom)
    from .classroom.fanout import socket_options
    from .compression import gzip_text_responses
    from .hub import Hub
    from .ratelimit import RateLimits
    from .routes import bp
    from .store import Store
    from .transport import guard, refuse_long_posts

    socketio.init_app(app, async_mode="threading", max_http_buffer_size=app.config["MAX_HTTP_BUFFER_SIZE"],
                      ping_interval=app.config["PING_INTERVAL"], ping_timeout=app.config["PING_TIMEOUT"],
                      async_handlers=False, manage_session=False, **socket_options(app.config))
    app.extensions["playground_store"] = Store(app.config["DATA_DIR"])
    app.extensions["playground_hub"] = Hub(socketio, app.config, store=app.extensions["playground_store"])
    if app.config.get("CLASSROOM"):  # a classroom.Classroom: one shared session for the class
        from .classroom.hub import init_classroom

        init_classroom(app, socketio)
    app.extensions["playground_limits"] = RateLimits(app.config["RATE_LIMITS"])
    guard(socketio.server, app.extensions["playground_limits"], app.config["MAX_HTTP_BUFFER_SIZE"])
    app.wsgi_app = refuse_long_posts(app.wsgi_app, app.config["MAX_HTTP_BUFFER_SIZE"])
    app.register_blueprint(bp)
    from .export_routes import bp as export_bp

    app.register_blueprint(export_bp)
    gzip_text_responses(app)
    from .page_modules import init_app as preload_page_modules

    preload_page_modules(app)
    return app
