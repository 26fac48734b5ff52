"""A link's "what if" runs (``open_runs``): a fresh network trained again to each branch gives the same runs."""
from __future__ import annotations

import pytest
from server_cases import events, link_of, open_link, step

from app.schema import MAX_BRANCHES

CONFIG = {"preset": "spiral", "n_points": 60, "batch": 10, "shuffle": True, "momentum": 0.5, "lr": 0.1}
SHOWN = ("network", "snapshot", "status", "runs")  # what making a run live sends, in this order


def made_by_hand(sio, config=CONFIG):
    """The original to 40 epochs; branch 1 from 20 (η 0.5) to 35; branch 2 of branch 1 from 30 (batch 5, L2) to
    45; branch 3 of the original from 10 (no momentum) left at 10. Ends with the original live: its ``runs``."""
    sio.call("configure", config)
    step(sio, 40)
    assert sio.call("branch", {"epoch": 20, "changes": {"lr": 0.5}})["ok"]
    step(sio, 15)
    assert sio.call("branch", {"epoch": 30, "changes": {"batch": 5, "regularization": "l2", "reg_rate": 0.01}})["ok"]
    step(sio, 15)
    assert sio.call("switch_run", {"id": 0})["ok"]
    assert sio.call("branch", {"epoch": 10, "changes": {"momentum": 0}})["ok"]
    assert sio.call("switch_run", {"id": 0})["ok"]
    return events(sio, "runs")[-1]


def test_a_link_rebuilds_every_run_with_the_same_curve_label_and_epoch(sio, other):
    runs = made_by_hand(sio)
    assert [(r["epoch"], r["from_epoch"]) for r in runs["runs"]] == [(40, None), (35, 20), (45, 30), (10, 10)]
    other.call("configure", CONFIG)
    other.received()

    ack = open_link(other, link_of(runs))

    assert ack == {"ok": True, "live": 0, "runs": [{"id": 0, "name": "original", "epoch": 40},
                                                   {"id": 1, "name": "branch 1", "epoch": 35},
                                                   {"id": 2, "name": "branch 2", "epoch": 45},
                                                   {"id": 3, "name": "branch 3", "epoch": 10}]}
    shown = other.received()
    assert [n for n, _ in shown] == list(SHOWN)
    assert shown[3][1] == runs
    assert shown[1][1]["epoch"] == 40 and shown[2][1]["state"] == "paused"


def test_the_mistake_lab_s_companion_is_rebuilt_too(sio, other, app):
    config = {**CONFIG, "variant": "flipped-sign", "compare": True}
    runs = made_by_hand(sio, config)
    other.call("configure", config)
    other.received()

    open_link(other, link_of(runs))

    assert [p for n, p in other.received() if n == "runs"] == [runs]
    hub = app.extensions["playground_hub"]
    made, rebuilt = (hub.get(c.sid).branches._live(hub.get(c.sid))[0] for c in (sio, other))
    for a, b in zip(made, rebuilt, strict=True):
        assert a.companion is not None and a.companion.trainer.epoch == b.companion.trainer.epoch
        for wa, wb in zip(a.companion.net.weights + a.setup.net.weights, b.companion.net.weights + b.setup.net.weights,
                          strict=True):
            assert (wa == wb).all()


def test_a_link_can_make_a_branch_live_and_its_runs_are_the_ones_the_link_names(sio, other):
    runs = made_by_hand(sio)
    sio.call("switch_run", {"id": 2})
    runs = {**runs, "live": 2, "runs": [{**r, "live": r["id"] == 2} for r in runs["runs"]]}
    other.call("configure", CONFIG)
    other.received()

    assert open_link(other, link_of(runs))["live"] == 2

    network, snapshot, _, shown = (p for _, p in other.received())
    assert shown == runs
    assert network["config"]["batch"] == 5 and snapshot["epoch"] == 45


