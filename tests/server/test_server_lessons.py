"""Lessons are data: every file in app/lessons/ fits the configuration and the page, and GET /api/lessons serves them.

A lesson that points at a field, preset, variant, neuron or page part that does not exist is refused with a
message naming the lesson, the step and what is wrong.
"""
from __future__ import annotations

import copy
import json

import pytest

from app import lessons, schema
from app.lessons import LessonError

EIGHT = ["tour", "forward", "plus-equals", "previous-activation", "transposes", "sigma-prime", "mse-cross-entropy",
         "not-learning"]


def _raw(name):
    path = next(p for p in lessons.lesson_files() if p.stem.split("-", 1)[1] == name)
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_eight_lessons_load_in_order():
    assert [x["id"] for x in lessons.load_all()] == EIGHT


@pytest.mark.parametrize("name", EIGHT)
def test_every_step_serves_its_config_normalised_as_the_server_will_report_it(name):
    raw, served = _raw(name), next(x for x in lessons.load_all() if x["id"] == name)
    config = None
    for step, out in zip(raw["steps"], served["steps"], strict=True):
        config = schema.build(step["config"]).config if "config" in step else config
        assert out["config"] == config
        assert out["sizes"] == list(schema.build(config).net.sizes)


@pytest.mark.parametrize("name", EIGHT)
def test_every_lesson_asks_before_it_reveals_and_ends_with_both_layouts_of_numpy(name):
    lesson = next(x for x in lessons.load_all() if x["id"] == name)
    assert 4 <= len(lesson["steps"]) <= 10
    assert any("ask" in s for s in lesson["steps"])
    assert set(lesson["steps"][-1]["code"]) == {"row", "column"}


def test_the_page_parts_include_the_panels_and_the_lesson_hooks():
    parts = lessons.page_parts()
    for name in ("network", "equations", "lab", "loss-chart", "training-images", "heatmap", "grad-grid",
                 "lesson", "lesson-step", "lesson-next", "lesson-back", "lesson-choice", "lesson-done"):
        assert name in parts
    assert "no-such-panel" not in parts


def test_cards_are_read_from_the_equations_panel():
    assert {"forward", "bp1", "bp2", "bp3", "bp4", "update"} <= lessons.cards()


def test_speeds_are_read_from_the_slider():
    assert lessons.speeds() == ("sample", 1, 3, 10, 30, 100, 300, 1000, "max")


def _tour():
    return copy.deepcopy(_raw("tour"))


def _set(path, value):
    def change(lesson):
        target = lesson
        for key in path[:-1]:
            target = target[key]
        if value is _DROP:
            del target[path[-1]]
        else:
            target[path[-1]] = value
        return lesson
    return change


_DROP = object()

BAD = [
    ("unknown config field", _set(["steps", 0, "config", "colour"], "red"), "tour step 1: config colour: unknown"),
    ("unknown preset", _set(["steps", 0, "config", "preset"], "mnist"), "tour step 1: config Preset (preset): 'mnist'"),
    ("unknown variant", _set(["steps", 0, "config", "variant"], "magic"),
     "tour step 1: config Learning rule (variant): 'magic'"),
    ("batch larger than the data", _set(["steps", 0, "config", "batch"], 4), "tour step 1: config Batch (batch): 4"),
    ("first step without config", _set(["steps", 0, "config"], _DROP), "tour step 1: the first step needs a config"),
    ("neuron outside the network", _set(["steps", 2, "select"], {"kind": "neuron", "layer": 1, "index": 5}),
     "tour step 3: select"),
    ("weight outside the network", _set(["steps", 5, "select"], {"kind": "weight", "layer": 2, "from": 0, "to": 0}),
     "tour step 6: select"),
    ("panel that does not exist", _set(["steps", 0, "focus"], ["network", "gauges"]), "tour step 1: focus ['gauges']"),
    ("speed not on the slider", _set(["steps", 0, "speed"], 7), "tour step 1: speed must be one of"),
    ("layout", _set(["steps", 0, "layout"], "diagonal"), "tour step 1: layout must be row or column"),
    ("card that does not exist", _set(["steps", 0, "card"], "bp5"), "tour step 1: card must be one of"),
    ("two right answers", _set(["steps", 1, "ask", "choices", 1, "right"], True), "exactly one right answer"),
    ("no right answer", _set(["steps", 1, "ask", "choices", 0, "right"], False), "exactly one right answer"),
    ("one choice", _set(["steps", 1, "ask", "choices"], [{"text": "yes", "right": True}]), "2 to 4 choices"),
    ("no explanation", _set(["steps", 1, "ask", "explain"], _DROP), "ask needs exactly question, choices, explain"),
    ("run without epochs", _set(["steps", 3, "run"], {"action": "train"}), "run 'train' needs epochs"),
    ("run that does not exist", _set(["steps", 3, "run"], {"action": "fly"}), "run.action must be one of"),
    ("after with nothing to reveal", _set(["steps", 0, "after"], "Seen."), "after is shown once"),
    ("one layout of code", _set(["steps", 7, "code"], {"row": "W -= eta * g"}), "code needs the lines for both"),
    ("no code at the end", _set(["steps", 7, "code"], _DROP), "the last step ends with the NumPy lines"),
    ("unknown step field", _set(["steps", 0, "sound"], "beep"), "tour step 1: sound is not a step field"),
    ("the project's history", _set(["steps", 0, "text"], "As the asker wrote."), "speaks of the project's history"),
    ("empty text", _set(["steps", 0, "text"], " "), "tour step 1: text must be non-empty text"),
    ("id", _set(["id"], "Tour!"), "id must be lower-case words"),
]


@pytest.mark.parametrize("change, message", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_lesson_that_does_not_fit_is_refused_naming_the_step_and_field(change, message):
    lessons.validate(_tour())  # the untouched lesson passes
    with pytest.raises(LessonError) as err:
        lessons.validate(change(_tour()))
    assert message in str(err.value)


def test_get_api_lessons_lists_id_title_summary_and_steps(client):
    r = client.get("/api/lessons")
    assert r.status_code == 200
    body = r.get_json()
    assert [x["id"] for x in body] == EIGHT
    assert all(set(x) == {"id", "title", "summary", "steps"} for x in body)
    assert body[0]["steps"][0]["config"] == schema.build({"preset": "letters"}).config
