"""HTTP routes: the page, health, the configuration schema, presets and lessons, and the store's models, runs and
examples.

Every body is validated before anything is written; a bad one gets 400 with
``{"error": {"field", "message"}}`` naming the field and what is allowed.  The
socket events (``events.py``) carry everything live; these routes only read and
write the store and describe the presets.
"""
from __future__ import annotations

import os
import threading

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from engine import datasets

from . import frames, lessons, schema, validate
from .session import TRAIN_THREAD
from .validate import Invalid

bp = Blueprint("playground", __name__)


def _store():
    return current_app.extensions["playground_store"]


def _json_body():
    """The body as a JSON object, nested at most 5 levels (a model's weights are 4) and of bounded size."""
    try:
        body = request.get_json(force=True, silent=True)
    except RecursionError:  # not a ValueError, so ``silent`` lets it through
        raise Invalid("body", "nested deeper than the server parses") from None
    if not isinstance(body, dict):
        raise Invalid("body", "must be a JSON object")
    for key, value in body.items():
        validate.bounded(str(key)[:validate.MAX_NAME], value, max_depth=5, max_values=100_000)
    return body


@bp.errorhandler(Invalid)
def _invalid(exc):
    return jsonify(error={"field": exc.field, "message": exc.message}), 400


@bp.app_errorhandler(413)
def _too_large(exc):
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    return jsonify(error={"field": "body", "message": f"body: larger than {limit} bytes"}), 413


@bp.app_context_processor
def _embedded_schema():
    """Every page that renders ``index.html`` (the solo page, a class's join page) embeds the schema."""
    return {"schema": schema.describe(current_app.config["MAX_EPOCHS"])}


@bp.get("/")
def index():
    return render_template("index.html")


@bp.get("/api/health")
def health():
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("backprop-playground")
    except PackageNotFoundError:  # pragma: no cover - not pip-installed
        v = "dev"
    train_threads = sum(1 for t in threading.enumerate() if t.name == TRAIN_THREAD)
    return jsonify(ok=True, name="backprop-playground", version=v, pid=os.getpid(),
                   threads=threading.active_count(), train_threads=train_threads,
                   **current_app.extensions["playground_hub"].stats())


@bp.get("/api/schema")
def get_schema():
    """Every configuration field (label, help, type, default, choices or range), presets, datasets, rules, limits."""
    return jsonify(schema.describe(current_app.config["MAX_EPOCHS"]))


@bp.get("/api/presets")
def list_presets():
    """The older subset of ``/api/schema`` (dataset names only), kept for existing clients."""
    described = schema.describe(current_app.config["MAX_EPOCHS"])
    return jsonify(presets=described["presets"], variants=described["variants"],
                   datasets=[d["name"] for d in described["datasets"]], limits=described["limits"])


@bp.get("/api/lessons")
def list_lessons():
    """Every lesson (app/lessons/), validated, each step's config normalised as the server will report it."""
    return jsonify(list(lessons.load_all()))


@bp.get("/api/models")
def list_models():
    return jsonify(models=_store().list_models())


@bp.post("/api/models")
def import_model():
    """A model JSON (as ``GET /api/models/<name>`` exports it) with a ``name``; checked, then stored."""
    body = _json_body()
    name = validate.name("name", body.get("name"))
    setup, _ = frames.load(body)
    epoch = validate.integer("epoch", body.get("epoch", 0), 0, current_app.config["MAX_EPOCHS"])
    saved = _store().save_model(name, {**frames.export(setup), "epoch": epoch})
    return jsonify(saved), 201


@bp.get("/api/models/<name>")
def export_model(name):
    name = validate.name("name", name)
    model = _store().get_model(name)
    if model is None:
        return jsonify(error={"field": "name", "message": f"name: no saved model is called {name!r}"}), 404
    return jsonify(model)


@bp.get("/api/runs/<int:run_id>")
def get_run(run_id):
    """A saved run's figures (``Store.get_run``), the test curves too when it had a split."""
    run = _store().get_run(run_id)
    if run is None:
        return jsonify(error={"field": "id", "message": f"id: no run {run_id}"}), 404
    return jsonify(run)


@bp.get("/api/runs/<int:run_id>.csv")
def run_csv(run_id):
    text = _store().run_csv(run_id)
    if text is None:
        return jsonify(error={"field": "id", "message": f"id: no run {run_id}"}), 404
    return Response(text, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="run-{run_id}.csv"'})


def _example(body):
    """``{dataset, label, input}``: a known dataset, one of its labels, its input width and value range."""
    validate.payload(body, ("dataset", "label", "input"), required=("dataset", "label", "input"))
    name = validate.choice("dataset", body["dataset"], datasets.NAMES)
    data = datasets.load(name)
    label = validate.choice("label", body["label"], tuple(data.labels))
    lo, hi = (data.extent[0], data.extent[1]) if data.extent is not None else (0.0, 1.0)
    values = validate.number_list("input", body["input"], data.X.shape[1], lo, hi)
    if data.kind == "images" and not any(values):
        raise Invalid("input", "the drawing is blank: paint the letter on the pad first")
    return name, label, values


@bp.get("/api/examples")
def list_examples():
    name = request.args.get("dataset")
    if name is not None:
        name = validate.choice("dataset", name, datasets.NAMES)
    return jsonify(examples=_store().list_examples(name))


@bp.post("/api/examples")
def add_example():
    name, label, values = _example(_json_body())
    example_id = _store().add_example(name, label, values)
    return jsonify(id=example_id, dataset=name, label=label), 201


@bp.delete("/api/examples/<int:example_id>")
def delete_example(example_id):
    """Forget a stored drawing (the page's "your drawings" list); 404 naming the id if there is none."""
    if not _store().delete_example(example_id):
        return jsonify(error={"field": "id", "message": f"id: no stored drawing {example_id}"}), 404
    return jsonify(deleted=example_id)
