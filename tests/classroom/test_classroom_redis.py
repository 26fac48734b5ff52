"""Two server processes share one class through Flask-SocketIO's message queue on a real Redis (Debian's
``redis-server``, started by the test on a loopback port): the teacher on one process, students on the other."""
from __future__ import annotations

import pytest
from class_cases import LETTER_A, TOKEN, ClassServer

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory, redis_url):
    base = tmp_path_factory.mktemp("two")
    servers = [ClassServer(base / f"data{k}", base / f"server{k}.log", "--message-queue", redis_url).start()
               for k in (1, 2)]
    yield servers
    for s in servers:
        s.stop()


def test_students_on_another_process_follow_the_teacher(two_servers, clients):
    a, b = two_servers
    assert a.code == b.code  # the same token gives the same code on every process
    teacher = clients(a.url, {"token": TOKEN})
    assert teacher.call("configure", {"preset": "letters"})["ok"] is True
    students = [clients(b.url, {"code": b.code, "name": name}) for name in ("Ana", "Ben")]
    for s in students:  # welcomed on process 2 with what process 1 trains
        assert s.wait_for("network")["dataset"]["name"] == "letters"
        s.wait_for("status")
    assert teacher.wait_for("classroom", lambda p: p.get("students") == 2)
    assert (a.health()["classroom"]["owner"], b.health()["classroom"]["owner"]) == (True, False)
    assert b.health()["classroom"]["local_students"] == 2

    assert teacher.call("start", {"speed": "max"})["ok"] is True
    for s in students:
        # three distinct epochs, however fast the teacher's process trains (a loaded machine may reach epoch
        # 1,000 between two student frames)
        s.wait_for("snapshot", lambda p, s=s: len({q["epoch"] for q in s.events["snapshot"]}) >= 3, timeout=30)
        epochs = [p["epoch"] for p in s.events["snapshot"]]
        assert epochs == sorted(epochs) and len(set(epochs)) >= 3
    guess = students[0].call("predict", {"input": LETTER_A})  # from process 2's mirror of the live network
    assert guess["ok"] is True and len(guess["outputs"]) == 3
    assert students[0].call("start")["error"]["field"] == "role"

    sub = students[0].call("submit_example", {"input": LETTER_A, "label": "A"})
    assert sub["ok"] is True
    queue = teacher.wait_for("submissions", lambda q: any(p["id"] == sub["id"] for p in q["pending"]))
    assert queue["pending"][0]["name"] == "Ana" and queue["pending"][0]["guess"]["label"] in ("A", "B", "C")
    assert teacher.call("accept_example", {"id": sub["id"]})["samples"] == 4
    assert students[0].wait_for("submission")["state"] == "accepted"
    for s in students:  # the run goes on with the drawing in its training set, on both processes
        s.wait_for("dataset", lambda n: n["dataset"]["n_samples"] == 4)

    paused = teacher.call("pause")
    for s in students:
        s.wait_for("snapshot", lambda p: p["epoch"] == paused["epoch"])
        s.wait_for("status", lambda p: p["state"] == "paused" and p["epoch"] == paused["epoch"])
    assert b.health()["flow"]["max_in_flight"] <= 2


def test_neither_process_logged_an_error(two_servers):
    for server in two_servers:
        assert "Traceback" not in server.log() and "Cannot publish" not in server.log()
