"""Lessons: short guided walks through the playground, one JSON file per lesson in ``app/lessons/``.

A lesson is data: ``{"id", "title", "summary", "steps": [...]}``, its file named ``NN-<id>.json`` (NN orders the
list).  Each step sets the playground up and says what to look at:

* ``title``, ``text`` — a heading and two or three plain sentences;
* ``config`` — a preset plus overrides, as the ``configure`` event takes them; a step without one keeps the
  previous step's network (the first step must have one).  Served normalised (every field), so the page can
  compare it with the ``network`` message the server sends;
* ``select`` — ``{"kind": "neuron", "layer", "index"}`` or ``{"kind": "weight", "layer", "from", "to"}`` (the
  weight from neuron ``from`` of layer ``layer`` to neuron ``to`` of layer ``layer + 1``), as the diagram selects;
  served on the following steps too while they keep the same config (so a step opened directly looks the same);
* ``speed`` (one of the speed slider's stops), ``layout`` (``row`` / ``column``);
* ``focus`` — the page parts to look at (their ``data-testid``); the rest of the page is dimmed;
* ``card`` — the equations panel's card to scroll to and ring (``forward``, ``bp1`` … ``bp4``, ``update``);
* ``ask`` — ``{"question", "choices": [{"text", "right"}], "explain"}``: 2–4 choices, exactly one right; the page
  reveals (runs, explains) only after the learner picks one;
* ``run`` — ``{"action": "train", "epochs": n}``, ``{"action": "step-sample"}``, ``{"action": "step-epoch"}`` or
  ``{"action": "gradcheck"}`` (the mistake lab's gradient check);
* ``after`` — what was seen, shown once the question is answered or the run has been started;
* ``code`` — ``{"row": "...", "column": "..."}``: the NumPy lines a learner would write, shown in the layout the
  learner has chosen.

``load_all()`` reads and validates every file; ``validate(lesson)`` raises ``LessonError`` naming the lesson, the
step and the field.  Configs are checked by ``schema.build`` (the engine's ``presets.build`` with the app's
fields) (so a field, preset, variant or
batch size that does not exist is refused exactly as the server would), selections against the network that config
builds, focus names against the test ids the page declares (templates/ and static/), speeds against the slider's
stops in static/core/player.js.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from . import schema

ROOT = Path(__file__).resolve().parent.parent
LESSON_DIR = Path(__file__).resolve().parent / "lessons"
FILE_NAME = re.compile(r"^(\d\d)-([a-z0-9]+(?:-[a-z0-9]+)*)\.json$")
MIN_STEPS, MAX_STEPS = 2, 12
MIN_CHOICES, MAX_CHOICES = 2, 4
RUN_ACTIONS = ("train", "step-sample", "step-epoch", "gradcheck")
MAX_RUN_EPOCHS = 100_000
LAYOUTS = ("row", "column")
LESSON_KEYS = {"id", "title", "summary", "steps"}
STEP_KEYS = {"title", "text", "config", "select", "speed", "layout", "focus", "card", "ask", "run", "after", "code"}
# Words a learner should not meet: the project's history belongs to the presets' one origin line.
HISTORY = re.compile(r"\b(asker|seed 00\d|nielsen)\b", re.IGNORECASE)
_TESTID = re.compile(r"""data-testid(?:=|['"]?\s*[:,]\s*)['"]([a-z0-9-]+)['"]|testid\s*=\s*['"]([a-z0-9-]+)['"]""")


class LessonError(ValueError):
    """A lesson that does not fit the playground: the message names the lesson, the step and the field."""


@lru_cache(maxsize=1)
def page_parts() -> frozenset:
    """Every ``data-testid`` the page declares: templates/index.html and the page's scripts (not static/vendor/)."""
    static = ROOT / "static"
    files = [ROOT / "templates" / "index.html",
             *sorted(p for p in static.rglob("*.js") if "vendor" not in p.relative_to(static).parts)]
    found = set()
    for f in files:
        for m in _TESTID.finditer(f.read_text(encoding="utf-8")):
            found.add(m.group(1) or m.group(2))
    return frozenset(found)


@lru_cache(maxsize=1)
def cards() -> frozenset:
    """The equations panel's cards, read from their one home (the ``id``s in static/equations/equations-tex.js)."""
    text = (ROOT / "static" / "equations" / "equations-tex.js").read_text(encoding="utf-8")
    return frozenset(re.findall(r"\bid: '([a-z0-9]+)'", text))


@lru_cache(maxsize=1)
def speeds() -> tuple:
    """The speed slider's stops, read from their one home (``SPEEDS`` in static/core/player.js)."""
    text = (ROOT / "static" / "core" / "player.js").read_text(encoding="utf-8")
    m = re.search(r"export const SPEEDS = \[([^\]]*)\]", text)
    if not m:
        raise LessonError("static/core/player.js: SPEEDS not found")
    return tuple(json.loads(f"[{m.group(1).replace(chr(39), chr(34))}]"))


def _text(where, field, value, *, required=True):
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise LessonError(f"{where}: {field} must be non-empty text")
    if HISTORY.search(value):
        raise LessonError(f"{where}: {field} speaks of the project's history ({HISTORY.search(value).group(0)!r})")
    return value


def _select(where, sel, sizes):
    if not isinstance(sel, dict):
        raise LessonError(f"{where}: select must be an object")
    kind = sel.get("kind")
    keys = {"neuron": ("kind", "layer", "index"), "weight": ("kind", "layer", "from", "to")}.get(kind)
    if keys is None:
        raise LessonError(f"{where}: select.kind must be 'neuron' or 'weight'")
    if set(sel) != set(keys) or any(isinstance(sel[k], bool) or not isinstance(sel[k], int) for k in keys[1:]):
        raise LessonError(f"{where}: select needs exactly {', '.join(keys)} (whole numbers)")
    L = len(sizes) - 1
    if kind == "neuron":
        ok = 0 <= sel["layer"] <= L and 0 <= sel["index"] < sizes[sel["layer"]]
    else:
        layer = sel["layer"]
        ok = 0 <= layer < L and 0 <= sel["from"] < sizes[layer] and 0 <= sel["to"] < sizes[layer + 1]
    if not ok:
        raise LessonError(f"{where}: select {sel} is not in this network ({'-'.join(map(str, sizes))})")
    return sel


def _sized(where, name, value, lo, hi, noun):
    """``value`` if it is a list of ``lo`` to ``hi`` items, else LessonError naming ``name``."""
    if not isinstance(value, list) or not lo <= len(value) <= hi:
        raise LessonError(f"{where}: {name} must be a list of {lo} to {hi} {noun}")
    return value


def _ask(where, ask):
    if not isinstance(ask, dict) or set(ask) != {"question", "choices", "explain"}:
        raise LessonError(f"{where}: ask needs exactly question, choices, explain")
    _text(where, "ask.question", ask["question"])
    _text(where, "ask.explain", ask["explain"])
    choices = _sized(where, "ask.choices", ask["choices"], MIN_CHOICES, MAX_CHOICES, "choices")
    for c in choices:
        if not isinstance(c, dict) or set(c) - {"text", "right"} or "text" not in c \
                or not isinstance(c.get("right", False), bool):
            raise LessonError(f"{where}: each choice is {{text, right (true or false)}}")
        _text(where, "ask.choices.text", c["text"])
    if sum(bool(c.get("right")) for c in choices) != 1:
        raise LessonError(f"{where}: ask.choices must mark exactly one right answer")
    return {"question": ask["question"], "explain": ask["explain"],
            "choices": [{"text": c["text"], "right": bool(c.get("right"))} for c in choices]}


def _run(where, run):
    if not isinstance(run, dict) or run.get("action") not in RUN_ACTIONS:
        raise LessonError(f"{where}: run.action must be one of {', '.join(RUN_ACTIONS)}")
    if run["action"] == "train":
        n = run.get("epochs")
        if set(run) != {"action", "epochs"} or isinstance(n, bool) or not isinstance(n, int) \
                or not 1 <= n <= MAX_RUN_EPOCHS:
            raise LessonError(f"{where}: run 'train' needs epochs, a whole number from 1 to {MAX_RUN_EPOCHS}")
    elif set(run) != {"action"}:
        raise LessonError(f"{where}: run {run['action']!r} takes no other field")
    return dict(run)


def validate(lesson, name="lesson"):
    """The lesson as served (configs normalised), or LessonError naming what does not fit."""
    if not isinstance(lesson, dict) or set(lesson) != LESSON_KEYS:
        raise LessonError(f"{name}: a lesson has exactly the fields {', '.join(sorted(LESSON_KEYS))}")
    lid = lesson["id"]
    if not isinstance(lid, str) or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", lid):
        raise LessonError(f"{name}: id must be lower-case words joined by '-'")
    _text(lid, "title", lesson["title"])
    _text(lid, "summary", lesson["summary"])
    steps = _sized(lid, "steps", lesson["steps"], MIN_STEPS, MAX_STEPS, "steps")
    served, config, sizes, select = [], None, None, None
    for k, step in enumerate(steps, 1):
        where = f"{lid} step {k}"
        if not isinstance(step, dict):
            raise LessonError(f"{where}: a step is an object")
        unknown = sorted(set(step) - STEP_KEYS)
        if unknown:
            raise LessonError(f"{where}: {unknown[0]} is not a step field; allowed are {', '.join(sorted(STEP_KEYS))}")
        out = {"title": _text(where, "title", step.get("title")), "text": _text(where, "text", step.get("text"))}
        if "config" in step:
            try:
                setup = schema.build(step["config"])  # the app's fields (compare, examples) too
            except ValueError as exc:
                raise LessonError(f"{where}: config {exc}") from None
            if setup.config != config:
                select = None  # a new network: the page's selection starts afresh
            config, sizes = setup.config, list(setup.net.sizes)
        elif config is None:
            raise LessonError(f"{where}: the first step needs a config")
        out["config"] = config
        out["sizes"] = sizes
        if "select" in step:
            select = _select(where, step["select"], sizes)
        if select is not None:
            out["select"] = select
        if "speed" in step:
            if step["speed"] not in speeds() or isinstance(step["speed"], bool):
                raise LessonError(f"{where}: speed must be one of {', '.join(map(str, speeds()))}")
            out["speed"] = step["speed"]
        if "layout" in step:
            if step["layout"] not in LAYOUTS:
                raise LessonError(f"{where}: layout must be row or column")
            out["layout"] = step["layout"]
        focus = step.get("focus", [])
        if not isinstance(focus, list) or any(f not in page_parts() for f in focus):
            missing = [f for f in focus if f not in page_parts()] if isinstance(focus, list) else focus
            raise LessonError(f"{where}: focus {missing!r} is not a part of the page (a data-testid it declares)")
        out["focus"] = list(focus)
        if "card" in step:
            if step["card"] not in cards():
                raise LessonError(f"{where}: card must be one of {', '.join(sorted(cards()))}")
            out["card"] = step["card"]
        if "ask" in step:
            out["ask"] = _ask(where, step["ask"])
        if "run" in step:
            out["run"] = _run(where, step["run"])
        if "after" in step:
            out["after"] = _text(where, "after", step["after"])
            if "ask" not in step and "run" not in step:
                raise LessonError(f"{where}: after is shown once something is asked or run; this step does neither")
        if "code" in step:
            code = step["code"]
            if not isinstance(code, dict) or set(code) != set(LAYOUTS) \
                    or not all(isinstance(v, str) and v.strip() for v in code.values()):
                raise LessonError(f"{where}: code needs the lines for both layouts, row and column")
            out["code"] = dict(code)
        served.append(out)
    if "code" not in served[-1]:
        raise LessonError(f"{lid}: the last step ends with the NumPy lines (code)")
    return {"id": lid, "title": lesson["title"], "summary": lesson["summary"], "steps": served}


def lesson_files():
    """The lesson files in order; a file whose name does not read NN-id.json is refused."""
    files = sorted(LESSON_DIR.glob("*.json"))
    for f in files:
        if not FILE_NAME.match(f.name):
            raise LessonError(f"{f.name}: a lesson file is named NN-id.json")
    return files


@lru_cache(maxsize=1)
def load_all() -> tuple:
    """Every lesson, validated and in file order."""
    out = []
    for f in lesson_files():
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise LessonError(f"{f.name}: not valid JSON ({exc})") from None
        lesson = validate(data, f.name)
        if lesson["id"] != FILE_NAME.match(f.name).group(2):
            raise LessonError(f"{f.name}: id {lesson['id']!r} differs from the file's name")
        out.append(lesson)
    ids = [x["id"] for x in out]
    if len(set(ids)) != len(ids):
        raise LessonError("two lessons share an id")
    return tuple(out)
