"""What reaches python-socketio from a tab's websocket: bounded messages and well-formed packets only.

``guard(server, limits, max_size)`` (called by the factory) installs these
below the event handlers:

* **Size, as the bytes arrive.**  python-engineio's threading driver builds its
  simple-websocket server without a message limit and compares a message with
  ``max_http_buffer_size`` only once all of it has been buffered, so a client
  could make the server hold any amount first.  The guard hands simple-websocket
  ``max_message_size``: the connection is closed (1009, message too big) as
  soon as a message grows past the limit, and its session with it (see
  ``BoundedWebSocket.wait``).  Other tabs carry on.
* **A close that cannot fail.**  python-engineio's writer thread closes the
  websocket when it stops; if simple-websocket's reader already began the
  close (a message over the limit, the client's own close frame), wsproto
  refuses a second close frame and the thread died with a traceback.  The
  guard's websocket treats "already closing" as closed (``close`` and
  ``send``).
* **Who is connected, kept under one lock.**  python-socketio's client manager
  changes its tables (connected, connecting, leaving, rooms) without a lock,
  and the threading driver runs each connection in its own thread: when many
  tabs connected or left at once, one tab's ``connect`` could delete the
  namespace's pending list between another's look and its read (``KeyError:
  '/'``, a traceback, a tab left half connected).  ``_lock_bookkeeping`` runs
  the manager's bookkeeping methods (``compat.BOOKKEEPING``) under one
  re-entrant lock; none of them sends anything or calls the application, so
  the lock is held for microseconds.  ``get_participants`` (a generator) copies
  the room's members under the lock.
* **Ping tasks that end with their session.**  python-engineio waits for the
  next ping in a thread that sleeps the whole ping interval (10 s), so every
  closed session left a thread behind that long.  The guard's ping task waits
  in steps of ``PING_STEP`` and ends as soon as its session closes.
* **Long-polling POSTs over the limit** get 413 before python-engineio sees
  them (``refuse_long_posts``): its own refusal pinned a server thread.
* **No Nagle delay.**  An event answered with two writes (``status`` or
  ``error``, then the ack) otherwise waits for the client's delayed TCP ACK:
  40 ms on Linux for every ``step``, ``pause`` or rejected event.  Websocket
  sockets get TCP_NODELAY.
* **Malformed packets.**  On a frame that is not a packet it can dispatch
  (JSON it cannot parse, nesting deeper than the parser recurses, an event that
  is not a list starting with its name, an unknown packet type) python-socketio
  raises inside the library and python-engineio logs a traceback, and the
  client hears nothing.  Binary packets, which the playground never sends,
  would make the library take the connection's next frames as attachments.
  The guard answers each such frame with ``error`` ``{"event": null, "field":
  "packet", ...}`` (rate-limited like an event; with the ack too if the packet
  asked for one) and logs one line at INFO; the connection stays open and the
  session as it was.
* **The event name ``"*"``.**  python-socketio gives an event literally named
  ``"*"`` to the catch-all handler without its name, and Flask-SocketIO then
  takes the first argument for the sender's sid: a client that knew another
  tab's sid could run the catch-all as that tab.  Such an event is refused
  like an unknown one (field ``event``) before it is dispatched.

Valid packets pass straight through, at the cost of a look at the first
character (and, for events, a search for ``*``); a frame is decoded twice only
when it may name ``"*"`` or after python-socketio failed on it.  An exception
on a well-formed packet is a bug and still raises (and is logged with its
traceback).  The library internals these patches need are reached through ``compat``.  Nothing here
knows about sessions or engines.
"""
from __future__ import annotations

import functools
import logging
import socket
import threading
import time

from engineio import packet as eio_packet
from engineio.exceptions import SocketIsClosedError
from simple_websocket import ConnectionClosed
from socketio import packet
from wsproto.utilities import LocalProtocolError

from . import compat
from .validate import Invalid

