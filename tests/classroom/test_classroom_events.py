"""Classroom mode through Flask-SocketIO's test client: who gets in, who may do what, what students receive,
and the teacher's queue of drawings from submission to training."""
from __future__ import annotations

import numpy as np
import pytest
from class_cases import LETTER_A, LETTER_C, TOKEN, make_class_app, wait_until

from app.classroom import fanout

CONTROL = [  # (event, payload): every one is the teacher's
    ("configure", {"preset": "xor-3-4-1"}), ("start", {"speed": "max"}), ("pause", {}), ("step", {"unit": "epoch"}),
    ("step", {"unit": "sample"}), ("reset", {"seed": 3}), ("seek", {"epoch": 0}), ("set", {"lr": 5}),
    ("gradcheck", {}), ("save_model", {"name": "mine"}), ("load_model", {"name": "mine"}),
    ("accept_example", {"id": "x-1"}), ("reject_example", {"id": "x-1"}), ("clear_examples", {}),
]


@pytest.fixture
def teacher(join):
    t = join("teacher")
    assert t.call("configure", {"preset": "letters"})["ok"] is True
    return t


@pytest.mark.parametrize("auth", [None, {}, {"token": "wrong-token-here"}, {"token": TOKEN[:-1]}, {"code": "ZZZZZZ"},
                                  {"code": ""}, {"name": "Ana"}, {"token": ["x"]}, "token"])
def test_anyone_without_the_token_or_the_code_is_refused_at_connect(join, hub, auth):
    m = join(auth=auth)
    assert not m.connected
    assert hub.members == {} and hub.stats()["classroom"]["students"] == 0


def test_the_teacher_and_students_get_in_and_are_counted(join, hub):
    t = join("teacher")
    s = join("student", name="  Ana <b> ")
    assert t.connected and s.connected
    assert t.events("classroom")[0] == {"role": "teacher", "name": "Teacher", "students": 0, "configured": False,
                                        "pending": 0, **hub.classroom.public(), "accepted": 0}
    assert s.events("classroom")[0] == {"role": "student", "name": "Ana b", "students": 1, "configured": False,
                                        "pending": 0, "code": hub.classroom.code,
                                        "may_send": ["predict", "submit_example", "lesson_answer"]}
    join("student")
    assert [m.name for m in hub.members.values()] == ["Teacher", "Ana b", "Student 1"]
    assert t.wait_for("classroom", lambda p: p.get("students") == 2)


def test_students_follow_the_teachers_network(teacher, join):
    s = join("student")
    net = s.wait_for("network")
    assert net == teacher.events("network")[0] and net["dataset"]["name"] == "letters"
    assert s.wait_for("snapshot")["epoch"] == 0
    assert s.wait_for("status") == {"state": "idle", "epoch": 0, "reason": "", "speed": "max", "until": None}
    assert teacher.call("step", {"unit": "epoch"})["epoch"] == 1
    assert s.wait_for("snapshot", lambda p: p["epoch"] == 1, ack=True)["replay"] is False
    assert s.wait_for("status", lambda p: p["state"] == "paused")["epoch"] == 1


def test_a_late_student_is_welcomed_with_the_state_as_it_is(teacher, join):
    teacher.call("step", {"unit": "epoch"})
    teacher.call("step", {"unit": "epoch"})
    s = join("student")
    names = [n for n, _ in s.events()]
    assert names[:2] == ["classroom", "network"] and "status" in names
    first = s.wait_for("snapshot")
    assert first["epoch"] == 2 and "curve" in first and "at" in first


@pytest.mark.parametrize("event,payload", CONTROL, ids=[f"{e}-{i}" for i, (e, _) in enumerate(CONTROL)])
def test_a_student_cannot_drive_the_network(teacher, join, hub, event, payload):
    teacher.call("step", {"unit": "epoch"})
    s = join("student")
    before = (hub.session.setup.trainer.epoch, hub.session.state, hub.session.setup.config,
              [w.copy() for w in hub.session.setup.net.weights])
    teacher_seen = len(teacher.events())
    ack = s.call(event, payload)
    assert ack["ok"] is False and ack["error"]["field"] == "role" and event in ack["error"]["message"]
    assert s.events("error")[-1] == ack["error"]
    after = (hub.session.setup.trainer.epoch, hub.session.state, hub.session.setup.config,
             hub.session.setup.net.weights)
    assert before[:3] == after[:3] and all(np.array_equal(a, b) for a, b in zip(before[3], after[3], strict=True))
    assert [n for n, _ in teacher.events()[teacher_seen:]] in ([], ["classroom"])


