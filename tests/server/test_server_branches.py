"""What if: a branch trains on from a kept epoch with other settings, beside its original, and can be saved."""
from __future__ import annotations

import numpy as np
import pytest
from server_cases import events, step, wait_until

from app.history import Keeper, Kept
from app.schema import MAX_BRANCHES
from engine import presets
from engine.branching import capture, restore

CONFIG = {"preset": "spiral", "n_points": 60, "batch": 10, "shuffle": True, "momentum": 0.5, "lr": 0.1}
SHOWN = ("network", "snapshot", "status", "runs")  # what making a run live sends, in this order


def session_of(app, sio):
    return app.extensions["playground_hub"].get(sio.sid)


def engine_branch(changes, epochs_before, branch_at, epochs_after):
    """The engine's own answer: the original run to ``epochs_before``, a branch at ``branch_at`` with
    ``changes`` trained ``epochs_after`` more."""
    original = presets.build(CONFIG)
    original.trainer.run(branch_at)
    state = capture(original.trainer)
    original.trainer.run(epochs_before - branch_at)
    branch = presets.build({**CONFIG, **changes})
    restore(branch.trainer, state, original.trainer.history)
    branch.trainer.run(epochs_after)
    return original, branch


@pytest.fixture
def trained(sio):
    """A session with 30 epochs of the spiral, shuffled mini-batches with momentum."""
    sio.call("configure", CONFIG)
    step(sio, 30)
    sio.received()
    return sio


