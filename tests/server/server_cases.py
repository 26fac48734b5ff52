"""Shared test data for the server tests: the letter A, the bad-input table, small helpers."""
from __future__ import annotations

from tests.support.letters import LETTER_A  # noqa: F401  (re-exported for the server tests)
from tests.support.liveserver import wait_until  # noqa: F401  (re-exported for the server tests)

NAN, INF = float("nan"), float("inf")

# (event, payload, the field the error must name) — sent to a session configured with ``letters``.
BAD_EVENTS = [
    ("configure", [1], "payload"),
    ("configure", "letters", "payload"),
    ("configure", {"preset": "nope"}, "preset"),
    ("configure", {"bogus": 1}, "bogus"),
    ("configure", {"layers": [0]}, "layers[0]"),
    ("configure", {"layers": [10**6]}, "layers[0]"),
    ("configure", {"layers": [4] * 7}, "layers"),
    ("configure", {"layers": "5"}, "layers"),
    ("configure", {"lr": NAN}, "lr"),
    ("configure", {"lr": INF}, "lr"),
    ("configure", {"lr": -1}, "lr"),
    ("configure", {"lr": 1e9}, "lr"),
    ("configure", {"activation": "swish"}, "activation"),
    ("configure", {"loss": "ce", "output_activation": "sigmoid"}, "output_activation"),
    ("configure", {"batch": 0}, "batch"),
    ("configure", {"batch": 4}, "batch"),
    ("configure", {"seed": -1}, "seed"),
    ("configure", {"seed": 2**40}, "seed"),
    ("configure", {"variant": "nope"}, "variant"),
    ("configure", {"compare": "yes"}, "compare"),
    ("configure", {"dataset": "mnist"}, "dataset"),
    ("start", {"speed": 0}, "speed"),
    ("start", {"speed": "fast"}, "speed"),
    ("start", {"speed": INF}, "speed"),
    ("start", {"speed": 1e9}, "speed"),
    ("start", {"speed": True}, "speed"),
    ("start", {"until": -5}, "until"),
    ("start", {"until": 1.5}, "until"),
    ("start", {"bogus": 1}, "bogus"),
    ("start", 7, "payload"),
    ("pause", {"x": 1}, "x"),
    ("step", {}, "unit"),
    ("step", {"unit": "batch"}, "unit"),
    ("step", {"unit": 1}, "unit"),
    ("reset", {"seed": "a"}, "seed"),
    ("reset", {"seed": 2**32}, "seed"),
    ("reset", {"seed": True}, "seed"),
    ("seek", {}, "epoch"),
    ("seek", {"epoch": -1}, "epoch"),
    ("seek", {"epoch": 2.0}, "epoch"),
    ("seek", {"epoch": 999}, "epoch"),
    ("set", {}, "payload"),
    ("set", {"lr": None}, "lr"),
    ("set", {"lr": 1000}, "lr"),
    ("set", {"lr": NAN}, "lr"),
    ("set", {"speed": -1}, "speed"),
    ("set", {"eta": 0.1}, "eta"),
    ("predict", {}, "input"),
    ("predict", {"input": [0] * 29}, "input"),
    ("predict", {"input": [0] * 31}, "input"),
    ("predict", {"input": "abc"}, "input"),
    ("predict", {"input": [0] * 29 + [NAN]}, "input"),
    ("predict", {"input": [0] * 29 + [-INF]}, "input"),
    ("predict", {"input": [0] * 29 + ["x"]}, "input"),
    ("predict", {"input": [0] * 29 + [1e300]}, "input"),
    ("predict", {"input": [[0] * 30]}, "input"),
    ("gradcheck", {"x": 1}, "x"),
    ("save_model", {}, "name"),
    ("save_model", {"name": "../etc/passwd"}, "name"),
    ("save_model", {"name": "<script>"}, "name"),
    ("save_model", {"name": ""}, "name"),
    ("save_model", {"name": "a" * 65}, "name"),
    ("save_model", {"name": 5}, "name"),
    ("load_model", {"name": "never-saved"}, "name"),
    ("nope", {}, "event"),
    ("Configure", {"preset": "letters"}, "event"),
]


def bad_id(case):
    event, payload, field = case
    return f"{event}-{field}-{str(payload)[:24]}"


def names(received):
    """The event names a test client received, in order."""
    return [n for n, _ in received]


def only(received, name):
    """The one payload of event ``name`` among ``received`` (fails naming what was received otherwise)."""
    found = [p for n, p in received if n == name]
    assert len(found) == 1, names(received)
    return found[0]


def events(sio, name):
    """Every payload of event ``name`` a recording client (``tests.support.clients``) received, in order."""
    return [p for n, p in sio.received() if n == name]


def step(sio, n=1):
    """Step ``n`` epochs, acknowledging every snapshot as a page does once it has drawn it."""
    for _ in range(n):
        sio.ack_snapshots()
        sio.call("step", {"unit": "epoch"})
    sio.ack_snapshots()


def configured(sio, config):
    """``configure`` with ``config`` (it must be accepted), then every event it answered, by name."""
    ack = sio.call("configure", config)
    assert ack["ok"] is True, ack
    return dict(sio.received())


def link_of(runs, epoch=None):
    """What the page's URL holds for a ``runs`` message (``static/core/url-state.js``): each parent and each edit's
    run by its place in the link, the drawings the runs trained on; ``epoch`` the live original's newer epoch, if
    any."""
    place = {r["id"]: i for i, r in enumerate(runs["runs"])}
    original, *branches = runs["runs"]
    return {"epoch": original["epoch"] if epoch is None else epoch, "live": place[runs["live"]],
            "branches": [{"parent": place[r["parent"]], "from_epoch": r["from_epoch"], "epoch": r["epoch"],
                          "changes": r["changes"]} for r in branches],
            "edits": [{"run": place[r["id"]], **e} for r in runs["runs"] for e in r["edits"]],
            **({"drawings": runs["drawings"]} if runs.get("drawings") else {})}


def open_link(sio, link, timeout=120.0):
    """``open_runs`` as the page sends it, and its end: ``{ok: True, live, runs}`` (the ``link`` message that says
    the runs are open) or ``{ok: False, error}`` (a refusal: the event's answer, or the ``error`` the rebuild sent).
    The ``link`` messages are taken out; everything else the rebuild sent stays to be read with ``received()``."""
    ack = sio.call("open_runs", link)
    if not ack["ok"]:
        return ack

    def end():
        for m in list(sio.raw.queue):
            name, p = m["name"], (m["args"][0] if m["args"] else None)
            if name == "link" and p["state"] != "rebuilding":
                return {"ok": p["state"] == "opened", **{k: v for k, v in p.items() if k != "state"}}
            if name == "error" and p.get("event") == "open_runs":
                return {"ok": False, "error": p}
        return None

    found = wait_until(end, timeout)
    assert found is not None, "the link's runs were neither opened nor refused"
    sio.raw.queue[:] = [m for m in sio.raw.queue if m["name"] != "link"]
    return found
