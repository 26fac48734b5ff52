"""Room fan-out: one snapshot encoded once for a whole class, then sent to each student through its own gate.

python-socketio encodes an event with an acknowledgement callback once *per recipient*: it walks the payload
looking for binary parts and ``json.dumps`` it again for every packet (about 1 ms for a ``letters`` snapshot;
``bench/bench_classroom.py`` prints the figure).  With flow control every student's snapshot needs its own ack,
so a class of 200 would cost a CPU-second a frame.  Here the room's frame is turned into JSON text once
(``Encoded``), and ``EncodedPacket`` (the server's ``serializer``) splices that text into each student's packet
beside its own ack id.

* ``RoomGate`` is the whole class as *one* viewer of the teacher's session: the training loop offers it frames
  (it keeps only the newest), and its thread encodes one at most ``rate`` times a second and publishes it.
* ``StudentGate`` is ``flow.SnapshotGate`` for encoded frames: at most 2 unacknowledged per student, the newest
  state wins, a superseded frame's optional parts (``app/wire/parts.py``) are carried into the next one.
* ``ClassroomRedisManager`` lets several server processes share a room through Flask-SocketIO's Redis message
  queue: the room's internal messages (``classroom:*`` events: frames, submissions, presence) are handed to
  the process's room instead of being sent to browsers, and each process feeds its own students' gates.

Nothing here knows about engines, sessions or roles.
"""
from __future__ import annotations

import json
import threading
import time

import socketio as sio_lib
from socketio import packet as sio_packet

from .. import compat
from ..flow import SnapshotGate
from ..wire.parts import OPTIONAL, carry

CARRY = tuple(OPTIONAL)  # parts a newer frame may lack (sent only a few times a second): app/wire/parts.py
INTERNAL = "classroom:"  # prefix of the room's own messages between server processes; never sent to browsers


def _dumps(value):
    return json.dumps(value, separators=(",", ":"))


class Encoded:
    """A snapshot frame as JSON text: ``base`` (every key but ``CARRY``, plus ``at``) and one text per part."""

    __slots__ = ("base", "parts", "epoch", "at", "_text")

    def __init__(self, base: str, parts: dict, epoch=None, at=None):
        self.base, self.parts, self.epoch, self.at = base, parts, epoch, at
        self._text = None

    @classmethod
    def encode(cls, frame: dict, at: float):
        """``frame`` (a JSON-able dict) encoded once, stamped with ``at`` (server time, seconds)."""
        base = {k: v for k, v in frame.items() if k not in CARRY}
        base["at"] = at
        parts = {k: _dumps(frame[k]) for k in CARRY if k in frame}
        return cls(_dumps(base), parts, frame.get("epoch"), at)

    def wire(self):
        """What travels between processes (JSON-able)."""
        return {"base": self.base, "parts": self.parts, "epoch": self.epoch, "at": self.at}

    @classmethod
    def from_wire(cls, data):
        return cls(data["base"], data["parts"], data.get("epoch"), data.get("at"))

    @property
    def text(self):
        if self._text is None:
            extra = "".join(f',"{k}":{v}' for k, v in self.parts.items())
            self._text = self.base[:-1] + extra + "}" if extra else self.base
        return self._text

    def carrying(self, older: Encoded):
        """This frame plus the parts ``older`` had and this one lacks (``older`` was superseded unsent)."""
        missing = {k: v for k, v in older.parts.items() if k not in self.parts}
        return Encoded(self.base, {**self.parts, **missing}, self.epoch, self.at) if missing else self

    def decode(self):
        return json.loads(self.text)


class EncodedPacket(sio_packet.Packet):
    """The server's packet class: an ``[event, Encoded]`` event splices the ready text; anything else as usual."""

    def encode(self):
        data = self.data
        if (self.packet_type == sio_packet.EVENT and isinstance(data, list) and len(data) == 2
                and isinstance(data[1], Encoded)):
            return f"{compat.packet_head(self)}[{json.dumps(data[0])},{data[1].text}]"
        return super().encode()


class StudentGate(SnapshotGate):
    """A student's window of unacknowledged snapshots (``flow.SnapshotGate``), for ``Encoded`` frames."""

    def offer(self, frame):
        with self._lock:
            if self._pending is not None:
                self.replaced += 1
                frame = frame.carrying(self._pending)
            self._pending = frame
            self._pump()


