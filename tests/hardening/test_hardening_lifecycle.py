"""Sessions that come and go: connect → configure → start → disconnect, and clients that vanish.

The server here pings every second and gives a pong one second (the default is 10 + 10 s), so that a client
that vanishes without a word is noticed quickly.  bench/soak.py runs the same cycle 1,000 times.
"""
from __future__ import annotations

import time

import pytest

from tests.hardening.harness import wait_until
from tests.hardening.wire import Blackhole, Wire

pytestmark = pytest.mark.live

CYCLES = 200
PING = {"PING_INTERVAL": 1, "PING_TIMEOUT": 1}


@pytest.fixture(scope="module")
def pinged(server_factory):
    return server_factory(**PING)


def settled(server, threads=None, timeout=20.0):
    """The health figures once no session trains (and the thread count is at most ``threads``), else None."""
    def check():
        h = server.health()
        quiet = h["sessions"] == 0 and h["training"] == 0 and h["train_threads"] == 0
        return h if quiet and (threads is None or h["threads"] <= threads) else None
    return wait_until(check, timeout=timeout, interval=0.1)


def baseline_threads(server, seconds=PING["PING_INTERVAL"] + 1.0):
    """The fewest threads seen over ``seconds``: engine.io's ping tasks outlive their socket by one interval."""
    deadline, fewest = time.monotonic() + seconds, server.health()["threads"]
    while time.monotonic() < deadline:
        time.sleep(0.1)
        fewest = min(fewest, server.health()["threads"])
    return fewest


def cycle(port, i):
    """One tab's life, ended in one of three ways: a polite goodbye, a dropped TCP connection, a bare close."""
    w = Wire(port)
    assert w.call("configure", {"preset": "letters" if i % 2 else "xor-3-4-1"})["ok"] is True
    assert w.call("start", {"speed": "max"})["ok"] is True
    if i % 3 == 0:
        w.close()
    elif i % 3 == 1:
        w.kill()
    else:
        w.drop()  # the TCP connection closes without a websocket close frame


def test_connect_train_disconnect_cycles_leave_no_threads_and_little_memory(pinged, no_new_tracebacks, capsys):
    with no_new_tracebacks(pinged):
        for i in range(6):  # warm-up: the first connections start the server's long-lived helpers
            cycle(pinged.port, i)
        assert settled(pinged) is not None
        base = baseline_threads(pinged)
        rss0 = pinged.rss()
        for i in range(CYCLES):
            cycle(pinged.port, i)
        after = settled(pinged, threads=base)
    assert after is not None, f"threads did not return to {base}: {pinged.health()}"
    growth = pinged.rss() - rss0
    with capsys.disabled():
        print(f"\nlifecycle: {CYCLES} cycles, threads {base} → {after['threads']}, RSS +{growth / 2**20:.1f} MB")
    assert growth < 30 * 2**20


def test_a_client_that_vanishes_is_dropped_at_the_ping_timeout(pinged, no_new_tracebacks, capsys):
    """A relay that goes silent (no FIN, no RST): only the missing pong can tell the server."""
    assert settled(pinged) is not None
    relay = Blackhole(pinged.port)
    try:
        w = Wire(relay.port)
        w.call("configure", {"preset": "letters"})
        w.call("start", {"speed": "max"})
        assert w.wait_for("snapshot", lambda p: p["epoch"] > 0) is not None
        with no_new_tracebacks(pinged):
            relay.cut()
            t0 = time.monotonic()
            assert pinged.health()["training"] == 1  # nothing closed: the server cannot know yet
            gone = settled(pinged, timeout=2 * (PING["PING_INTERVAL"] + PING["PING_TIMEOUT"]) + 3)
            took = time.monotonic() - t0
        assert gone is not None, f"the vanished client's trainer still runs: {pinged.health()}"
        with capsys.disabled():
            print(f"\nvanished client: its trainer stopped {took:.1f} s after the line went silent "
                  f"(ping interval {PING['PING_INTERVAL']} s + timeout {PING['PING_TIMEOUT']} s)")
        w.drop()
    finally:
        relay.close()


def test_a_dropped_connection_stops_its_trainer_at_once(pinged, no_new_tracebacks):
    assert settled(pinged) is not None
    w = Wire(pinged.port)
    w.call("configure", {"preset": "letters"})
    w.call("start", {"speed": "max"})
    assert w.wait_for("snapshot", lambda p: p["epoch"] > 0) is not None
    other = Wire(pinged.port)
    assert other.call("configure", {"preset": "xor-3-4-1"})["ok"] is True
    with no_new_tracebacks(pinged):
        w.kill()  # TCP reset
        assert wait_until(lambda: pinged.health()["training"] == 0, timeout=5)
        assert other.call("step", {"unit": "epoch"})["ok"] is True  # the other tab is untouched
    other.close()
