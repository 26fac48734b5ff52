"""Socket.IO event handlers: one per client → server event of docs/protocol.md.

Each handler's docstring says who sends the event and what it causes.  The
``handler`` decorator validates the payload's keys, turns every ``Invalid``
into an ``error`` event to the sender plus an ``{"ok": false, "error": ...}``
acknowledgement (the session stays as it was), and wraps a success as
``{"ok": true, ...}``.  Every emit names its recipient (``to=``).  Sessions
live in the ``Hub``; the training itself in ``session.py``.
"""
from __future__ import annotations

import functools

from flask import current_app, request

from . import edits, rebuild, schema, validate
from .extensions import socketio
from .validate import Invalid

MIN_SPEED, MAX_SPEED = 0.2, 1000.0
KNOWN = ("configure", "start", "pause", "step", "reset", "seek", "set", "predict", "gradcheck",
         "save_model", "load_model", "set_weight", "add_point", "use_examples", "undo", "branch", "switch_run",
         "drop_branch", "open_runs")


def _hub():
    return current_app.extensions["playground_hub"]


def _store():
    return current_app.extensions["playground_store"]


def _limits():
    return current_app.extensions["playground_limits"]


def _reject(event, exc: Invalid):
    err = exc.as_dict(event)
    if getattr(exc, "tell", True):  # rate rejections emit ``error`` at most once a second (the ack says it always)
        socketio.emit("error", err, to=request.sid)
    return {"ok": False, "error": err}


def _sent_by_client():
    """True when a ``connect``/``disconnect`` handler runs for an event the client *sent* by that name.

    python-socketio calls those handlers for the real connect and disconnect (the sid is then pending,
    not connected) and also for an ordinary event of the same name from a connected client.
    """
    return socketio.server.manager.is_connected(request.sid, "/")


def handler(event, fields=(), required=(), max_values=None):
    """Register ``fn(session, body)`` for ``event``: validated keys in, ``{"ok": ...}`` ack out."""
    def decorate(fn):
        @functools.wraps(fn)
        def on_event(data=None, *extra):
            try:
                _limits().check(request.sid, event)
                _hub().authorize(request.sid, event)  # a classroom's students may send only a few events
                if extra:
                    raise Invalid("payload", "send one JSON object")
                body = validate.payload(data, fields, required=required, max_values=max_values)
                session = _hub().get(request.sid)
                if session is None:  # pragma: no cover - connect always opens one
                    raise Invalid("session", "not connected")
                return {"ok": True, **(fn(session, body) or {})}
            except Invalid as exc:
                return _reject(event, exc)
            except Exception:  # a bug: say so to the client, keep the traceback for the log
                current_app.logger.exception("handler %s failed", event)
                return _reject(event, Invalid("server", "internal error; the session is unchanged"))

        socketio.on(event)(on_event)
        return fn
    return decorate


@socketio.on("connect")
def on_connect(auth=None):
    """A browser tab connects → ``session`` ``{resume, resumed}``: its run back if ``auth`` carries the resume token
    of a run parked in the last minutes (then also ``network``, ``snapshot``, ``status``), else a new, empty
    session (send ``configure`` next).  In classroom mode ``auth`` says who it is, and the class's session is
    shared (``classroom/hub.py``)."""
    if _sent_by_client():
        return unknown("connect")
    _hub().open(request.sid, auth)


@socketio.on("disconnect")
def on_disconnect(reason=None, *_):
    """A tab closed or lost its connection: its training thread stops within one chunk of epochs, and its run is
    parked for a few minutes in case the tab comes back (a reload, a brief network loss)."""
    if _sent_by_client():
        return unknown("disconnect")
    _limits().forget(request.sid)
    _hub().close(request.sid)


@handler("configure", fields=schema.NAMES)
def configure(session, body):
    """The page picks a preset or changes the network → ``network``, a first ``snapshot`` and ``status``."""
    return session.configure(body)


