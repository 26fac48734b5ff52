"""A reload or a brief disconnect gives the tab its run back; a reset can be undone."""
from __future__ import annotations

import pytest
from server_cases import wait_until

from app import create_app
from app.extensions import socketio
from app.hub import AWAY
from app.session import UNDO_FROM


def hello(recorder):
    return recorder.wait_for("session")


def parked(live_server):
    return live_server.health()["parked"]


def test_a_tab_that_reconnects_with_its_token_gets_the_same_epoch_and_weights(connect, live_server):
    first = connect()
    token = hello(first)["resume"]
    assert hello(first)["resumed"] is False and len(token) >= 20
    first.call("configure", {"preset": "xor-3-4-1"})
    assert first.call("start", {"speed": "max", "until": 700})["ok"] is True
    done = first.wait_for("status", lambda p: p["state"] == "done", timeout=30)
    last = first.wait_for("snapshot", lambda p: p["epoch"] == done["epoch"])
    before = parked(live_server)
    first.close(wait=True)
    assert wait_until(lambda: parked(live_server) == before + 1)

    again = connect(auth={"resume": token})

    assert hello(again) == {"resume": token, "resumed": True}
    net = again.wait_for("network")
    snap = again.wait_for("snapshot")
    assert net["config"]["preset"] == "xor-3-4-1"
    assert snap["epoch"] == 700 and snap["weights"] == last["weights"] and snap["biases"] == last["biases"]
    assert snap["curve"]["epochs"][-1] == 699 and len(snap["curve"]["loss"]) == 500  # the whole run's curve
    assert again.wait_for("status")["epoch"] == 700
    assert parked(live_server) == before
    again.call("step", {"unit": "epoch"})
    assert again.wait_for("snapshot", lambda p: p["epoch"] == 701)


def test_training_pauses_while_the_tab_is_away_and_says_why(connect):
    first = connect()
    token = hello(first)["resume"]
    first.call("configure", {"preset": "letters"})
    first.call("start", {"speed": 50})
    first.wait_for("snapshot", lambda p: p["epoch"] >= 3)
    first.close(wait=True)

    again = connect(auth={"resume": token})

    status = again.wait_for("status")
    assert (status["state"], status["reason"]) == ("paused", AWAY)
    snap = again.wait_for("snapshot")
    assert snap["epoch"] == status["epoch"] >= 3
    assert again.call("start", {"speed": "max", "until": status["epoch"] + 5})["ok"] is True
    again.wait_for("status", lambda p: p["state"] == "done")


@pytest.mark.parametrize("auth", [None, {}, {"resume": "no-such-token"}, {"resume": "x" * 24}, {"resume": 7},
                                  {"resume": "é" * 24}, {"resume": "\ud800" * 24}, {"resume": "a" * 10_000}, "resume"])
def test_an_unknown_token_gets_a_new_empty_session(connect, auth):
    tab = connect(auth=auth)
    info = hello(tab)
    assert info["resumed"] is False and info["resume"] != "no-such-token"
    ack = tab.call("step", {"unit": "epoch"})
    assert ack["ok"] is False and ack["error"]["field"] == "session"


def test_a_tab_that_comes_back_before_the_server_saw_it_go_takes_its_run_over(connect):
    old = connect()
    token = hello(old)["resume"]
    old.call("configure", {"preset": "xor-3-4-1"})
    old.call("step", {"unit": "epoch"})

    new = connect(auth={"resume": token})  # the old connection is still open

    assert hello(new)["resumed"] is True and new.wait_for("snapshot")["epoch"] == 1
    ack = old.call("step", {"unit": "epoch"})
    assert ack["ok"] is False and ack["error"]["field"] == "session"
    assert new.call("step", {"unit": "epoch"})["epoch"] == 2


# -- in-process: expiry, the cap, and undo --------------------------------------------------------------
def tab(app, auth=None):
    c = socketio.test_client(app, auth=auth)
    info = next(m["args"][0] for m in c.get_received() if m["name"] == "session")
    return c, info


@pytest.fixture
def make_app(tmp_path):
    made = []

    def make(**config):
        app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / f"d{len(made)}"), **config})
        made.append(app)
        return app
    yield make
    for app in made:
        app.extensions["playground_hub"].close_all()


def test_a_parked_run_expires(make_app):
    app = make_app(RESUME_SECONDS=0)
    c, info = tab(app)
    c.emit("configure", {"preset": "xor-3-4-1"}, callback=True)
    c.disconnect()
    again, info2 = tab(app, {"resume": info["resume"]})
    assert info2["resumed"] is False and info2["resume"] != info["resume"]
    assert app.extensions["playground_hub"].stats()["parked"] == 0
    again.disconnect()


def test_at_most_max_parked_runs_wait_and_the_oldest_goes_first(make_app):
    app = make_app(MAX_PARKED=2)
    hub = app.extensions["playground_hub"]
    tokens = []
    for _ in range(3):
        c, info = tab(app)
        c.emit("configure", {"preset": "xor-3-4-1"}, callback=True)
        c.disconnect()
        tokens.append(info["resume"])
    assert list(hub.parked) == tokens[1:]
    assert tab(app, {"resume": tokens[0]})[1]["resumed"] is False
    assert tab(app, {"resume": tokens[2]})[1]["resumed"] is True