log = logging.getLogger(__name__)
WAIT_STEP = 1.0  # seconds a websocket reader waits before it looks whether its socket closed
PING_STEP = 0.25  # seconds a ping task waits before it looks whether its session closed
TYPES = (packet.CONNECT, packet.DISCONNECT, packet.EVENT, packet.ACK, packet.CONNECT_ERROR,
         packet.BINARY_EVENT, packet.BINARY_ACK)


def guard(server, limits, max_size):
    """Bound websocket messages to ``max_size`` bytes and answer malformed packets on ``server``."""
    _bound_messages(server.eio, max_size)
    _lock_bookkeeping(server.manager)
    _quick_pings(server.eio)
    _guard_packets(server, limits)


def refuse_long_posts(wsgi_app, max_size, path="/socket.io/"):
    """WSGI middleware: a long-polling POST declaring more than ``max_size`` bytes gets 413 before Engine.IO.

    python-engineio answers such a POST by closing the session with ``wait=True``, which waits for the
    session's queued packets to be polled; with no poll running it waits forever, and the request's thread
    with it (one thread pinned per oversize POST).  Refused here, the body is never read and the session
    ends at its ping timeout like any client that went away.
    """
    def app(environ, start_response):
        if environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO", "").startswith(path):
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = max_size + 1
            if length > max_size:
                body = f"message larger than {max_size} bytes".encode()
                start_response("413 Request Entity Too Large", [("Content-Type", "text/plain"),
                                                                ("Content-Length", str(len(body))),
                                                                ("Connection", "close")])
                return [body]
        return wsgi_app(environ, start_response)

    return app


def _bound_messages(eio, max_size):
    base = compat.driver_websocket(eio)
    if base is None:
        return

    class BoundedWebSocket(base):
        """The driver's websocket with ``max_message_size``, TCP_NODELAY, and a ``wait`` that notices a refusal.

        When simple-websocket refuses an oversize message it wakes the reader before it marks the socket
        closed, so a reader waiting without a timeout can miss the close and hold the session (and its
        trainer) until the ping timeout, 20 s by default; waiting ``WAIT_STEP`` at a time and then looking
        at ``connected`` ends it within that step.
        """

        def __init__(self, handler, server, **kwargs):
            super().__init__(handler, server, **{**kwargs, "max_message_size": max_size})

        def __call__(self, environ, start_response):
            sock = environ.get("werkzeug.socket") or environ.get("gunicorn.socket")  # the dev server, gunicorn
            if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return super().__call__(environ, start_response)

        def close(self):
            """Close unless simple-websocket's reader already did (or is doing it): never raises."""
            try:
                super().close()
            except (ConnectionClosed, LocalProtocolError, OSError):
                self.ws.connected = False

        def send(self, message):
            try:
                return super().send(message)
            except (LocalProtocolError, OSError):  # closing already: what the driver says for "closed"
                self.ws.connected = False
                raise OSError("the websocket is closed") from None

        def wait(self):
            while True:
                try:
                    data = self.ws.receive(timeout=WAIT_STEP)
                except ConnectionClosed:
                    return None
                if data is not None or not self.ws.connected:
                    return data

    compat.set_driver_websocket(eio, BoundedWebSocket)


def _lock_bookkeeping(manager):
    """Run ``manager``'s bookkeeping (``compat.BOOKKEEPING``, ``get_participants``) under one re-entrant lock."""
    lock = threading.RLock()

    def locked(fn):
        @functools.wraps(fn)
        def call(*args, **kwargs):
            with lock:
                return fn(*args, **kwargs)
        return call

    for name in compat.BOOKKEEPING:
        setattr(manager, name, locked(getattr(manager, name)))
    participants = manager.get_participants

    @functools.wraps(participants)
    def get_participants(namespace, room):
        with lock:
            members = list(participants(namespace, room))
        yield from members

    manager.get_participants = get_participants


def _quick_pings(eio):
    """Run each session's ping wait (``Socket._send_ping``) as a task that ends when the session closes."""
    start = eio.start_background_task

    def start_background_task(target, *args, **kwargs):
        sock = compat.ping_wait_of(target)
        if sock is not None:
            target = _ping_task(sock)
        return start(target, *args, **kwargs)

    eio.start_background_task = start_background_task