@pytest.mark.parametrize(("link", "field", "words"), [
    ({"branches": []}, "branches", "a link's runs need a branch or an edit"),
    ({"branches": [{"parent": 0, "from_epoch": 1, "epoch": 2}] * (MAX_BRANCHES + 1)}, "branches", "0 to 4"),
    ({"epoch": 10, "branches": [{"parent": 1, "from_epoch": 5, "epoch": 9}]}, "parent",
     "parent: 1 is not a whole number from 0 to 0 (branch 1 of the link)"),
    ({"epoch": 10, "branches": [{"parent": 0, "from_epoch": 11, "epoch": 20}]}, "from_epoch",
     "from_epoch: 11 is not a whole number from 0 to 10 (branch 1 of the link)"),
    ({"epoch": 10, "branches": [{"parent": 0, "from_epoch": 5, "epoch": 4}]}, "epoch",
     "epoch: 4 is not a whole number from 5 to"),
    ({"epoch": 10, "branches": [{"parent": 0, "from_epoch": 5, "epoch": 9, "changes": {"lr": -1}}]}, "lr",
     "(branch 1 of the link)"),
    ({"epoch": 10, "branches": [{"parent": 0, "from_epoch": 5, "epoch": 9, "changes": {"seed": 3}}]}, "seed",
     "a branch may change only Learning rate"),
    ({"epoch": 10, "branches": [{"parent": 0, "from_epoch": 5, "epoch": 9, "colour": 1}]}, "branches",
     "must be objects of parent, from_epoch, epoch and changes"),
    ({"epoch": 10, "live": 2, "branches": [{"parent": 0, "from_epoch": 5, "epoch": 9}]}, "live",
     "live: 2 is not a whole number from 0 to 1"),
])
def test_a_bad_link_is_refused_naming_the_field_and_the_network_stays_at_epoch_0(sio, link, field, words):
    sio.call("configure", CONFIG)
    sio.received()

    ack = open_link(sio, link)

    assert ack["ok"] is False and ack["error"]["field"] == field and words in ack["error"]["message"], ack
    assert [n for n, _ in sio.received()] == ["error"]
    assert sio.call("step", {"unit": "epoch"})["ok"]
    assert [p["epoch"] for p in events(sio, "snapshot")] == [1]


def test_a_link_opens_only_on_a_new_network(sio):
    sio.call("configure", CONFIG)
    step(sio, 3)
    sio.received()

    ack = open_link(sio, {"epoch": 5, "branches": [{"parent": 0, "from_epoch": 1, "epoch": 2}]})

    assert ack["error"] == {"event": "open_runs", "field": "epoch",
                            "message": "epoch: a link's runs open on a new network: send configure first"}


def test_a_run_that_diverges_before_its_branch_leaves_is_refused_and_the_network_goes_back_to_epoch_0(sio):
    sio.call("configure", {"preset": "xor-3-4-1", "activation": "linear", "lr": 100})  # overflows at epoch 4
    sio.received()

    ack = open_link(sio, {"epoch": 9, "branches": [{"parent": 0, "from_epoch": 8, "epoch": 9}]})

    assert ack["error"] == {"event": "open_runs", "field": "from_epoch", "message": "from_epoch: original diverged "
                            "at epoch 4, before epoch 8 where a branch of the link leaves it"}
    assert sio.call("step", {"unit": "epoch"})["ok"]
    snaps = events(sio, "snapshot")
    assert [s["epoch"] for s in snaps] == [1]



def test_over_a_real_socket_a_link_s_runs_match_the_ones_trained_live_at_max_speed(connect):
    """Runs trained by the live loop (chunks sized by time, keeper coarsened) and the link's rebuild agree."""
    first, second = connect(), connect()
    first.call("configure", CONFIG)
    first.call("start", {"speed": "max", "until": 300})
    first.wait_for("status", lambda p: p["state"] == "done")
    assert first.call("branch", {"epoch": 300, "changes": {"lr": 0.4, "momentum": 0.9}})["ok"]
    first.wait_for("runs", lambda p: p["live"] == 1)
    first.call("start", {"speed": "max", "until": 500})
    first.wait_for("status", lambda p: p["state"] == "done" and p["epoch"] == 500)
    first.call("switch_run", {"id": 0})
    runs = first.wait_for("runs", lambda p: p["live"] == 0)

    second.call("configure", CONFIG)
    assert second.call("open_runs", link_of(runs))["ok"]
    ack = second.wait_for("link", lambda p: p["state"] == "opened")

    assert ack["runs"] == [{"id": 0, "name": "original", "epoch": 300}, {"id": 1, "name": "branch 1", "epoch": 500}]
    assert second.wait_for("runs", lambda p: p["live"] == 0) == runs


