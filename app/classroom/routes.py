"""HTTP for classroom mode: the join page, the teacher's class details (with the QR code), and the lock on writes.

* ``GET /join`` — the page, for students (it asks for the code unless ``?code=`` carries it).
* ``GET /api/classroom?token=T`` — ``{code, code_display, join_url, join_page, qr_svg}`` for the teacher;
  a missing or wrong token gets 403.  The token may come in the ``X-Teacher-Token`` header instead (the page
  sends it so, which keeps it out of any access log).  It is compared in constant time and never logged.
* In classroom mode the store's write routes (``POST /api/…``) take the teacher token too (``X-Teacher-Token``
  header): students send drawings through the teacher's queue, not into the store.

Registered only when the server runs with ``--classroom``.
"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request

from .identity import same_secret

bp = Blueprint("classroom", __name__)


def _classroom():
    return current_app.config["CLASSROOM"]


def _forbidden():
    return jsonify(error={"field": "token", "message": "token: wrong or missing teacher token"}), 403


def qr_svg(text):
    """An SVG QR code of ``text`` (segno, pure Python), sized by its container."""
    import segno

    return segno.make(text, error="m", micro=False).svg_inline(
        scale=1, border=2, dark="#1b2130", light="#ffffff", omitsize=True, title="Scan to join the class")


@bp.get("/join")
def join():
    return render_template("index.html")


@bp.get("/api/classroom")
def classroom():
    room = _classroom()
    if not same_secret(request.headers.get("X-Teacher-Token") or request.args.get("token"), room.token):
        return _forbidden()
    return jsonify(**room.public(), qr_svg=qr_svg(room.join_url))


@bp.before_app_request
def teacher_only_writes():
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.path.startswith("/api/"):
        if not same_secret(request.headers.get("X-Teacher-Token"), _classroom().token):
            return _forbidden()
    return None
