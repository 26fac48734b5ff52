"""The hostile burst: many sessions send malformed and oversize events, then all disconnect at once.

``burst(port)`` opens ``sessions`` raw websockets (wire.py), each sends ``events`` frames from ``FRAMES`` in
turn (oversize strings, NaN, nesting 2,000 deep, 100,000-number lists, unknown and reserved event names), and
then every client leaves at the same moment, a third each by a polite close, a bare FIN and a TCP reset.  An
oversize frame makes the server close that connection (1009, message too big) while the client is still sending
and then leaving: the close race of python-engineio's writer thread.  ``settle(server, baseline)`` is how long
the server's thread count took to come back within ``slack`` of ``baseline``.

Used by test_hardening_burst.py and bench/soak.py.  Nothing here asserts.
"""
from __future__ import annotations

import json
import threading
import time

from tests.hardening.payloads import BIG_LIST, BIG_LIST_NAN, BIG_STRING, deep
from tests.hardening.wire import Wire

OVERSIZE = (
    f'42["predict",{{"input":{BIG_LIST}}}]',  # 100,000 numbers: past the 64 KB message limit
    f'42["save_model",{{"name":{json.dumps(BIG_STRING)}}}]',  # a 200 KB string
    f'42["predict",{{"input":{BIG_LIST_NAN}}}]',
)
MALFORMED = (
    '42["configure",{"preset":"letters","lr":NaN}]',
    '42["configure",' + str(deep(2000)) + "]",  # deeper than the parser recurses
    '42["configure",' + str(deep(500)) + "]",
    '42["*",{"sid":"x"}]',  # the reserved catch-all name
    '42["connect",{}]',
    '42["no-such-event",[1,2,3]]',
    '42["predict",{"input":[NaN,Infinity,-Infinity]}]',
    '42["set",{"lr":1e400}]',
    '42{"not":"a list"}',
    '42["disconnecting"]',
    '4["unterminated',
)


def hostile(k, i, events):
    """Session ``k``'s ``i``-th frame: malformed ones, and for two sessions in three an oversize last one
    (the server closes that connection while its answers to the others are still being written)."""
    if i == events - 1 and k % 3:
        return OVERSIZE[k % len(OVERSIZE)]
    return MALFORMED[(k + i) % len(MALFORMED)]


def burst(port, sessions=40, events=50):
    """Open ``sessions`` clients, send ``events`` hostile frames on each, then close them all at once.

    Returns how many sessions connected and how many frames went out.
    """
    clients, lock = [], threading.Lock()
    sent = [0]

    def one(k):
        try:
            w = Wire(port, timeout=20.0)
        except (OSError, ConnectionError):
            return
        n = 0
        for i in range(events):
            if not w.send_raw(hostile(k, i, events)):
                break
            n += 1
        with lock:
            clients.append((k, w))
            sent[0] += n

    threads = [threading.Thread(target=one, args=(k,), daemon=True) for k in range(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    ready = threading.Barrier(len(clients) + 1) if clients else None

    def leave(k, w):
        try:
            ready.wait(10)
        except threading.BrokenBarrierError:
            pass
        (w.close, w.drop, w.kill)[k % 3]()

    leavers = [threading.Thread(target=leave, args=c, daemon=True) for c in clients]
    for t in leavers:
        t.start()
    if ready:
        try:
            ready.wait(10)
        except threading.BrokenBarrierError:
            pass
    for t in leavers:
        t.join(20)
    return len(clients), sent[0]


def settle(server, baseline, slack=2, timeout=20.0):
    """Seconds until the server has no session and at most ``baseline + slack`` threads (None: not in time)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        h = server.health()
        if h["sessions"] == 0 and h["threads"] <= baseline + slack:
            return time.monotonic() - start
        time.sleep(0.05)
    return None
