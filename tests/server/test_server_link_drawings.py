"""A link carries the drawings a letters run trained on ("train on my drawings too"), and ``open_runs`` trains on
exactly those: the rebuilt run equals the one made by hand, bit for bit, whatever the opener's store holds (even
with the drawings deleted); the live run's drawings join the opener's list (an identical one once); a bad drawing
is refused naming the field, the allowed range or limit, and the network stays as ``configure`` left it."""
from __future__ import annotations

import json
import urllib.request

import pytest
from server_cases import LETTER_A, events, link_of, open_link, step

from app.frames import MAX_DRAWINGS
from tests.support.letters import LETTER_B, LETTER_C

CONFIG = {"preset": "letters", "examples": True}
MY_A = [0.0] * 30  # a hand-drawn A, not the dataset's own: its pixels are the pad's 0 and 1
for k in (1, 2, 5, 9, 10, 11, 14, 15, 19, 20, 24, 25, 29):
    MY_A[k] = 1.0
MY_B = [1.0 - v for v in LETTER_C]  # any image will do: the label is the learner's
THIRD = [0.5, *LETTER_B[1:]]  # a pixel value between 0 and 1 travels exactly too (a drawing posted to the API)


def call(sio, event, payload=None):
    ack = sio.call(event, payload or {})
    assert ack["ok"] is True, ack
    return ack


def opened(sio, link):
    answer = open_link(sio, link)
    assert answer["ok"] is True, answer
    return answer


def post(client, label, x):
    reply = client.post("/api/examples", json={"dataset": "letters", "label": label, "input": x})
    assert reply.status_code == 201, reply.json
    return reply.json["id"]


def drawn(sio, client, label, x):
    """A drawing stored, then trained on from the current epoch: the pad's "Add to training set as" button."""
    example = post(client, label, x)
    call(sio, "use_examples")
    return example


def drawn_by_hand(sio, client):
    """Two drawings added at epoch 3 (each: stored, then ``use_examples``, as the pad does), a third at 7, the
    first deleted at 10; trained on to 12: the last ``runs``."""
    call(sio, "configure", {"preset": "letters"})
    step(sio, 3)
    first = drawn(sio, client, "A", MY_A)
    drawn(sio, client, "B", MY_B)
    step(sio, 4)
    drawn(sio, client, "C", THIRD)
    step(sio, 3)
    assert client.delete(f"/api/examples/{first}").status_code == 200
    call(sio, "use_examples")
    step(sio, 2)
    return events(sio, "runs")[-1]


def runs_of(app, sio):
    hub = app.extensions["playground_hub"]
    return hub.get(sio.sid).branches._live(hub.get(sio.sid))[0]


def assert_same_runs(made, rebuilt):
    for a, b in zip(made, rebuilt, strict=True):
        ta, tb = a.setup.trainer, b.setup.trainer
        assert (ta.epoch, ta.data_changes) == (tb.epoch, tb.data_changes)
        assert (ta.X == tb.X).all() and (ta.Y == tb.Y).all()
        assert all((wa == wb).all() for wa, wb in zip(ta.net.weights + ta.net.biases, tb.net.weights + tb.net.biases,
                                                      strict=True))
        assert a.edits == b.edits


def test_the_runs_message_holds_each_drawing_once_and_each_change_of_them_as_an_edit(sio, client):
    runs = drawn_by_hand(sio, client)

    assert runs["drawings"] == [{"label": "A", "input": MY_A}, {"label": "B", "input": MY_B},
                                {"label": "C", "input": THIRD}]
    assert runs["runs"][0]["edits"] == [{"epoch": 3, "drawings": [0, 1]},  # two drawn one after another: one change
                                        {"epoch": 7, "drawings": [0, 1, 2]}, {"epoch": 10, "drawings": [1, 2]}]
    assert runs["runs"][0]["curve"]["data_changes"] == [3, 7, 10]


def test_a_link_with_drawings_deleted_from_the_store_rebuilds_the_same_run(sio, other, client, app):
    runs = drawn_by_hand(sio, client)
    for e in client.get("/api/examples").json["examples"]:
        client.delete(f"/api/examples/{e['id']}")
    call(other, "configure", CONFIG)
    other.received()

    ack = opened(other, link_of(runs, epoch=12))  # the page's link: the live run's newest epoch

    assert ack["runs"] == [{"id": 0, "name": "original", "epoch": 12}] and ack["drawings_stored"] == 2
    rebuilt = events(other, "runs")[-1]
    assert rebuilt["drawings"] == runs["drawings"] and rebuilt["runs"][0]["edits"] == runs["runs"][0]["edits"]
    assert_same_runs(runs_of(app, sio), runs_of(app, other))
    stored = [(e["label"], e["input"]) for e in client.get("/api/examples?dataset=letters").json["examples"]]
    assert stored == [("B", MY_B), ("C", THIRD)]  # the live run's drawings, on the opener's list