def test_a_tab_that_never_set_up_a_network_leaves_nothing_parked(make_app):
    app = make_app()
    c, _ = tab(app)
    c.disconnect()
    assert app.extensions["playground_hub"].stats()["parked"] == 0


def ack_snapshots(c):
    """Acknowledge the snapshots in flight, as a page does once it has drawn them."""
    sid = socketio.server.manager.sid_from_eio_sid(c.eio_sid, "/")
    for ack_id in [k for k in socketio.server.manager.callbacks.get(sid, {}) if k != 0]:
        socketio.server.manager.trigger_callback(sid, ack_id, [])


def trained(app, epochs):
    c, _ = tab(app)
    c.emit("configure", {"preset": "xor-3-4-1"}, callback=True)
    session = app.extensions["playground_hub"].get(socketio.server.manager.sid_from_eio_sid(c.eio_sid, "/"))
    with session.lock:
        session.setup.trainer.run(epochs)
        weights = [w.tolist() for w in session.setup.net.weights]
    return c, weights


def test_a_reset_of_a_long_run_can_be_undone_and_redone(make_app):
    app = make_app()
    c, weights = trained(app, UNDO_FROM + 50)
    assert c.emit("reset", {}, callback=True)["undo"] == UNDO_FROM + 50
    c.get_received()
    ack_snapshots(c)

    ack = c.emit("undo", {}, callback=True)

    assert ack == {"ok": True, "epoch": UNDO_FROM + 50, "undo": None}  # the fresh run had no epochs to keep
    got = [(m["name"], m["args"][0]) for m in c.get_received()]
    assert [n for n, _ in got] == ["network", "snapshot", "status"]
    snap, status = got[1][1], got[2][1]
    assert snap["epoch"] == UNDO_FROM + 50 and snap["weights"] == weights
    assert len(snap["curve"]["epochs"]) == UNDO_FROM + 50
    assert (status["state"], status["epoch"]) == ("paused", UNDO_FROM + 50)
    again = c.emit("undo", {}, callback=True)
    assert again["ok"] is False and again["error"]["field"] == "undo"


def test_a_short_run_is_not_kept_for_undo(make_app):
    app = make_app()
    c, _ = trained(app, UNDO_FROM - 1)
    assert c.emit("reset", {}, callback=True)["undo"] is None
    ack = c.emit("undo", {}, callback=True)
    assert ack["error"] == {"event": "undo", "field": "undo", "message": (
        f"undo: nothing to undo: only a reset or a new network that replaced a run of {UNDO_FROM} epochs or more "
        "can be undone")}


@pytest.mark.parametrize("event, body", [
    ("reset", {}), ("reset", {"seed": 9}), ("configure", {"preset": "xor-3-4-1", "lr": 0.5}),
    ("configure", {"preset": "letters"}), ("configure", {"preset": "xor-3-4-1", "variant": "flipped-sign",
                                                         "compare": True}),
    ("load_model", {"name": "saved"}),
], ids=["reset", "reset-seed", "setting", "preset", "lab-variant", "load-model"])
def test_every_way_of_starting_again_keeps_a_long_run_and_says_so(make_app, event, body):
    app = make_app()
    c, weights = trained(app, UNDO_FROM + 20)
    if event == "load_model":
        assert c.emit("save_model", {"name": "saved"}, callback=True)["ok"] is True
    assert c.emit(event, body, callback=True)["undo"] == UNDO_FROM + 20
    c.get_received()
    ack_snapshots(c)

    assert c.emit("undo", {}, callback=True) == {"ok": True, "epoch": UNDO_FROM + 20, "undo": None}
    got = {m["name"]: m["args"][0] for m in c.get_received()}  # the last of each
    assert got["network"]["config"]["preset"] == "xor-3-4-1" and got["network"]["config"]["lr"] == 1.0
    assert got["snapshot"]["epoch"] == UNDO_FROM + 20 and got["snapshot"]["weights"] == weights
    assert len(got["snapshot"]["curve"]["epochs"]) == UNDO_FROM + 20


def test_a_short_run_replaced_after_a_long_one_leaves_the_long_one_kept(make_app):
    app = make_app()
    c, weights = trained(app, UNDO_FROM + 5)
    assert c.emit("reset", {}, callback=True)["undo"] == UNDO_FROM + 5
    c.emit("step", {"unit": "epoch"}, callback=True)
    assert c.emit("configure", {"preset": "xor-3-4-1", "lr": 0.5}, callback=True)["undo"] is None  # 1 epoch: not kept
    c.get_received()
    ack_snapshots(c)
    assert c.emit("undo", {}, callback=True)["epoch"] == UNDO_FROM + 5
    snap = [m["args"][0] for m in c.get_received() if m["name"] == "snapshot"][-1]  # (a held-back frame may come first)
    assert snap["epoch"] == UNDO_FROM + 5 and snap["weights"] == weights
