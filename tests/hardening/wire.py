"""Raw clients for the hardening tests and bench/soak.py: a wire-level Socket.IO client and a relay that goes silent.

* ``Wire`` — a raw Engine.IO 4 / Socket.IO 5 client over one websocket (websocket-client): it sends any text
  frame, answers pings, acks snapshots, and parses every frame it receives with a strict JSON parser (no NaN,
  no Infinity), recording any that is not strict JSON in ``bad_frames``.
* ``Blackhole`` — a TCP relay to the server that can ``cut()``: from then on no byte passes either way and
  neither socket is closed, as when a laptop lid shuts or a Wi-Fi drops: only the ping timeout can tell.

Nothing here asserts; the tests do.
"""
from __future__ import annotations

import json
import re
import select
import socket
import threading
import time


class NotStrictJSON(ValueError):
    pass


def _reject_constant(name):
    raise NotStrictJSON(f"{name} is not JSON")


def strict_loads(text):
    """``json.loads`` that refuses NaN, Infinity and -Infinity (Python's parser accepts them by default)."""
    return json.loads(text, parse_constant=_reject_constant)


def parse_packet(text):
    """A Socket.IO packet ``<type>[/ns,][id][json]`` → (type, id or None, data or None)."""
    kind, rest = int(text[0]), text[1:]
    if rest.startswith("/"):
        _, _, rest = rest.partition(",")
    digits = re.match(r"\d*", rest).group()
    ack_id = int(digits) if digits else None
    rest = rest[len(digits):]
    return kind, ack_id, (strict_loads(rest) if rest else None)