@handler("start", fields=("speed", "until"))
def start(session, body):
    """Play: train in the background at ``speed`` epochs/s or ``"max"`` → ``status`` training, snapshots."""
    speed = validate.speed("speed", body["speed"], MIN_SPEED, MAX_SPEED) if "speed" in body else None
    until = body.get("until")
    if until is not None:
        until = validate.integer("until", until, 1, session.max_epochs)
    return session.start(speed, until)


@handler("pause")
def pause(session, body):
    """Pause: stop the loop → the exact paused ``snapshot`` and ``status`` paused."""
    return session.pause()


@handler("step", fields=("unit",), required=("unit",))
def step(session, body):
    """Step one epoch (→ ``snapshot``) or one sample (→ ``trace``, then ``snapshot``); pauses first."""
    return session.step(validate.choice("unit", body["unit"], ("epoch", "sample")))


@handler("reset", fields=("seed",))
def reset(session, body):
    """Reset: same config, fresh weights from ``seed`` (or the current one) → ``snapshot`` at epoch 0, ``status``."""
    seed = body.get("seed")
    if seed is not None:
        seed = validate.config_field("seed", seed)
    return session.reset(seed)


@handler("seek", fields=("epoch",), required=("epoch",))
def seek(session, body):
    """The timeline scrubber → the kept ``snapshot`` at or before ``epoch`` (``replay``: true); pauses."""
    return session.seek(validate.integer("epoch", body["epoch"], 0, session.max_epochs))


@handler("set", fields=("lr", "speed"))
def set_(session, body):
    """The learning-rate or speed control moves, also while training → ack with the values in force."""
    if not body:
        raise Invalid("payload", "send lr and/or speed")
    lr = validate.config_field("lr", body["lr"]) if "lr" in body else None
    speed = validate.speed("speed", body["speed"], MIN_SPEED, MAX_SPEED) if "speed" in body else None
    return session.set(lr=lr, speed=speed)


@handler("set_weight", fields=edits.WEIGHT_FIELDS, required=edits.WEIGHT_REQUIRED)
def set_weight(session, body):
    """A learner types a weight ``{layer, row, col, value}`` (``weights[layer][row][col]``, row layout) or a
    bias ``{layer, bias: col, value}`` → a ``snapshot`` with the change everywhere; training goes on."""
    return session.set_param(body)


@handler("add_point", fields=edits.POINT_FIELDS, required=("x",))
def add_point(session, body):
    """A click on the plane adds a point ``{x: [x1, x2], label}`` (a class index) or ``{x, value}`` (regression)
    → the run goes on from the current weights with the point in its training set: ``dataset``, then a
    ``snapshot`` whose curve marks the epoch; ack ``{samples, added, epoch, training}``."""
    return session.add_point(body)


@handler("predict", fields=("input",), required=("input",))
def predict(session, body):
    """The drawing pad changed (or a point was hovered) → ack ``{outputs, label, activations}``."""
    size = session.input_size()
    return session.predict(validate.number_list("input", body["input"], size))


@handler("gradcheck")
def gradcheck(session, body):
    """The mistake lab asks whether the rule is the true gradient → ack with per-layer errors and a verdict."""
    return session.gradcheck()


@handler("save_model", fields=("name",), required=("name",))
def save_model(session, body):
    """Save: store the network and its run's history under ``name`` → ack ``{name, run}``."""
    name = validate.name("name", body["name"])
    model, history = session.export()
    return _store().save_model(name, model, history)


@handler("load_model", fields=("name",), required=("name",))
def load_model(session, body):
    """Open a saved model as epoch 0 of a new run → ``network``, ``snapshot``, ``status``; ack ``{config, run}``,
    ``run`` the history saved with it (``Store.get_run``: the test curves too) or null."""
    name = validate.name("name", body["name"])
    store = _store()
    model = store.get_model(name)
    if model is None:
        raise Invalid("name", f"no saved model is called {name!r}")
    return {**session.load(model), "run": store.model_run(name)}