def test_the_opener_s_own_drawings_are_not_trained_on_and_an_identical_one_is_not_stored_twice(sio, other, client,
                                                                                               app):
    runs = drawn_by_hand(sio, client)  # the store still holds B and C (the same server: the same store)
    post(client, "A", LETTER_A)
    call(other, "configure", CONFIG)  # trains on B, C and the dataset's own A from the store, from epoch 0
    assert other.received() and events(sio, "runs") == []

    ack = opened(other, link_of(runs, epoch=12))

    assert ack["drawings_stored"] == 0
    assert_same_runs(runs_of(app, sio), runs_of(app, other))
    assert len(client.get("/api/examples").json["examples"]) == 3


def test_drawings_a_new_network_starts_with_are_an_edit_at_epoch_0_and_a_link_rebuilds_them(sio, other, client,
                                                                                             app):
    post(client, "A", MY_A)
    post(client, "B", MY_B)
    call(sio, "configure", CONFIG)
    step(sio, 5)
    call(sio, "step", {"unit": "epoch"})
    runs = events(sio, "runs")
    assert runs[0]["runs"][0]["edits"] == [{"epoch": 0, "drawings": [0, 1]}]
    for e in client.get("/api/examples").json["examples"]:
        client.delete(f"/api/examples/{e['id']}")
    call(other, "configure", CONFIG)

    opened(other, link_of(runs[0], epoch=6))

    made, rebuilt = runs_of(app, sio), runs_of(app, other)
    assert rebuilt[0].setup.trainer.X.shape[0] == 5
    assert_same_runs(made, rebuilt)


def test_a_branch_from_before_a_drawing_trains_without_it_and_a_link_rebuilds_it(sio, other, client, app):
    call(sio, "configure", {"preset": "letters"})
    step(sio, 3)
    drawn(sio, client, "A", MY_A)
    step(sio, 5)
    drawn(sio, client, "B", MY_B)
    step(sio, 2)
    call(sio, "branch", {"epoch": 5, "changes": {"lr": 0.5}})  # from between the two drawings
    step(sio, 3)
    call(sio, "switch_run", {"id": 0})
    runs = events(sio, "runs")[-1]
    made = runs_of(app, sio)
    assert [r.setup.trainer.X.shape[0] for r in made] == [5, 4]  # the branch: the dataset's 3 images and A
    for e in client.get("/api/examples").json["examples"]:
        client.delete(f"/api/examples/{e['id']}")
    call(other, "configure", CONFIG)

    opened(other, link_of(runs))

    assert_same_runs(made, runs_of(app, other))


def test_a_link_opens_with_the_most_drawings(sio):
    call(sio, "configure", CONFIG)
    drawings = [{"label": "ABC"[i % 3], "input": [(i >> k) & 1 for k in range(30)]} for i in range(MAX_DRAWINGS)]

    ack = opened(sio, {"epoch": 1, "drawings": drawings,
                                  "edits": [{"run": 0, "epoch": 0, "drawings": list(range(MAX_DRAWINGS))}]})

    assert ack["runs"][0]["epoch"] == 1 and ack["drawings_stored"] == MAX_DRAWINGS


def test_a_link_whose_drawings_changed_a_hundred_times_opens(sio):
    """100 drawings added one by one, an epoch trained after each: each change lists all the drawings so far."""
    call(sio, "configure", CONFIG)
    drawings = [{"label": "ABC"[i % 3], "input": [(i >> k) & 1 for k in range(30)]} for i in range(100)]
    changes = [{"run": 0, "epoch": i, "drawings": list(range(i + 1))} for i in range(100)]

    ack = opened(sio, {"epoch": 100, "drawings": drawings, "edits": changes})

    assert ack["runs"][0]["epoch"] == 100


GOOD = {"label": "A", "input": MY_A}
TOO_MANY = MAX_DRAWINGS + 1


