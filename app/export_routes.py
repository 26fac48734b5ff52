"""``GET /api/export.py``, ``/api/export.ipynb`` and ``/api/export/step``: the page's configuration as code.

The query string is the page's own URL (``static/core/url-state.js``): the config fields, ``layout`` (row or column)
and, here only, ``epochs``.  Values are read by the field's kind (a list, a bool, a number, ``full``/``sample``);
the engine validates them, so a bad one is a 400 naming the field and what it allows.  ``step`` is the training
step's tagged lines and the variant's changes, for the page's Code panel.
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from engine import export

from . import frames, schema
from .hub import MAX_ADDED
from .validate import Invalid

bp = Blueprint("export", __name__)

VIEW_ONLY = ("projector", "speed")  # the page's view fields that do not change the code


def _number(text):
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text  # the engine names the field and the allowed range


def _value(field, text):
    """``text`` read as the page's URL writes the field (``static/core/url-state.js``), by the schema's type."""
    if field.type == "boolean":
        return {"1": True, "true": True, "0": False, "false": False}.get(text, text)
    if field.type in ("number", "integer"):
        return _number(text)
    if field.type == "layers":
        return [] if text == "" else [_number(t) for t in text.split(",")]
    if field.type == "features":
        return [] if text == "" else text.split(",")
    if field.type == "batch":
        whole = _number(text)
        return whole if isinstance(whole, int) else text
    if field.nullable and text in ("", field.none_label, "null"):  # output_activation: "same" as the hidden layers
        return None
    return text


def _request():
    """(config, layout, epochs, setup) from the query string, or ``Invalid`` naming the field."""
    args = request.args
    config = {}
    fields = {f.name: f for f in schema.FIELDS}
    for name in args:
        if name in fields:
            config[name] = _value(fields[name], args[name])
        elif name not in ("layout", "epochs", *VIEW_ONLY):
            raise Invalid(name[:64], f"unknown parameter; allowed are {', '.join(fields)}, layout, epochs")
    layout = args.get("layout", "row")
    if layout not in export.LAYOUTS:
        raise Invalid("layout", f"must be one of {', '.join(export.LAYOUTS)}, got {layout[:30]!r}")
    epochs = None
    if "epochs" in args:
        limit = current_app.config["MAX_EPOCHS"]
        epochs = _number(args["epochs"])
        if isinstance(epochs, float) or not isinstance(epochs, int) or not 0 <= epochs <= limit:
            raise Invalid("epochs", f"must be a whole number from 0 to {limit}, got {args['epochs'][:30]!r}")
    try:
        setup = schema.build(config)
    except ValueError as e:
        raise Invalid.from_value_error(e) from None
    store = current_app.extensions.get("playground_store")
    if setup.config["examples"] and store is not None and setup.dataset.kind == "images":
        rows = [(e["label"], e["input"]) for e in store.list_examples(setup.dataset.name)[-MAX_ADDED:]]
        setup = frames.with_examples(setup, rows)
    return config, layout, epochs, setup


def _name(setup, layout, ext):
    return f"{setup.config['preset']}-{layout}.{ext}"


@bp.errorhandler(Invalid)
def _invalid(exc):
    return jsonify(error={"field": exc.field, "message": exc.message}), 400


@bp.get("/api/export.py")
def export_script():
    config, layout, epochs, setup = _request()
    text = export.script(config, layout, epochs, setup)
    return Response(text, mimetype="text/x-python", headers={
        "Content-Disposition": f'attachment; filename="{_name(setup, layout, "py")}"'})


@bp.get("/api/export.ipynb")
def export_notebook():
    from .notebook import notebook_text

    config, layout, epochs, setup = _request()
    return Response(notebook_text(config, layout, epochs, setup), mimetype="application/x-ipynb+json", headers={
        "Content-Disposition": f'attachment; filename="{_name(setup, layout, "ipynb")}"'})


@bp.get("/api/export/step")
def export_step():
    """The Code tab's lines (every configuration the engine trains can be written, regularised ones too)."""
    config, layout, _, _ = _request()
    return jsonify(export.step(config, layout))
