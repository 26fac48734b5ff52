"""Gzip for the page's text responses (HTML, scripts, styles, JSON), so the page weighs what it must.

Werkzeug serves static files uncompressed; the vendored KaTeX alone is ~270 KB raw and ~75 KB gzipped. An
``after_request`` hook compresses full (200) text responses over 1 KB when the client accepts gzip, keeps
the compressed bytes of static files in memory (keyed by path, size and mtime), and leaves everything else
alone: fonts and images, partial and conditional responses, the socket.io transport (served outside Flask).
"""
from __future__ import annotations

import gzip
import os
import threading

from flask import request

MIN_SIZE = 1024
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")

_cache: dict[tuple, bytes] = {}
_lock = threading.Lock()


def _static_key(app):
    if not request.path.startswith(app.static_url_path + "/"):
        return None
    path = os.path.join(app.static_folder, request.path[len(app.static_url_path) + 1:])
    try:
        st = os.stat(path)
    except OSError:
        return None
    return path, st.st_size, st.st_mtime_ns


def gzip_text_responses(app):
    """Registers the gzip hook on ``app``."""
    @app.after_request
    def gzip_text(response):
        if (response.status_code != 200 or "gzip" not in request.headers.get("Accept-Encoding", "")
                or "Content-Encoding" in response.headers or not response.mimetype.startswith(TEXT_TYPES)):
            return response
        key = _static_key(app)
        with _lock:
            body = _cache.get(key) if key else None
        if body is None:
            response.direct_passthrough = False
            original = response.response
            data = response.get_data()
            if hasattr(original, "close"):
                original.close()  # a static file's wrapper: get_data() read it but does not close it
            if len(data) < MIN_SIZE:
                return response
            body = gzip.compress(data, compresslevel=6)
            if key:
                with _lock:
                    _cache[key] = body
        elif hasattr(response.response, "close"):
            response.response.close()
        response.direct_passthrough = False
        response.set_data(body)
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Content-Length"] = str(len(body))
        response.vary.add("Accept-Encoding")
        response.headers.pop("Accept-Ranges", None)  # byte ranges would be of the uncompressed file
        etag, weak = response.get_etag()
        if etag:
            response.set_etag(f"{etag}-gzip", weak=weak)
        return response
