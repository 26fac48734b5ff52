"""Many tabs connecting and leaving at the same moment: the server's table of who is connected stays whole.

python-socketio's client manager changes its tables (connected, connecting, leaving, rooms) without a lock, and
the threading driver runs each connection in its own thread.  The soak's hostile burst (40 sessions arriving
and leaving at once) found it once in ~160 bursts: one tab's ``connect`` deleted the namespace's pending list
between another's look and its read, ``KeyError: '/'`` with a traceback in the log.  Here the app's own manager
is driven the way python-socketio drives it (``connect``, a room, ``pre_disconnect``, ``disconnect``), by 40
threads at once with the interpreter switching threads every microsecond: without the lock of
``app/transport.py`` (``_lock_bookkeeping``) about one round in three raised ``KeyError`` or "dictionary
changed size during iteration"; with it none does and every table ends empty.
"""
from __future__ import annotations

import sys
import threading

import pytest

THREADS = 40
ROUNDS = 60


@pytest.fixture
def manager(app):
    from app.extensions import socketio

    return socketio.server.manager


@pytest.fixture
def switch_often():
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def one_tab(manager, eio_sid, errors):
    try:
        sid = manager.connect(eio_sid, "/")  # python-socketio's _handle_connect, for a tab that passed auth
        manager.enter_room(sid, "/", "class")
        manager.get_rooms(sid, "/")
        list(manager.get_participants("/", "class"))
        assert manager.is_connected(sid, "/")
        manager.pre_disconnect(sid, "/")  # python-socketio's _handle_disconnect
        manager.disconnect(sid, "/", ignore_queue=True)
    except Exception as exc:  # what the log would have shown as a traceback
        errors.append(repr(exc))


@pytest.mark.parametrize("round_", range(3))
def test_tabs_connecting_and_leaving_at_once_keep_the_tables_whole(manager, switch_often, round_):
    errors = []
    for r in range(ROUNDS):
        start = threading.Barrier(THREADS)

        def tab(k, r=r, start=start):
            start.wait()
            one_tab(manager, f"eio-{round_}-{r}-{k}", errors)

        threads = [threading.Thread(target=tab, args=(k,)) for k in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert (manager.rooms, manager.pending_connect, manager.pending_disconnect) == ({}, {}, {})