def test_a_student_predicts_on_the_live_model(teacher, join):
    s = join("student")
    teacher.call("step", {"unit": "epoch"})
    assert s.call("predict", {"input": LETTER_A}) == teacher.call("predict", {"input": LETTER_A})


def test_a_drawing_reaches_the_teachers_queue_with_the_models_guess(teacher, join):
    s = join("student", name="Ana")
    ack = s.call("submit_example", {"input": LETTER_A, "label": "A"})
    assert ack["ok"] is True and ack["state"] == "pending"
    queue = teacher.wait_for("submissions", lambda q: q["pending"])
    guess = teacher.call("predict", {"input": LETTER_A})
    assert queue["accepted"] == 0 and len(queue["pending"]) == 1
    sub = queue["pending"][0]
    assert (sub["id"], sub["name"], sub["label"], sub["input"]) == (ack["id"], "Ana", "A", [float(v) for v in LETTER_A])
    assert sub["guess"] == {"label": guess["label"], "outputs": guess["outputs"]}
    assert "sid" not in sub


@pytest.mark.parametrize("payload,field", [
    ({"input": LETTER_A}, "label"),
    ({"label": "A"}, "input"),
    ({"input": LETTER_A, "label": "D"}, "label"),
    ({"input": LETTER_A, "label": 1}, "label"),
    ({"input": LETTER_A[:-1], "label": "A"}, "input"),
    ({"input": LETTER_A + [0], "label": "A"}, "input"),
    ({"input": [0] * 30, "label": "A"}, "input"),
    ({"input": [2] + LETTER_A[1:], "label": "A"}, "input"),
    ({"input": [-0.5] + LETTER_A[1:], "label": "A"}, "input"),
    ({"input": [float("nan")] + LETTER_A[1:], "label": "A"}, "input"),
    ({"input": ["1"] + LETTER_A[1:], "label": "A"}, "input"),
    ({"input": LETTER_A, "label": "A", "name": "Eve"}, "name"),
    ([LETTER_A, "A"], "payload"),
])
def test_bad_drawings_are_refused_and_nothing_is_queued(teacher, join, hub, payload, field):
    s = join("student")
    ack = s.call("submit_example", payload)
    assert ack["ok"] is False and ack["error"]["field"] == field
    assert len(hub.submissions) == 0 and not teacher.events("submissions")


def test_drawings_need_a_letters_network(join):
    t = join("teacher")
    t.call("configure", {"preset": "xor-3-4-1"})
    ack = join("student").call("submit_example", {"input": [1, 0, 1], "label": "1"})
    assert ack["error"]["field"] == "dataset"


def test_one_student_may_have_three_drawings_waiting(teacher, join):
    ana, ben = join("student"), join("student")
    for _ in range(3):
        assert ana.call("submit_example", {"input": LETTER_A, "label": "A"})["ok"] is True
    refused = ana.call("submit_example", {"input": LETTER_A, "label": "A"})
    assert refused["error"]["field"] == "queue"
    assert ben.call("submit_example", {"input": LETTER_C, "label": "C"})["ok"] is True


def test_an_accepted_drawing_joins_training_and_the_store(teacher, join, hub):
    s = join("student", name="Ana")
    sub = s.call("submit_example", {"input": LETTER_C, "label": "A"})  # a C that the student calls A
    ack = teacher.call("accept_example", {"id": sub["id"]})
    assert ack == {"ok": True, "id": sub["id"], "accepted": 1, "samples": 4, "training": False}
    assert s.wait_for("submission") == {"id": sub["id"], "label": "A", "state": "accepted"}
    change = s.wait_for("dataset", lambda n: n["dataset"]["n_samples"] == 4)
    assert change["dataset"]["X"][-1] == [float(v) for v in LETTER_C] and change["dataset"]["Y"][-1] == [1, 0, 0]
    assert hub.mirror.network["dataset"] == change["dataset"]  # a late joiner gets the new training set
    tr = hub.session.setup.trainer
    assert tr.X.shape == (4, 30) and tr.epoch == 0
    assert teacher.wait_for("submissions", lambda q: q["accepted"] == 1)["pending"] == []
    assert hub.store.list_accepted("letters") == [("A", [float(v) for v in LETTER_C])]
    teacher.call("start", {"speed": "max", "until": 3000})
    teacher.wait_for("status", lambda p: p["state"] == "done", timeout=30)
    assert teacher.call("predict", {"input": LETTER_C})["label"] == "A"  # it learned the student's label


