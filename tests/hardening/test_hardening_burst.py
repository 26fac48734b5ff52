"""A burst of hostile sessions that all leave at once: no traceback, and no thread left behind.

40 raw websockets each send 50 malformed events (NaN, nesting 2,000 deep, unknown and reserved names, packets
that are not JSON), two in three end with an oversize one (100,000 numbers, 200 KB strings: the server closes
that connection as it arrives), and then all 40 leave at the same moment (burst.py).  Before the guard in
app/transport.py this left one to four ``LocalProtocolError`` tracebacks from python-engineio's writer thread in
every round, and each closed session's ping thread slept on for the whole 10 s ping interval.
bench/soak.py runs the same burst and reports how long the threads took to come back.
"""
from __future__ import annotations

import time

import pytest

from tests.hardening.burst import burst, settle
from tests.hardening.harness import wait_until
from tests.hardening.wire import Wire

pytestmark = pytest.mark.live

ROUNDS = 3
SESSIONS, EVENTS = 40, 50
SLACK = 2  # threads above the baseline still allowed once every client has left
SETTLE = 5.0  # seconds: half the default ping interval, so a ping thread that outlives its session fails it


def fewest_threads(server, samples=15, interval=0.1):
    """The server's thread count at rest: the fewest of a few samples."""
    counts = []
    for _ in range(samples):
        counts.append(server.health()["threads"])
        time.sleep(interval)
    return min(counts)


@pytest.fixture(scope="module")
def server(server_factory):
    s = server_factory()  # the real defaults: 64 KB messages, rate limits on, a 10 s ping interval
    Wire(s.port).close()  # the first connection starts the server's long-lived helpers
    assert wait_until(lambda: s.health()["sessions"] == 0) is True
    s.baseline = fewest_threads(s)
    return s


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_hostile_sessions_leaving_at_once_leave_no_traceback_and_no_thread(server, round_, no_new_tracebacks,
                                                                             capsys):
    baseline = server.baseline
    with no_new_tracebacks(server):
        connected, sent = burst(server.port, SESSIONS, EVENTS)
        assert connected == SESSIONS
        assert sent >= SESSIONS * (EVENTS - 1)  # the oversize last frames may meet a closed socket
        took = settle(server, baseline, SLACK, timeout=SETTLE)
        assert took is not None, f"threads did not come back to {baseline} + {SLACK}: {server.health()}"
    with capsys.disabled():
        print(f"\nburst {round_}: {connected} sessions, {sent} frames; threads back to {baseline}+{SLACK} "
              f"in {took:.2f} s")