class Wire:
    """One raw websocket speaking Engine.IO 4 / Socket.IO 5 to the server at ``port``."""

    def __init__(self, port, *, origin=None, connect=True, timeout=10.0, auto_ack=True, auth=None):
        import websocket

        self.frames = 0
        self.bad_frames: list[tuple[str, str]] = []
        self.events: dict[str, list] = {}
        self.acks: dict[int, list] = {}
        self.closed = threading.Event()
        self.connected = threading.Event()
        self.auto_ack = auto_ack
        self._next_id = 0
        self._cond = threading.Condition()
        url = f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket"
        kwargs = {"origin": origin} if origin else {}
        self.ws = websocket.create_connection(url, timeout=timeout, enable_multithread=True, **kwargs)
        opening = self.ws.recv()
        if not opening.startswith("0"):
            raise ConnectionError(f"no Engine.IO open packet: {opening[:80]!r}")
        self.handshake = strict_loads(opening[1:])
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if connect:
            self.send_raw("40" + (json.dumps(auth) if auth is not None else ""))
            deadline = time.monotonic() + timeout
            while not self.connected.wait(0.02) and not self.closed.is_set() and time.monotonic() < deadline:
                pass
            if not self.connected.is_set():
                refused = self.events.get("_connect_error")
                self.drop()
                raise ConnectionRefusedError(refused[0] if refused else "no Socket.IO connect answer")

    # -- sending ---------------------------------------------------------
    def send_raw(self, text):
        """One Engine.IO frame as it is (e.g. ``'42["configure",{}]'``); False if the socket is gone."""
        try:
            self.ws.send(text)
            return True
        except Exception:  # the server closed it
            self.closed.set()
            return False

    def send_binary(self, data: bytes):
        try:
            self.ws.send_binary(data)
            return True
        except Exception:
            self.closed.set()
            return False

    def next_id(self):
        with self._cond:
            self._next_id += 1
            return self._next_id - 1

    def emit(self, event, *args, ack=True):
        """Sends an event; returns its ack id (or None)."""
        body = json.dumps([event, *args])
        if not ack:
            self.send_raw("42" + body)
            return None
        ack_id = self.next_id()
        self.send_raw(f"42{ack_id}{body}")
        return ack_id

    def wait_ack(self, ack_id, timeout=10.0):
        """The ack's arguments (a list), or None if the socket closed or the time ran out."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while ack_id not in self.acks:
                left = deadline - time.monotonic()
                if left <= 0 or self.closed.is_set():
                    return None
                self._cond.wait(min(left, 0.1))
            return self.acks.pop(ack_id)

    def call(self, event, data=None, timeout=10.0):
        """emit + wait for the ack's first argument (None if no ack came)."""
        got = self.wait_ack(self.emit(event, {} if data is None else data), timeout)
        return got[0] if got else None

    def wait_for(self, name, predicate=lambda p: True, timeout=10.0):
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for p in self.events.get(name, []):
                    if predicate(p):
                        return p
                left = deadline - time.monotonic()
                if left <= 0 or self.closed.is_set():
                    return None
                self._cond.wait(min(left, 0.1))

    def count(self, name):
        with self._cond:
            return len(self.events.get(name, []))

    # -- closing ---------------------------------------------------------
    def close(self):
        """A polite goodbye: Socket.IO disconnect and a websocket close frame, without waiting for the server's
        (the threaded server does not send one back)."""
        if not self.closed.is_set():
            self.send_raw("41")
            try:
                self.ws.send_close()
            except Exception:
                pass
        self.closed.set()
        self.drop()

    def drop(self, reset=False):
        """Close the TCP connection now: a FIN (or with ``reset`` an RST), nothing said at the websocket level.

        ``shutdown`` and let the reader thread finish first: a plain ``close`` while that thread is inside a
        ``recv`` or ``send`` on this socket does not reach the kernel until the call returns (a ``recv`` may
        wait 10 s), and the server would see a silent client instead of a closed one.
        """
        sock = self.ws.sock
        self.closed.set()
        if sock is None:
            return
        try:
            if reset:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                sock.shutdown(socket.SHUT_RD)  # wakes the reader; the close below then resets the connection
            else:
                sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        if threading.current_thread() is not self._reader:
            self._reader.join(5)
        self.ws.shutdown()

    def kill(self):
        """Drop the TCP connection with a reset: no Socket.IO goodbye, no websocket close frame."""
        self.drop(reset=True)

    # -- reading ---------------------------------------------------------
    def _read(self):
        import websocket

        while not self.closed.is_set():
            try:
                frame = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                continue
            except Exception:
                break
            if not frame:
                break
            if isinstance(frame, bytes):
                self.bad_frames.append(("binary", repr(frame[:80])))
                continue
            self.frames += 1
            try:
                self._handle(frame)
            except (ValueError, IndexError) as exc:
                self.bad_frames.append((str(exc), frame[:200]))
        self.closed.set()
        with self._cond:
            self._cond.notify_all()

    def _handle(self, frame):
        kind = frame[0]
        if kind == "2":
            self.send_raw("3")
            return
        if kind == "1":
            self.closed.set()
            return
        if kind != "4":
            return
        ptype, ack_id, data = parse_packet(frame[1:])
        with self._cond:
            if ptype == 0:
                self.sid = data.get("sid") if isinstance(data, dict) else None
                self.connected.set()
            elif ptype == 2:
                name, payload = data[0], (data[1] if len(data) > 1 else None)
                self.events.setdefault(name, []).append(payload)
                if ack_id is not None and self.auto_ack:
                    self.send_raw(f"43{ack_id}[]")
            elif ptype == 3:
                self.acks[ack_id] = data
            elif ptype == 1:
                self.events.setdefault("_disconnect", []).append(data)
                self.closed.set()
            elif ptype == 4:  # refused: the namespace connect, or a second one on a connected socket
                self.events.setdefault("_connect_error", []).append(data)
                if not self.connected.is_set():
                    self.closed.set()
            self._cond.notify_all()


# -- a relay that can go silent -----------------------------------------------------------------------
class Blackhole:
    """A TCP relay on a free port to ``target_port``; ``cut()`` stops every byte without closing anything."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.port = self.listener.getsockname()[1]
        self.silent = threading.Event()
        self.done = threading.Event()
        self.held: list[socket.socket] = []  # kept referenced: a collected socket would close (a FIN)
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.done.is_set():
            try:
                down, _ = self.listener.accept()
            except OSError:
                return
            up = socket.create_connection(("127.0.0.1", self.target_port))
            self.held += [down, up]
            threading.Thread(target=self._pump, args=(down, up), daemon=True).start()
            threading.Thread(target=self._pump, args=(up, down), daemon=True).start()

    def _pump(self, src, dst):
        while not self.done.is_set() and not self.silent.is_set():
            try:
                ready, _, _ = select.select([src], [], [], 0.05)
                if not ready:
                    continue
                if self.silent.is_set():
                    return  # stop reading: the bytes stay in the kernel, unanswered
                data = src.recv(65536)
                if not data:
                    return
                dst.sendall(data)
            except OSError:
                return

    def cut(self):
        self.silent.set()

    def close(self):
        self.done.set()
        self.listener.close()
        for s in self.held:
            try:
                s.close()
            except OSError:
                pass
