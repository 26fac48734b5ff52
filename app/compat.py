"""Every use of python-socketio / python-engineio / simple-websocket internals, in one place.

The server's hardening (``transport.py``) and the classroom's fan-out (``classroom/fanout.py``) need a few things the
libraries do not offer as public API.  They reach them only through the names below, so an upgrade has one
file to check.  ``WRITTEN_FOR`` names the release series each patch was written and tested against;
``pyproject.toml`` caps the dependencies at the next series, and ``tests/server/test_compat.py`` fails with
``mismatch()``'s message when an installed version is outside it.

The patches, and why:

1. ``driver_websocket`` / ``set_driver_websocket``: python-engineio's threading driver table ``eio._async``
   (key ``"websocket"``) is replaced by a copy holding ``transport.BoundedWebSocket``, a subclass of the
   driver's websocket class that passes ``max_message_size`` to simple-websocket, sets TCP_NODELAY, closes
   without raising, and waits in steps.  The subclass relies on the driver's ``self.ws`` (the
   simple-websocket ``Server``), its ``receive(timeout=)`` and its ``connected`` flag.
   Why: python-engineio builds simple-websocket without a message limit and buffers a whole message first.
2. ``ping_wait_of``: recognises a session's ``engineio.socket.Socket._send_ping`` when it is handed to
   ``start_background_task``; ``transport._ping_task`` replaces it with a loop on the socket's ``closing``,
   ``closed``, ``last_ping``, ``server.ping_interval`` and ``send``.
   Why: the library's ping task sleeps the whole ping interval, so a closed session left a thread behind.
3. ``message_handler`` / ``set_message_handler``: the Engine.IO server's ``handlers["message"]`` (where
   python-socketio registered itself) is wrapped by ``transport._guard_packets``.
   Why: a malformed packet raises inside python-socketio, is logged with a traceback and answered with nothing.
4. ``send_packet``: python-socketio's ``Server._send_packet``, to answer a refused packet's ack id.
   Why: there is no public way to ack a packet the server did not dispatch.
5. ``packet_head``: the text python-socketio's ``Packet.encode`` puts before an event's JSON (type, namespace,
   ack id); ``fanout.EncodedPacket`` writes it before a frame encoded once for the whole class.
   Why: python-socketio encodes an event with an ack once per recipient.
6. ``QueueManager``: a ``socketio.RedisManager`` whose ``_handle_emit`` (the method that receives every message
   published on the queue) first offers the message to ``intercept(message)``; ``fanout.ClassroomRedisManager``
   overrides ``intercept``, and the classroom's hub subscribes to it (``subscribe(room, on_internal, on_room_event)``).
   Why: the room's own messages between processes must reach the room, never the browsers.
7. ``BOOKKEEPING``: the client manager's methods that read or change its tables of who is connected, connecting,
   disconnecting and in which room (``rooms``, ``pending_connect``, ``pending_disconnect``, ``callbacks``);
   ``transport._lock_bookkeeping`` runs each of them under one lock.
   Why: python-socketio changes those tables without a lock, and the threading driver runs every connection in
   its own thread: two tabs connecting or leaving at once raised ``KeyError: '/'`` (one tab's ``connect``
   removed the namespace's pending list between another's look and its read) or "dictionary changed size during
   iteration", with a traceback in the log and the tab left half connected.
"""
from __future__ import annotations

from importlib import metadata

import socketio
from engineio.socket import Socket as _EngineSocket

# distribution -> the major version (or (major, minor) series) the patches above were written for
WRITTEN_FOR = {
    "python-engineio": (4,),
    "python-socketio": (5,),
    "flask-socketio": (5,),
    "simple-websocket": (1,),
}


def _series(version: str, length: int) -> tuple[int, ...]:
    parts = []
    for piece in version.split(".")[:length]:
        digits = "".join(ch for ch in piece if ch.isdigit()) or "0"
        parts.append(int(digits))
    return tuple(parts)


def mismatch(name: str, version: str) -> str | None:
    """Why ``version`` of ``name`` is not what this module was written for, or None when it is."""
    want = WRITTEN_FOR[name]
    if _series(version, len(want)) == want:
        return None
    series = ".".join(map(str, want)) + ".x"
    return (f"app/compat.py was written for {name} {series}; you have {version}: "
            f"check each patch listed in its docstring, then update WRITTEN_FOR and the ceiling in pyproject.toml")


def mismatches(installed=None) -> list[str]:
    """``mismatch`` for every library in ``WRITTEN_FOR`` (``installed``: name -> version; default: this Python's)."""
    if installed is None:
        installed = {name: metadata.version(name) for name in WRITTEN_FOR}
    return [m for name, version in installed.items() if (m := mismatch(name, version))]


# 1. the driver's websocket class ---------------------------------------------------------------------
def driver_websocket(eio):
    """The websocket class python-engineio's async driver uses, or None (a driver without websockets)."""
    return eio._async.get("websocket")


def set_driver_websocket(eio, cls):
    """Make ``eio`` (only) use ``cls`` for websockets: the driver's table is shared, so it is copied."""
    eio._async = {**eio._async, "websocket": cls}


# 2. the ping task -----------------------------------------------------------------------------------
def ping_wait_of(target):
    """The Engine.IO socket whose ping wait ``target`` is (a bound ``Socket._send_ping``), else None."""
    if getattr(target, "__func__", None) is _EngineSocket._send_ping:
        return target.__self__
    return None


# 3. the message handler -----------------------------------------------------------------------------
def message_handler(server):
    """python-socketio's handler of Engine.IO messages on ``server`` (``fn(eio_sid, data)``)."""
    return server.eio.handlers["message"]


def set_message_handler(server, fn):
    server.eio.handlers["message"] = fn


# 4. sending a packet --------------------------------------------------------------------------------
def send_packet(server, eio_sid, pkt):
    """Send one Socket.IO packet to the Engine.IO session ``eio_sid``."""
    server._send_packet(eio_sid, pkt)


# 5. the head of an encoded packet -------------------------------------------------------------------
def packet_head(pkt) -> str:
    """What python-socketio writes before a packet's JSON data: the type, ``namespace,`` unless "/", the ack id."""
    head = str(pkt.packet_type)
    if pkt.namespace is not None and pkt.namespace != "/":
        head += pkt.namespace + ","
    if pkt.id is not None:
        head += str(pkt.id)
    return head


# 6. the message queue -------------------------------------------------------------------------------
class QueueManager(socketio.RedisManager):
    """``socketio.RedisManager`` that offers every message from the queue to ``intercept`` first."""

    def intercept(self, message) -> bool:
        """True when ``message`` was handled here and must not be sent to clients."""
        return False

    def _handle_emit(self, message):
        if not self.intercept(message):
            super()._handle_emit(message)


# 7. the client manager's bookkeeping ----------------------------------------------------------------------
BOOKKEEPING = ("pre_connect", "connect", "is_pre_connected", "is_connected", "pre_disconnect", "basic_disconnect",
               "basic_enter_room", "basic_leave_room", "basic_close_room", "get_rooms", "sid_from_eio_sid",
               "eio_sid_from_sid", "_generate_ack_id")