LONG = {"epoch": 5000, "branches": [{"parent": 0, "from_epoch": 1000, "epoch": 5000, "changes": {"lr": 0.2}},
                                    {"parent": 0, "from_epoch": 2000, "epoch": 5000, "changes": {"lr": 0.05}},
                                    {"parent": 1, "from_epoch": 3000, "epoch": 5000, "changes": {"momentum": 0}}]}


def test_over_a_real_socket_a_long_link_says_where_it_is_and_a_pause_stops_it_changing_nothing(connect):
    """The runs are trained again in the background: the event answers at once, ``link`` messages say which run
    and epoch, the tab's other events are answered meanwhile, and a pause stops it: the network stays as
    configured (epoch 0, no runs)."""
    tab = connect()
    tab.call("configure", CONFIG)

    ack = tab.call("open_runs", LONG)

    assert ack == {"ok": True, "rebuilding": {"runs": 4, "epochs": [5000, 5000, 5000, 5000]}}
    assert tab.wait_for("link") == {"state": "rebuilding", "run": 1, "runs": 4, "epoch": 0, "epochs": 5000}
    tab.wait_for("link", lambda p: p["state"] == "rebuilding" and p["epoch"] > 0)
    assert tab.call("pause") == {"ok": True, "epoch": 0}
    assert tab.wait_for("link", lambda p: p["state"] != "rebuilding") == {"state": "cancelled"}
    assert tab.call("step", {"unit": "epoch"})["epoch"] == 1
    assert tab.events["runs"] == []


def test_over_a_real_socket_a_link_s_progress_goes_run_by_run_and_ends_opened(connect):
    tab = connect()
    tab.call("configure", CONFIG)
    link = {"epoch": 400, "branches": [{"parent": 0, "from_epoch": 100, "epoch": 300, "changes": {"lr": 0.2}}]}

    assert tab.call("open_runs", link)["ok"]

    opened = tab.wait_for("link", lambda p: p["state"] != "rebuilding")
    assert opened == {"state": "opened", "live": 0, "runs": [{"id": 0, "name": "original", "epoch": 400},
                                                              {"id": 1, "name": "branch 1", "epoch": 300}]}
    said = [(p["run"], p["epoch"], p["epochs"]) for p in tab.events["link"][:-1]]
    assert said[0] == (1, 0, 400) and said == sorted(said)
    assert all(0 <= epoch <= epochs for _, epoch, epochs in said) and {r for r, _, _ in said} <= {1, 2}
    assert tab.wait_for("runs")["runs"][1]["epoch"] == 300


def test_over_a_real_socket_a_weight_typed_in_while_a_link_rebuilds_is_kept_and_the_link_not_opened(connect):
    tab = connect()
    tab.call("configure", CONFIG)
    assert tab.call("open_runs", LONG)["ok"]
    tab.wait_for("link", lambda p: p["state"] == "rebuilding" and p["epoch"] > 0)

    assert tab.call("set_weight", {"layer": 0, "row": 0, "col": 0, "value": 1.5})["ok"]

    assert tab.wait_for("link", lambda p: p["state"] != "rebuilding") == {"state": "cancelled"}
    assert tab.call("pause")["epoch"] == 0
    assert tab.wait_for("runs")["runs"][0]["edits"] == [{"epoch": 0, "layer": 0, "row": 0, "col": 0, "value": 1.5}]
    tab.wait_for("snapshot", lambda p: p["weights"][0][0][0] == 1.5)  # the snapshot the weight sent (flow control)
