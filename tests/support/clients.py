"""One recording client: a real python-socketio client that records every server event by name."""
from __future__ import annotations

import threading
import time

SOLO = ("session", "network", "dataset", "snapshot", "status", "trace", "error", "runs", "link")  # a solo tab hears
CLASSROOM = ("network", "dataset", "snapshot", "status", "trace", "error", "classroom", "submissions", "submission",
             "lab_check")


class Recorder:
    """Connects to ``url`` over websocket (with ``auth``) and records each event in ``names``; acks snapshots."""

    NAMES = SOLO
    wait_timeout = 10.0

    def __init__(self, url, on_snapshot=None, auth=None, names=None):
        import socketio

        self.client = socketio.Client(reconnection=False)
        self.names = tuple(names or self.NAMES)
        self.events = {name: [] for name in self.names}
        self._cond = threading.Condition()
        for name in self.names:
            self.client.on(name, self._recorder(name, on_snapshot if name == "snapshot" else None))
        self.client.connect(url, transports=["websocket"], wait_timeout=10, auth=auth)

    def _recorder(self, name, extra):
        def record(data=None):
            if extra is not None:
                extra(data)
            with self._cond:
                self.events[name].append(data)
                self._cond.notify_all()
            return True  # the ack a snapshot asks for (as a browser sends once it has drawn it)
        return record

    def call(self, event, data=None, timeout=10):
        return self.client.call(event, {} if data is None else data, timeout=timeout)

    def wait_for(self, name, predicate=lambda p: True, timeout=None):
        """The first recorded ``name`` payload matching ``predicate``, waiting up to ``timeout`` seconds."""
        timeout = self.wait_timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for p in self.events[name]:
                    if predicate(p):
                        return p
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no matching {name!r} within {timeout} s; got {len(self.events[name])}")
                self._cond.wait(left)

    def close(self, wait=False):
        """Disconnect.  The server drops the session at once; the client library then waits up to 3 s
        for a websocket close frame the threaded server does not send, so by default that wait
        happens in a background thread."""
        if not self.client.connected:
            return
        if wait:
            self.client.disconnect()
        else:
            threading.Thread(target=self.client.disconnect, daemon=True).start()