def test_a_branch_with_no_change_from_a_scrubbed_epoch_repeats_the_original(trained, app):
    trained.call("seek", {"epoch": 20})
    trained.received()

    ack = trained.call("branch", {"epoch": 20, "changes": {}})

    assert ack == {"ok": True, "id": 1, "name": "branch 1", "label": "no change from epoch 20", "from_epoch": 20,
                   "note": None}
    shown = trained.received()
    assert [n for n, _ in shown] == list(SHOWN)
    snap = shown[1][1]
    assert snap["epoch"] == 20 and snap["curve"]["epochs"] == list(range(20))
    step(trained, 10)
    runs = session_of(app, trained).branches
    tree, live = runs._live(session_of(app, trained))
    original, branch = tree
    assert live is branch and branch.setup.trainer.epoch == original.setup.trainer.epoch == 30
    for key, values in original.setup.trainer.history.items():
        if values is not None:
            np.testing.assert_array_equal(branch.setup.trainer.history[key], values, err_msg=key)
    for a, b in zip(branch.setup.net.weights, original.setup.net.weights, strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_branch_with_another_eta_trains_as_the_engine_does_and_lists_both_curves(trained):
    ack = trained.call("branch", {"epoch": 20, "changes": {"lr": 0.5}})
    assert ack["label"] == "η 0.1 → 0.5 from epoch 20" and ack["from_epoch"] == 20
    step(trained, 10)
    trained.received()

    ack = trained.call("switch_run", {"id": 0})

    assert ack == {"ok": True, "live": 0, "epoch": 30}
    runs = events(trained, "runs")[-1]
    original, branch = engine_branch({"lr": 0.5}, 30, 20, 10)
    assert runs["live"] == 0 and runs["limit"] == MAX_BRANCHES
    assert [(r["id"], r["name"], r["parent"], r["from_epoch"], r["epoch"], r["changes"]) for r in runs["runs"]] == [
        (0, "original", None, None, 30, {}), (1, "branch 1", 0, 20, 30, {"lr": 0.5})]
    mine, its = runs["runs"][1]["curve"], runs["runs"][0]["curve"]
    assert mine["epochs"] == its["epochs"] == list(range(30))
    assert mine["loss"] == branch.trainer.history["loss"].tolist()
    assert its["loss"] == original.trainer.history["loss"].tolist()
    assert mine["loss"][:20] == its["loss"][:20] and all(a != b for a, b in zip(mine["loss"][21:], its["loss"][21:],
                                                                               strict=True))
    assert runs["runs"][1]["config"]["lr"] == 0.5 and runs["runs"][0]["config"]["lr"] == 0.1


def test_switching_shows_each_run_s_own_weights_and_trains_only_the_live_one(trained):
    trained.call("branch", {"epoch": 10, "changes": {"momentum": 0.0, "batch": "full"}})
    step(trained, 5)
    branch_snap = events(trained, "snapshot")[-1]
    original, branch = engine_branch({"momentum": 0.0, "batch": "full"}, 30, 10, 5)
    assert branch_snap["epoch"] == 15
    assert branch_snap["weights"] == [w.tolist() for w in branch.net.weights]

    trained.call("switch_run", {"id": 0})
    snap = events(trained, "snapshot")[-1]
    assert snap["epoch"] == 30 and snap["weights"] == [w.tolist() for w in original.net.weights]
    step(trained, 2)
    trained.received()
    assert trained.call("switch_run", {"id": 1})["epoch"] == 15
    back = trained.received()
    assert [n for n, _ in back] == list(SHOWN)
    assert back[1][1]["weights"] == branch_snap["weights"]
    assert [r["epoch"] for r in back[3][1]["runs"]] == [32, 15]
    assert back[0][1]["config"]["batch"] == "full" and back[2][1]["state"] == "paused"


def test_scrubbing_a_branch_before_its_start_replays_its_parent_s_past(trained):
    trained.call("seek", {"epoch": 7})
    before = events(trained, "snapshot")[-1]
    trained.call("branch", {"epoch": 20, "changes": {"lr": 1.0}})
    trained.received()
    trained.ack_snapshots()

    ack = trained.call("seek", {"epoch": 7})

    snap = events(trained, "snapshot")[-1]
    assert ack["epoch"] == 7 and snap["replay"] is True and snap["weights"] == before["weights"]


def test_a_branch_can_be_saved_like_any_run(trained, client):
    trained.call("branch", {"epoch": 25, "changes": {"regularization": "l2", "reg_rate": 0.1}})
    step(trained, 3)
    weights = events(trained, "snapshot")[-1]["weights"]

    ack = trained.call("save_model", {"name": "what if l2"})

    assert ack["ok"] is True
    model = client.get("/api/models/what if l2").get_json()
    assert model["epoch"] == 28 and model["weights"] == weights
    assert (model["config"]["regularization"], model["config"]["reg_rate"]) == ("l2", 0.1)


def test_a_session_keeps_four_branches_and_refuses_a_fifth_until_one_is_removed(trained, app):
    for k in range(MAX_BRANCHES):
        # each branch is made from the live run, the branch made before it
        assert trained.call("branch", {"epoch": 20 - k, "changes": {"lr": 0.2 + k / 10}})["ok"] is True
    trained.received()

    refused = trained.call("branch", {"epoch": 3, "changes": {}})

    assert refused == {"ok": False, "error": {"event": "branch", "field": "branch", "message": (
        f"branch: this run already has {MAX_BRANCHES} branches, the most a session keeps; remove one (its × in the "
        "list of runs) to make another")}}
    assert [n for n, _ in trained.received()] == ["error"]
    live = session_of(app, trained).setup
    assert trained.call("drop_branch", {"id": 4})["error"]["message"] == (
        "id: branch 4 is the live run: switch to another run before removing it")
    assert trained.call("drop_branch", {"id": 0})["error"]["message"] == (
        "id: the original run is not a branch: it stays")
    assert trained.call("drop_branch", {"id": 2}) == {"ok": True, "removed": 2, "runs": MAX_BRANCHES}
    assert [r["name"] for r in events(trained, "runs")[-1]["runs"]] == [
        "original", "branch 1", "branch 3", "branch 4"]
    assert session_of(app, trained).setup is live  # removing a branch leaves the live run as it was
    assert trained.call("branch", {"epoch": 3, "changes": {}})["name"] == "branch 5"


REFUSED = [
    ({"epoch": 20, "changes": {"lr": 1000}}, "lr", "Learning rate (lr): 1000 is not a number from 0 to 100"),
    ({"epoch": 20, "changes": {"momentum": 1}}, "momentum", "Momentum (momentum): 1 is not a number from 0 to 0.99"),
    ({"epoch": 20, "changes": {"batch": 0}}, "batch", None),
    ({"epoch": 20, "changes": {"batch": 500}}, "batch", None),
    ({"epoch": 20, "changes": {"regularization": "l3"}}, "regularization", None),
    ({"epoch": 20, "changes": {"reg_rate": -1}}, "reg_rate", None),
    ({"epoch": 20, "changes": {"variant": "nope"}}, "variant", None),
    ({"epoch": 20, "changes": {"variant": "bias-not-summed"}}, "batch", None),
    ({"epoch": 20, "changes": {"seed": 3}}, "seed", "seed: a branch may change only Learning rate (lr), Batch (batch), "
     "Momentum (momentum), Regularization (regularization), Regularization rate (reg_rate), Learning rule (variant)"),
    ({"epoch": 20, "changes": "faster"}, "changes", None),
    ({"epoch": 31, "changes": {}}, "epoch", "epoch: must be a whole number from 0 to 30 (the current epoch)"),
    ({"epoch": -1}, "epoch", None),
    ({"epoch": 2.5}, "epoch", None),
    ({"changes": {}}, "epoch", "epoch: is required"),
    ({"epoch": 20, "lr": 0.5}, "lr", None),
]


@pytest.mark.parametrize(("payload", "field", "message"), REFUSED)
def test_a_refused_branch_names_the_field_and_changes_nothing(trained, app, payload, field, message):
    session = session_of(app, trained)
    setup, keeper, epoch = session.setup, session.keeper, session.setup.trainer.epoch

    ack = trained.call("branch", payload)

    assert ack["ok"] is False and ack["error"]["field"] == field
    if message:
        assert ack["error"]["message"] == message
    assert [n for n, _ in trained.received()] == ["error"]
    assert (session.setup, session.keeper, session.setup.trainer.epoch) == (setup, keeper, epoch)
    tree, live = session.branches._live(session)
    assert len(tree) == 1 and live.setup is setup


@pytest.mark.parametrize(("event", "payload", "field"), [("switch_run", {"id": 7}, "id"),
                                                         ("switch_run", {}, "id"), ("drop_branch", {"id": "1"}, "id")])
def test_switching_to_or_removing_a_run_that_is_not_there_is_refused(trained, event, payload, field):
    ack = trained.call(event, payload)
    assert ack["ok"] is False and ack["error"]["field"] == field


def test_a_branch_from_an_epoch_that_is_not_kept_says_where_it_really_starts(sio, app):
    sio.call("configure", {**CONFIG, "batch": "full", "momentum": 0.0})
    sio.call("start", {"speed": "max", "until": 3000})
    session = session_of(app, sio)
    assert wait_until(lambda: session.state == "done", timeout=60)
    kept = session.keeper.epochs
    asked = next(e for e in range(kept[0], kept[-1]) if e not in kept)
    start = max(e for e in kept if e <= asked)

    ack = sio.call("branch", {"epoch": asked, "changes": {"lr": 0.3}})

    assert ack["from_epoch"] == start and ack["label"] == f"η 0.1 → 0.3 from epoch {start}"
    assert ack["note"] == (f"epoch {asked} is not kept: the branch starts from epoch {start}, the nearest kept "
                           "one before it")
    assert session.setup.trainer.epoch == start


def test_a_reset_starts_a_new_tree_and_undo_brings_the_branches_back(sio, app):
    sio.call("configure", {**CONFIG, "batch": "full"})
    sio.call("start", {"speed": "max", "until": 150})
    session = session_of(app, sio)
    assert wait_until(lambda: session.state == "done", timeout=60)
    sio.call("branch", {"epoch": 120, "changes": {"lr": 0.4}})
    sio.call("start", {"speed": "max", "until": 160})
    assert wait_until(lambda: session.state == "done", timeout=60)
    sio.call("reset", {})
    sio.received()
    assert sio.call("switch_run", {"id": 1})["error"]["message"] == "id: no run 1; the runs are 0"

    sio.call("undo")

    runs = events(sio, "runs")[-1]
    assert runs["live"] == 1 and [(r["name"], r["epoch"]) for r in runs["runs"]] == [("original", 150),
                                                                                    ("branch 1", 160)]


def test_a_branch_over_a_real_socket_trains_and_both_curves_come_to_the_client(connect):
    c = connect()
    c.call("configure", CONFIG)
    c.call("start", {"speed": "max", "until": 40})
    c.wait_for("status", lambda p: p["state"] == "done")

    ack = c.call("branch", {"epoch": 20, "changes": {"lr": 0.5, "variant": "flipped-sign"}})

    assert ack["label"] == "η 0.1 → 0.5, learning rule correct → flipped-sign from epoch 20"
    c.wait_for("runs", lambda p: p["live"] == 1)
    c.call("start", {"speed": "max", "until": 50})
    c.wait_for("status", lambda p: p["state"] == "done" and p["epoch"] == 50)
    c.call("switch_run", {"id": 0})
    runs = c.wait_for("runs", lambda p: p["live"] == 0)
    original, branch = engine_branch({"lr": 0.5, "variant": "flipped-sign"}, 40, 20, 30)
    assert [r["epoch"] for r in runs["runs"]] == [40, 50]
    assert runs["runs"][0]["curve"]["loss"] == original.trainer.history["loss"].tolist()
    assert runs["runs"][1]["curve"]["loss"] == branch.trainer.history["loss"].tolist()


def test_in_the_mistake_lab_the_branch_s_companion_goes_on_from_the_companion_s_own_state(sio, app):
    config = {**CONFIG, "batch": "full", "variant": "sigma-prime-of-activation", "compare": True}
    sio.call("configure", config)
    step(sio, 12)
    session = session_of(app, sio)
    kept = session.keeper.at_or_before(8)

    ack = sio.call("branch", {"epoch": 8, "changes": {"lr": 0.3}})

    assert ack["ok"] is True and ack["from_epoch"] == 8
    comp = session.companion.trainer
    assert session.companion.variant.name == "sigma-prime-of-activation" and comp.eta == 0.3
    assert comp.epoch == 8 and len(comp.history["loss"]) == 8
    for mine, theirs in zip(comp.net.weights, kept.companion_state.weights, strict=True):
        np.testing.assert_array_equal(mine, theirs)
    assert not all(np.array_equal(a, b) for a, b in zip(comp.net.weights, session.setup.net.weights, strict=True))
    step(sio)
    snap = events(sio, "snapshot")[-1]
    assert snap["epoch"] == 9 and snap["companion"]["epoch"] == 9


def test_a_branch_s_keeper_shares_its_parent_s_states_up_to_where_it_left_on_the_same_schedule():
    parent = Keeper(10, dense=4, limit=20)
    for e in range(40):
        parent.keep(Kept(e, [], [], 0.1))
    kept_before = parent.epochs
    past = parent.upto(21)

    assert past.epochs == [e for e in parent.epochs if e <= 21]
    assert all(past.at_or_before(e) is parent.at_or_before(e) for e in past.epochs)
    assert (past.stride, past.dense, past.limit) == (parent.stride, parent.dense, parent.limit)
    past.keep(Kept(past.next_due(21), [], [], 0.2))
    assert parent.epochs == kept_before  # the parent's keeper is not touched
    assert past.latest.eta == 0.2 and parent.at_or_before(past.latest.epoch).eta == 0.1
