"""Per-connection rate limits for socket events: a token bucket per tab and per class of event.

One tab that floods ``predict`` (or anything else) must not starve the other
sessions of CPU.  Each socket id gets one bucket per class of event; a bucket
holds ``burst`` tokens and refills at ``rate`` tokens a second, and every event
takes one.  An event that finds its bucket empty is rejected with
``Invalid("rate", ...)`` before any work is done, and the handler thread then
sleeps until the bucket would have a token again (at most ``MAX_PAUSE``): with
``async_handlers=False`` that thread is the flooding connection's own reader,
so a flood slows itself down (its bytes wait in its own TCP buffer) instead of
spinning through rejections.

The classes follow what an event costs: ``predict`` is cheap and the drawing
pad sends many; ``heavy`` events build networks or write the store; the rest
(play, pause, step, seek, set, unknown names) are ``control``.  The limits are
well above what the page sends (one predict in flight at a time, throttled
seeks, key repeat) and can be changed with the app config ``RATE_LIMITS``
(``{}`` turns them off, for benchmarks and the fuzz tests).  Nothing here knows about sockets or
sessions beyond a sid string.
"""
from __future__ import annotations

import threading
import time

from .validate import Invalid

# class -> (tokens per second, burst)
LIMITS = {"predict": (200.0, 200), "control": (100.0, 200), "heavy": (20.0, 60)}
CLASSES = {"predict": "predict", "configure": "heavy", "load_model": "heavy", "save_model": "heavy",
           "reset": "heavy", "gradcheck": "heavy", "use_examples": "heavy", "undo": "heavy",
           "add_point": "heavy", "branch": "heavy", "switch_run": "heavy", "open_runs": "heavy"}
MAX_PAUSE = 0.05  # seconds a rejected event may hold its own connection's reader
ERROR_EVERY = 1.0  # seconds between ``error`` events for rate rejections of one class (acks say it every time)


def event_class(event):
    return CLASSES.get(event, "control")


class Bucket:
    def __init__(self, rate, burst, now):
        self.rate, self.burst = float(rate), float(burst)
        self.tokens, self.stamp = float(burst), now
        self.rejected = 0
        self.told_at = float("-inf")  # when the client was last sent an ``error`` event for this bucket

    def take(self, now):
        """True if a token was taken; else the seconds until one will be there."""
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        self.rejected += 1
        return (1.0 - self.tokens) / self.rate


class RateLimited(Invalid):
    """An ``Invalid`` for field ``rate``; ``tell`` says whether to also emit ``error`` (once a second)."""

    def __init__(self, message, tell):
        super().__init__("rate", message)
        self.tell = tell


class RateLimits:
    """``check(sid, event)`` takes a token or raises ``RateLimited``; ``forget(sid)`` on disconnect."""

    def __init__(self, limits=None, *, clock=time.monotonic, sleep=time.sleep):
        self.limits = dict(LIMITS if limits is None else limits)
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._buckets: dict[str, dict[str, Bucket]] = {}

    def check(self, sid, event):
        kind = event_class(event)
        if kind not in self.limits:
            return
        rate, burst = self.limits[kind]
        now = self._clock()
        with self._lock:
            bucket = self._buckets.setdefault(sid, {}).get(kind)
            if bucket is None:
                bucket = self._buckets[sid][kind] = Bucket(rate, burst, now)
            wait = bucket.take(now)
            if wait is True:
                return
            tell = now - bucket.told_at >= ERROR_EVERY
            if tell:
                bucket.told_at = now
        self._sleep(min(wait, MAX_PAUSE))
        noun = "predict calls" if kind == "predict" else f"{kind} events"
        raise RateLimited(f"more than {rate:g} {noun} per second (bursts of {burst}) from this tab; "
                          "this one was dropped, wait a moment", tell)

    def forget(self, sid):
        with self._lock:
            self._buckets.pop(sid, None)

    def stats(self):
        with self._lock:
            return {"connections": len(self._buckets),
                    "rejected": sum(b.rejected for per in self._buckets.values() for b in per.values())}