def _ping_task(sock):
    def ping():  # python-engineio's _send_ping, with a sleep that notices the close
        deadline = time.monotonic() + sock.server.ping_interval
        while not (sock.closing or sock.closed):
            left = deadline - time.monotonic()
            if left <= 0:
                sock.last_ping = time.time()
                try:
                    sock.send(eio_packet.Packet(eio_packet.PING))
                except SocketIsClosedError:  # it closed between the look and the send
                    pass
                return
            sock.server.sleep(min(PING_STEP, left))

    return ping


class Refusal:
    """Why a frame is refused: the ``Invalid`` to answer with, and the ack id if the packet had one."""

    def __init__(self, field, why, ack_id=None, event=None):
        self.error, self.ack_id, self.event = Invalid(field, why), ack_id, event


def problem(server, data):
    """A ``Refusal`` if ``data`` (one Engine.IO message) is not a packet the playground accepts, else None."""
    if not isinstance(data, str):
        return Refusal("packet", "binary frames are not accepted (send JSON text)")
    if data[:1] in (str(packet.BINARY_EVENT), str(packet.BINARY_ACK)):
        return Refusal("packet", "binary packets are not accepted (send JSON text)")
    try:
        pkt = server.packet_class(encoded_packet=data)
    except RecursionError:
        return Refusal("packet", "the JSON is nested deeper than the server parses")
    except Exception as exc:  # what python-socketio's decoder raises: ValueError, JSONDecodeError, ...
        return Refusal("packet", f"not a Socket.IO packet ({type(exc).__name__})")
    if pkt.packet_type not in TYPES:
        return Refusal("packet", f"unknown packet type {str(pkt.packet_type)[:8]!r}")
    if pkt.packet_type != packet.EVENT:
        return None
    if not (isinstance(pkt.data, list) and pkt.data and isinstance(pkt.data[0], str)):
        return Refusal("packet", "an event is a JSON list that starts with the event's name", pkt.id)
    if pkt.data[0] == "*":
        # python-socketio hands an event *named* "*" to the catch-all handler without its name, and
        # Flask-SocketIO then takes the first argument for the sender's sid: another tab's, if it is one
        return Refusal("event", "unknown event; '*' is not an event name", pkt.id, "*")
    return None


def _suspect(data):
    """Frames ``problem`` must see before python-socketio does; every other frame goes straight through."""
    if not isinstance(data, str) or data[:1] in ("5", "6"):
        return True
    return data[:1] == "2" and ("*" in data or "\\u002" in data)  # an event that may be named "*" (or \u002a)


def _guard_packets(server, limits):
    dispatch = compat.message_handler(server)

    def on_message(eio_sid, data):
        refusal = problem(server, data) if _suspect(data) else None
        if refusal is None:
            try:
                return dispatch(eio_sid, data)
            except Exception:
                refusal = problem(server, data)
                if refusal is None:
                    raise  # a well-formed packet failed: a bug, keep the traceback
        _answer(server, limits, eio_sid, refusal)

    compat.set_message_handler(server, on_message)


def _answer(server, limits, eio_sid, refusal):
    """``error`` to the sender (rate-limited like its events), and the ack if the packet asked for one."""
    sid = server.manager.sid_from_eio_sid(eio_sid, "/")
    log.info("refused a packet from %s: %s", sid or eio_sid, refusal.error.message)
    if sid is None:  # not connected to the namespace yet: nobody to answer
        return
    error = refusal.error
    try:
        limits.check(sid, "packet")
    except Invalid as exc:
        error = exc
    err = error.as_dict(refusal.event)
    if getattr(error, "tell", True):
        server.emit("error", err, to=sid)
    if refusal.ack_id is not None:
        compat.send_packet(server, eio_sid, server.packet_class(packet.ACK, namespace="/", id=refusal.ack_id,
                                                                data=[{"ok": False, "error": err}]))