class RoomGate:
    """The class as one viewer of the teacher's session: newest frame wins, encoded and published ≤ rate/s.

    ``publish(encoded)`` is called from this gate's own thread, never from the training loop, so neither the
    encoding nor the hand-out to a whole class slows training down.  ``tick()`` runs on the same thread at
    least every ``tick_every`` seconds (presence counts, the submissions' live guesses).
    """

    window = 1

    def __init__(self, publish, start_task, rate=20.0, tick=None, tick_every=0.25, wanted=lambda: True):
        self._publish, self._tick, self._wanted = publish, tick, wanted
        self.dt, self.tick_every = 1.0 / rate, tick_every
        self._cond = threading.Condition()
        self._pending = None
        self._closed = False
        self._last = 0.0
        self.sent = self.replaced = self.skipped = self.acked = 0
        self.max_in_flight = 0
        self.encode_seconds = 0.0
        self.last = None  # the newest Encoded frame published (late joiners start from it)
        self._task = start_task(self._run)

    @property
    def ready(self):
        """The training loop builds a frame for the room only when the last one was taken, one is due, and
        someone is in the room (``wanted``)."""
        return self._pending is None and time.monotonic() - self._last >= self.dt and self._wanted()

    @property
    def in_flight(self):
        return 0

    def offer(self, frame):
        with self._cond:
            if self._pending is not None:
                self.replaced += 1
                frame = carry(self._pending, frame)
            self._pending = frame
            self._cond.notify()

    def reset(self):
        pass

    @property
    def rate(self):
        return 1.0 / self.dt

    def set_rate(self, rate):
        """Frames per second for the room (``ClassroomHub`` lowers it as the class grows)."""
        self.dt = 1.0 / rate

    def close(self):
        with self._cond:
            self._closed = True
            self._cond.notify()

    def _run(self):
        threading.current_thread().name = "classroom-fanout"
        next_tick = time.monotonic() + self.tick_every if self._tick is not None else float("inf")
        while True:
            with self._cond:
                while self._pending is None and not self._closed:
                    left = next_tick - time.monotonic()
                    if left <= 0:
                        break
                    self._cond.wait(None if left == float("inf") else left)
                if self._closed:
                    return
                frame, self._pending = self._pending, None
            if frame is not None and self._wanted():
                t = time.perf_counter()
                enc = Encoded.encode(frame, time.time())
                self.encode_seconds += time.perf_counter() - t
                self.last = enc
                self.sent += 1
                self._last = time.monotonic()
                self._safely(self._publish, enc)
            if self._tick is not None and time.monotonic() >= next_tick:
                next_tick = time.monotonic() + self.tick_every
                self._safely(self._tick)
            wait = self._last + self.dt - time.monotonic()
            if wait > 0:  # the room's frame rate: the next frame waits (the newest one is kept meanwhile)
                with self._cond:
                    if not self._closed:
                        self._cond.wait_for(lambda: self._closed, wait)

    @staticmethod
    def _safely(fn, *args):
        try:
            fn(*args)
        except Exception:  # pragma: no cover - a bug must not end the room's stream
            import logging

            logging.getLogger(__name__).exception("classroom fan-out failed")

    def stats(self):
        return {"sent": self.sent, "replaced": self.replaced, "skipped": self.skipped, "in_flight": 0,
                "max_in_flight": 0, "rate": round(self.rate, 2),
                "encode_ms": round(1000 * self.encode_seconds / max(self.sent, 1), 3)}


class ClassroomRedisManager(compat.QueueManager):
    """Flask-SocketIO's Redis queue, plus the room's own messages.  A room subscribes once
    (``subscribe(room, on_internal, on_room_event)``): ``classroom:*`` events reach its ``on_internal`` on every
    process (this one included) instead of browsers, and events to the room (``network``, ``status``) are also
    shown to its ``on_room_event``, so every process knows what its late-joining students must be sent first."""

    _subscriber = None  # (room, on_internal, on_room_event), set by subscribe

    def subscribe(self, room, on_internal, on_room_event):
        """``on_internal(kind, data)`` for the room's messages, ``on_room_event(event, data)`` for what ``room``
        is sent.  One room per server: a second subscription replaces the first."""
        self._subscriber = (room, on_internal, on_room_event)

    def intercept(self, message):
        event = message.get("event", "")
        if self._subscriber is None:
            return event.startswith(INTERNAL)  # no room here: its messages are still never sent to browsers
        room, on_internal, on_room_event = self._subscriber
        data = (message.get("data") or [None])[0]
        if event.startswith(INTERNAL):
            on_internal(event[len(INTERNAL):], data)
            return True
        if message.get("room") == room:
            on_room_event(event, data)
        return False

def socket_options(config):
    """Extra ``init_app`` options: the encoded-once packet class, a client manager made for this app, transports.

    Each is always given explicitly: Flask-SocketIO keeps ``init_app`` options between calls, so an app made
    after another (in tests) must not inherit its Redis manager or its transports.
    """
    url = config.get("MESSAGE_QUEUE")
    if url:
        manager = ClassroomRedisManager(url, channel=config.get("MESSAGE_QUEUE_CHANNEL") or "backprop-playground")
    else:
        manager = sio_lib.Manager()
    # SOCKET_TRANSPORTS ["websocket"]: no long-polling, so a load balancer needs no sticky sessions
    transports = list(config.get("SOCKET_TRANSPORTS") or ["polling", "websocket"])
    return {"serializer": EncodedPacket, "client_manager": manager, "transports": transports}
