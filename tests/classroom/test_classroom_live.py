"""A live ``backprop-playground --classroom`` on a loopback port, driven by real python-socketio clients.

The restart test restarts the module's shared server, so it comes last.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
import socketio
from class_cases import LETTER_A, LETTER_C, TOKEN, wait_until

pytestmark = pytest.mark.live


def http(url, method="GET", body=None, headers=None):
    req = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_the_output_has_the_links_and_says_what_is_exposed(class_server):
    log = class_server.log()
    code = class_server.code
    assert f"Teacher (keep this link private; it controls the class): {class_server.url}/#teacher={TOKEN}" in log
    assert f"Students join at: {class_server.url}/join   code: {code[:3]}-{code[3:]}" in log
    assert f"{class_server.url}/join?code={code}" in log
    assert "Listening on this machine only" in log


@pytest.mark.parametrize("token,status", [(None, 403), ("nope-nope-nope", 403), (TOKEN + "x", 403), (TOKEN, 200)])
def test_the_class_details_need_the_token(class_server, token, status):
    query = "" if token is None else f"?token={token}"
    got, body = http(f"{class_server.url}/api/classroom{query}")
    assert got == status
    if status == 200:
        assert body["code"] == class_server.code and body["join_url"].endswith(f"/join?code={class_server.code}")
        assert body["qr_svg"].startswith("<svg") and TOKEN not in json.dumps(body)
    else:
        assert body == {"error": {"field": "token", "message": "token: wrong or missing teacher token"}}
    assert http(f"{class_server.url}/api/classroom", headers={"X-Teacher-Token": token or ""})[0] == status


def test_the_store_takes_writes_from_the_teacher_only(class_server):
    body = {"dataset": "letters", "label": "A", "input": LETTER_A}
    assert http(f"{class_server.url}/api/examples", "POST", body)[0] == 403
    assert http(f"{class_server.url}/api/examples", "POST", body, {"X-Teacher-Token": "wrong-token"})[0] == 403
    assert http(f"{class_server.url}/api/examples", "POST", body, {"X-Teacher-Token": TOKEN})[0] == 201


def test_the_join_page_is_the_page(class_server):
    with urllib.request.urlopen(f"{class_server.url}/join?code={class_server.code}", timeout=5) as r:
        assert r.status == 200 and b'src="/static/main.js"' in r.read()


@pytest.mark.parametrize("auth,message", [
    (None, "this server runs a class"), ({"token": "wrong-token-here"}, "wrong teacher token"),
    ({"code": "ZZZZZZ"}, "no class has that code"),
])
def test_a_socket_without_the_token_or_the_code_is_refused(class_server, auth, message):
    before = class_server.health()["classroom"]
    c = socketio.Client(reconnection=False)
    reasons = []
    c.on("connect_error", reasons.append)
    with pytest.raises(socketio.exceptions.ConnectionError):
        c.connect(class_server.url, transports=["websocket"], auth=auth, wait_timeout=10)
    assert message in reasons[0]["message"] and TOKEN not in str(reasons)
    after = class_server.health()["classroom"]
    assert (after["students"], after["teachers"]) == (before["students"], before["teachers"])


def test_the_token_is_never_logged(class_server, clients):
    http(f"{class_server.url}/api/classroom?token={TOKEN}")
    http(f"{class_server.url}/api/classroom?token=wrong-{TOKEN}")
    t = clients(class_server.url, {"token": TOKEN})
    t.wait_for("classroom")
    assert class_server.log().count(TOKEN) == 1  # only the teacher link printed at start


def test_students_stream_the_teachers_training_and_stop_with_it(class_server, clients):
    teacher = clients(class_server.url, {"token": TOKEN})
    assert teacher.call("configure", {"preset": "letters"})["ok"] is True
    students = [clients(class_server.url, {"code": class_server.code, "name": f"S{k}"}) for k in range(2)]
    for s in students:
        s.wait_for("network")
    assert teacher.wait_for("classroom", lambda p: p.get("students") == 2)
    assert teacher.call("start", {"speed": "max"})["ok"] is True
    for s in students:
        s.wait_for("snapshot", lambda p: p["epoch"] >= 500, timeout=30)
        assert s.call("predict", {"input": LETTER_A})["ok"] is True
        assert s.call("pause")["error"]["field"] == "role"
    paused = teacher.call("pause")
    for s in students:
        # the pause frame (with the curve); the last streamed frame may have the same epoch
        final = s.wait_for("snapshot", lambda p: p["epoch"] == paused["epoch"] and "curve" in p)
        s.wait_for("status", lambda p: p["state"] == "paused" and p["epoch"] == paused["epoch"])
        assert isinstance(final["at"], float)
        epochs = [p["epoch"] for p in s.events["snapshot"]]
        assert epochs == sorted(epochs) and max(epochs) == paused["epoch"]
    flow = class_server.health()["flow"]
    assert flow["max_in_flight"] <= 2


def test_accepted_drawings_survive_a_restart(class_server, clients):
    teacher = clients(class_server.url, {"token": TOKEN})
    teacher.call("configure", {"preset": "letters"})
    student = clients(class_server.url, {"code": class_server.code})
    sub = student.call("submit_example", {"input": LETTER_C, "label": "C"})
    assert teacher.call("accept_example", {"id": sub["id"]})["samples"] == 4
    student.wait_for("submission", lambda p: p["state"] == "accepted")
    teacher.close()
    student.close()
    assert wait_until(lambda: class_server.health()["classroom"]["teachers"] == 0)
    class_server.restart()
    again = clients(class_server.url, {"token": TOKEN})
    assert again.wait_for("classroom")["configured"] is False  # a fresh room ...
    again.call("configure", {"preset": "letters"})
    net = again.wait_for("network")
    assert net["dataset"]["n_samples"] == 4 and net["dataset"]["X"][-1] == [float(v) for v in LETTER_C]  # ... same data