def test_accepting_keeps_the_epoch_the_curve_and_the_training_going(teacher, join, hub):
    teacher.call("start", {"speed": "max"})
    wait_until(lambda: hub.session.setup.trainer.epoch > 50)
    sub = join("student").call("submit_example", {"input": LETTER_A, "label": "A"})
    with hub.session.lock:
        epoch = hub.session.setup.trainer.epoch
        ack = teacher.call("accept_example", {"id": sub["id"]})
    assert ack["training"] is True and ack["samples"] == 4
    tr = hub.session.setup.trainer
    assert tr.data_changes == [epoch]  # the curve goes on, marked where the data changed
    assert wait_until(lambda: hub.session.training and tr.epoch > epoch)
    teacher.call("pause")
    assert len(tr.history["loss"]) == tr.epoch


def test_a_rejected_drawing_is_dropped(teacher, join, hub):
    s = join("student")
    sub = s.call("submit_example", {"input": LETTER_A, "label": "B"})
    assert teacher.call("reject_example", {"id": sub["id"]}) == {"ok": True, "id": sub["id"]}
    assert s.wait_for("submission")["state"] == "rejected"
    assert hub.store.list_accepted("letters") == [] and hub.session.setup.trainer.X.shape[0] == 3
    again = teacher.call("accept_example", {"id": sub["id"]})
    assert again["error"]["field"] == "id"


def test_clearing_goes_back_to_the_datasets_own_images(teacher, join, hub):
    sub = join("student").call("submit_example", {"input": LETTER_A, "label": "A"})
    teacher.call("accept_example", {"id": sub["id"]})
    assert teacher.call("clear_examples") == {"ok": True, "cleared": 1, "samples": 3, "training": False}
    assert hub.session.setup.trainer.X.shape[0] == 3
    teacher.call("step", {"unit": "epoch"})
    assert teacher.call("clear_examples") == {"ok": True, "cleared": 0, "samples": 3, "training": False}
    assert hub.session.setup.trainer.epoch == 1  # nothing to forget: the run goes on


def test_accepted_drawings_survive_a_restart(tmp_path, classroom):
    app = make_class_app(tmp_path / "d", classroom)
    hub = app.extensions["playground_hub"]
    hub.store.add_accepted("letters", "B", [float(v) for v in LETTER_A], "Ana")
    hub.close_all()
    again = make_class_app(tmp_path / "d", classroom)
    try:
        again.extensions["playground_hub"].session.configure({"preset": "letters"})
        ds = again.extensions["playground_hub"].session.setup.dataset
        assert ds.n_samples == 4 and ds.Y[-1].tolist() == [0.0, 1.0, 0.0]
    finally:
        again.extensions["playground_hub"].close_all()


def test_a_snapshot_is_encoded_once_for_the_whole_class(teacher, join, hub, monkeypatch):
    encodes = []
    real = fanout.Encoded.encode
    monkeypatch.setattr(fanout.Encoded, "encode", classmethod(lambda cls, f, at: encodes.append(1) or real(f, at)))
    students = [join("student") for _ in range(3)]
    for s in students:
        s.wait_for("snapshot")
        s.ack()
    encodes.clear()
    sent = hub.fan.sent
    teacher.call("step", {"unit": "epoch"})
    for s in students:
        s.wait_for("snapshot", lambda p: p["epoch"] == 1, ack=True)
    assert len(encodes) == hub.fan.sent - sent == 1
    last = [s.events("snapshot")[-1] for s in students]
    assert last[0] == last[1] == last[2]


def test_each_student_has_its_own_window_and_gets_the_newest_state(teacher, join, hub):
    quick, slow = join("student"), join("student")
    teacher.call("start", {"speed": "max"})
    quick.wait_for("snapshot", lambda p: len(quick.events("snapshot")) >= 8, ack=True, timeout=30)
    assert len(slow.events("snapshot")) == 2  # its window (2 unacknowledged) is full: nothing more was queued
    paused = teacher.call("pause")
    quick.wait_for("snapshot", lambda p: p["epoch"] == paused["epoch"], ack=True)
    assert hub.gates[slow.sid].replaced > 0
    slow.wait_for("snapshot", lambda p: p["epoch"] == paused["epoch"] and "curve" in p, ack=True)  # the newest ...
    assert len(slow.events("snapshot")) <= 4  # ... not a queue: its 2 in flight, then the newest state


def test_the_room_pauses_when_everyone_has_left(join, hub):
    t = join("teacher")
    t.call("configure", {"preset": "letters"})
    s = join("student")
    t.call("start", {"speed": "max"})
    t.raw.disconnect()
    assert hub.session.training  # the students still watch
    s.raw.disconnect()
    assert wait_until(lambda: not hub.session.training) and hub.session.state == "paused"


def test_classroom_events_on_a_solo_server(sio):
    ack = sio.call("submit_example", {"input": LETTER_A, "label": "A"})
    assert ack["error"]["field"] == "event" and "--classroom" in ack["error"]["message"]