@handler("use_examples")
def use_examples(session, body):
    """A drawing was stored or deleted (``/api/examples``) → the run goes on from the current weights on the
    dataset plus the stored drawings (``examples`` on): ``dataset``, then a ``snapshot`` whose curve marks the
    epoch; ack ``{samples, epoch, training}``."""
    return session.use_examples()


@handler("undo")
def undo(session, body):
    """The page's "Undo" after a reset → the replaced run comes back (``network``, its ``snapshot`` with the whole
    curve, ``status`` paused); the run it replaced can be undone in turn. Ack ``{epoch, undo}``."""
    return session.undo()


@handler("branch", fields=("epoch", "changes"), required=("epoch",))
def branch(session, body):
    """"What if…": a branch of the live run from the kept ``epoch`` at or before the one asked, with ``changes``
    (``{lr?, batch?, momentum?, regularization?, reg_rate?, variant?}``) → the branch is live: ``network``, its
    ``snapshot``, ``status`` paused, ``runs``; ack ``{id, name, label, from_epoch, note}``."""
    epoch = validate.integer("epoch", body["epoch"], 0, session.max_epochs)
    return session.branches.branch(session, epoch, body.get("changes", {}))


@handler("switch_run", fields=("id",), required=("id",))
def switch_run(session, body):
    """The list of runs: make run ``id`` (the original or a branch) the live one → ``network``, ``snapshot``,
    ``status`` paused, ``runs``; ack ``{live, epoch}``."""
    return session.branches.switch(session, validate.integer("id", body["id"], 0, 10**6))


@handler("drop_branch", fields=("id",), required=("id",))
def drop_branch(session, body):
    """A branch's × in the list of runs (not the original, not the live run) → ``runs``; ack ``{removed, runs}``."""
    return session.branches.drop(session, validate.integer("id", body["id"], 0, 10**6))


@handler("open_runs", fields=("epoch", "branches", "live", "edits", "drawings"),
         max_values={"drawings": edits.MAX_DRAWING_VALUES, "edits": rebuild.MAX_EDIT_VALUES})
def open_runs(session, body):
    """A link with "what if" runs, the learner's edits or drawings, right after its ``configure``: every field
    checked (a refusal is the answer), then, in the background, the original trained to ``epoch``, each of
    ``branches`` (``[{parent, from_epoch, epoch, changes}]``) made again and each of ``edits`` (``[{run, epoch,
    ...}]``, an ``add_point`` or ``set_weight`` payload, or ``drawings``: places in the link's ``drawings``
    ``[{label, input}]``) applied at its epoch → ``link`` messages while it trains (a ``pause`` cancels it), then
    run ``live`` is live (``network``, ``snapshot``, ``status`` paused, ``runs``) and ``link`` ``{state: "opened",
    live, runs: [{id, name, epoch}]}``, with drawings also ``drawings_stored``: the live run's drawings join this
    server's list of drawings (an identical one once).  Ack ``{rebuilding: {runs, epochs}}`` (``app/rebuild.py``)."""
    store = _store()

    def opened(answer):
        if not body.get("drawings"):
            return
        live = session.branches._live(session)[1]
        last = next((e["drawings"] for e in reversed(live.edits) if edits.is_drawings(e)), [])
        try:
            answer["drawings_stored"] = store.add_new_examples(session.setup.dataset.name, last) if store else 0
        except Invalid:  # the store is full: the runs are open, the drawings stay in the link
            answer["drawings_stored"] = 0

    return rebuild.rebuild(session, body, opened)


@socketio.on("*")
def unknown(event, *args):
    """Any other event name → ``error`` naming the known events."""
    name = str(event)[:64]
    try:
        _limits().check(request.sid, name)
    except Invalid as exc:
        return _reject(name, exc)
    return _reject(name, Invalid("event", f"unknown event; known: {', '.join(KNOWN)}"))
