"""What reaches python-socketio from a tab's websocket: bounded messages and well-formed packets only.

``guard(server, limits, max_size)`` (called by the factory) installs two checks
below the event handlers:

* **Size, as the bytes arrive.**  python-engineio's threading driver builds its
  simple-websocket server without a message limit and compares a message with
  ``max_http_buffer_size`` only once all of it has been buffered, so a client
  could make the server hold any amount first.  The guard hands simple-websocket
  ``max_message_size``: the connection is closed (1009, message too big) as
  soon as a message grows past the limit, and its session with it (see
  ``BoundedWebSocket.wait``).  Other tabs carry on.
* **Malformed packets.**  On a frame that is not a packet it can dispatch
  (JSON it cannot parse, nesting deeper than the parser recurses, an event that
  is not a list starting with its name, an unknown packet type) python-socketio
  raises inside the library and python-engineio logs a traceback, and the
  client hears nothing.  Binary packets, which the playground never sends,
  would make the library take the connection's next frames as attachments.
  The guard answers each such frame with ``error`` ``{"event": null, "field":
  "packet", ...}`` (rate-limited like an event) and logs one line at INFO; the
  connection stays open and the session as it was.

Valid packets pass straight through, at the cost of one check of the first
character; a frame is decoded a second time only after python-socketio failed
on it.  An exception on a well-formed packet is a bug and still raises (and is
logged with its traceback).  Nothing here knows about sessions or engines.
"""
from __future__ import annotations

import logging

from simple_websocket import ConnectionClosed
from socketio import packet

from .validate import Invalid

log = logging.getLogger(__name__)
WAIT_STEP = 1.0  # seconds a websocket reader waits before it looks whether its socket closed
TYPES = (packet.CONNECT, packet.DISCONNECT, packet.EVENT, packet.ACK, packet.CONNECT_ERROR,
         packet.BINARY_EVENT, packet.BINARY_ACK)


def guard(server, limits, max_size):
    """Bound websocket messages to ``max_size`` bytes and answer malformed packets on ``server``."""
    _bound_messages(server.eio, max_size)
    _guard_packets(server, limits)


def _bound_messages(eio, max_size):
    base = eio._async.get("websocket")
    if base is None:
        return

    class BoundedWebSocket(base):
        """The driver's websocket with ``max_message_size``, and a ``wait`` that notices a refused message.

        When simple-websocket refuses an oversize message it wakes the reader before it marks the socket
        closed, so a reader waiting without a timeout can miss the close and hold the session until the ping
        timeout; waiting a second at a time and then looking at ``connected`` closes the session at once.
        """

        def __init__(self, handler, server, **kwargs):
            super().__init__(handler, server, **{**kwargs, "max_message_size": max_size})

        def wait(self):
            while True:
                try:
                    data = self.ws.receive(timeout=WAIT_STEP)
                except ConnectionClosed:
                    return None
                if data is not None or not self.ws.connected:
                    return data

    eio._async = {**eio._async, "websocket": BoundedWebSocket}  # the driver's table is shared: copy, don't mutate


def problem(server, data):
    """Why ``data`` (one Engine.IO message) is not a packet the playground accepts, or None."""
    if not isinstance(data, str):
        return "binary frames are not accepted (send JSON text)"
    if data[:1] in (str(packet.BINARY_EVENT), str(packet.BINARY_ACK)):
        return "binary packets are not accepted (send JSON text)"
    try:
        pkt = server.packet_class(encoded_packet=data)
    except RecursionError:
        return "the JSON is nested deeper than the server parses"
    except Exception as exc:  # what python-socketio's decoder raises: ValueError, JSONDecodeError, ...
        return f"not a Socket.IO packet ({type(exc).__name__})"
    if pkt.packet_type not in TYPES:
        return f"unknown packet type {str(pkt.packet_type)[:8]!r}"
    if pkt.packet_type == packet.EVENT and not (isinstance(pkt.data, list) and pkt.data
                                                and isinstance(pkt.data[0], str)):
        return "an event is a JSON list that starts with the event's name"
    return None


def _guard_packets(server, limits):
    handlers = server.eio.handlers
    dispatch = handlers["message"]

    def on_message(eio_sid, data):
        why = problem(server, data) if not isinstance(data, str) or data[:1] in ("5", "6") else None
        if why is None:
            try:
                return dispatch(eio_sid, data)
            except Exception:
                why = problem(server, data)
                if why is None:
                    raise  # a well-formed packet failed: a bug, keep the traceback
        _answer(server, limits, eio_sid, why)

    handlers["message"] = on_message


def _answer(server, limits, eio_sid, why):
    sid = server.manager.sid_from_eio_sid(eio_sid, "/")
    log.info("malformed packet from %s: %s", sid or eio_sid, why)
    if sid is None:  # not connected to the namespace yet: nobody to answer
        return
    try:
        limits.check(sid, "packet")
    except Invalid as exc:
        if not getattr(exc, "tell", True):
            return
        server.emit("error", exc.as_dict(None), to=sid)
        return
    server.emit("error", Invalid("packet", why).as_dict(None), to=sid)