@pytest.mark.parametrize("drawings, places, message", [
    ([{"label": "A", "input": [0, 0, 2.0, *MY_A[3:]]}], [0],
     "drawing 1 of the link: pixel 3 must be a number from 0 to 1, got 2.0"),
    ([GOOD, {"label": "A", "input": [-0.5, *MY_A[1:]]}], [0, 1],
     "drawing 2 of the link: pixel 1 must be a number from 0 to 1, got -0.5"),
    ([{"label": "A", "input": ["1", *MY_A[1:]]}], [0], "drawing 1 of the link: pixel 1 must be a number from 0 to 1, "
                                                       "got 1"),
    ([{"label": "A", "input": MY_A[:29]}], [0], "drawing 1 of the link must have 30 pixel values (its image), got 29"),
    ([{"label": "A", "input": [*MY_A, 0]}], [0], "drawing 1 of the link must have 30 pixel values (its image), got 31"),
    ([{"label": "Z", "input": MY_A}], [0], "drawing 1 of the link: label must be one of A, B, C, got 'Z'"),
    ([{"label": "A"}], [0], "drawing 1 of the link must be an object of label and input"),
    ([GOOD] * TOO_MANY, [0], f"must be a list of 0 to {MAX_DRAWINGS} drawings, got {TOO_MANY} drawings"),
    ("A", [], "must be a list of 0 to 200 drawings, got str"),
    ([GOOD], [1], "a drawings edit must list 0 to 200 places in the link's 1 drawings (edit 1 of the link)"),
    ([GOOD], [0] * TOO_MANY, "a drawings edit must list 0 to 200 places in the link's 1 drawings (edit 1 of the link)"),
], ids=["above-1", "below-0", "text", "29-pixels", "31-pixels", "label", "no-input", "too-many", "not-a-list",
        "no-such-place", "too-many-places"])
def test_a_bad_drawing_is_refused_naming_the_field_and_the_network_stays_as_configured(sio, drawings, places,
                                                                                         message):
    call(sio, "configure", CONFIG)
    sio.received()

    ack = open_link(sio, {"epoch": 2, "drawings": drawings, "edits": [{"run": 0, "epoch": 1,
                                                                               "drawings": places}]})

    assert ack["error"] == {"event": "open_runs", "field": "drawings", "message": f"Drawings (drawings): {message}"}
    assert [n for n, _ in sio.received()] == ["error"]
    assert sio.call("step", {"unit": "epoch"})["epoch"] == 1  # the network was at epoch 0, on its own data


def test_drawings_on_a_dataset_without_letters_are_refused(sio):
    call(sio, "configure", {"preset": "spiral"})

    ack = open_link(sio, {"epoch": 1, "drawings": [GOOD], "edits": [{"run": 0, "epoch": 0, "drawings": [0]}]})

    assert ack["error"]["message"] == ("Drawings (drawings): 'spirals' is not a letters dataset: drawings go with "
                                       "letters")


def test_a_drawings_edit_holds_drawings_only(sio):
    call(sio, "configure", CONFIG)

    ack = open_link(sio, {"epoch": 1, "drawings": [GOOD],
                                 "edits": [{"run": 0, "epoch": 0, "drawings": [0], "layer": 0}]})

    assert ack["error"]["field"] == "edits"
    assert ack["error"]["message"] == "edits: a drawings edit holds drawings only (edit 1 of the link)"


def _api(url, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as reply:
        return json.loads(reply.read())


def test_over_a_real_socket_drawings_added_while_training_at_max_speed_are_rebuilt_from_the_link(connect,
                                                                                                 live_server):
    """The live loop adds the drawings at whatever epoch it has reached; the link replays them there, after the
    drawings were deleted from the store: the same weights, the same curve with the same marks."""
    url = live_server.url
    first, second = connect(), connect()
    first.call("configure", {"preset": "letters"})
    first.call("start", {"speed": "max"})
    first.wait_for("snapshot", lambda p: p["epoch"] >= 50)
    ids = [_api(url, "POST", "/api/examples", {"dataset": "letters", "label": label, "input": x})["id"]
           for label, x in (("A", MY_A), ("B", MY_B))]
    assert first.call("use_examples")["ok"]
    first.wait_for("snapshot", lambda p: p["epoch"] >= 150)
    assert first.call("use_examples")["ok"]  # the same drawings again: a mark, nothing else changes
    runs = first.wait_for("runs", lambda p: len(p["runs"][0]["edits"]) == 2)
    paused = first.call("pause")
    last = first.wait_for("snapshot", lambda p: p["epoch"] == paused["epoch"] and "curve" in p)
    for i in ids:
        _api(url, "DELETE", f"/api/examples/{i}")

    second.call("configure", CONFIG)
    assert second.call("open_runs", link_of(runs, epoch=paused["epoch"]))["ok"]
    ack = second.wait_for("link", lambda p: p["state"] == "opened")

    assert ack["runs"] == [{"id": 0, "name": "original", "epoch": paused["epoch"]}] and ack["drawings_stored"] == 2
    rebuilt = second.wait_for("snapshot", lambda p: p["epoch"] == paused["epoch"] and "curve" in p)
    assert (rebuilt["weights"], rebuilt["biases"]) == (last["weights"], last["biases"])
    assert rebuilt["curve"] == last["curve"] and len(rebuilt["curve"]["data_changes"]) == 2
    # the runs as the link opened them (configure's own came first: the shared server's store may hold drawings)
    assert second.wait_for("runs", lambda p: len(p["runs"][0]["edits"]) == 2)["runs"][0]["edits"] \
        == runs["runs"][0]["edits"]
