"""Soak the live server: hostile events by the ten thousand, a thousand tab lifetimes, a vanished client, a flood.

Each part starts its own ``backprop-playground serve`` (through tests/hardening/serve_with.py, which only sets
app config defaults) on a free loopback port with a temporary data dir, talks to it over raw websockets
(tests/hardening/wire.py: every frame parsed as strict JSON) and reads its log for tracebacks:

* ``fuzz`` — ``--events`` hostile events drawn by hypothesis (tests/hardening/payloads.py: every event name and
  unknown ones, NaN/±Infinity, 200 KB strings, 100,000-number lists, nesting 2,000 deep, layer sizes 0 and
  10⁶), each checked as in test_hardening_fuzz.py, on a server that lets 4 MB messages through with rate
  limits off; then the session must still work.  A new random seed each run (printed; ``--seed`` repeats one).
* ``cycles`` — ``--cycles`` times connect → configure → start (max) → disconnect (a polite close, a TCP reset
  or a bare FIN in turn); the server's thread count must return to its baseline and RSS growth stay < 30 MB.
* ``vanish`` — a client behind a relay that goes silent (no FIN, no RST) while training: seconds until its
  trainer stops, with a 1 s ping interval and 1 s timeout (the default is 10 + 10 s).
* ``flood`` — one tab floods ``predict`` while another sends one every 10 ms: the other tab's round trip
  p50/p99 with no flood, with the flood and the rate limits on (the default), and with the flood and the
  limits off; and how many of the flooder's predicts were answered and refused.
* ``rtt`` — ``step`` and ``pause`` round trips (answered by two writes: a ``status``/``snapshot`` and the ack).
* ``burst`` — ``--bursts`` times, 40 sessions each send 50 malformed or oversize events and all leave at once
  (tests/hardening/burst.py, as in test_hardening_burst.py): no traceback, and seconds until the thread count is
  back within 2 of its baseline (target ≤ 2 s after the last client left).

Usage: ``python3 -m bench.soak [--only fuzz,cycles,vanish,flood,rtt,burst] [--events 20000] [--cycles 1000]
[--flood-seconds 5] [--bursts 10] [--seed N]``.  It prints figures and the pass/fail of each check; exit
status 1 if a check failed.  Timings swing on a shared machine: they are reported, not asserted.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from tests.hardening.harness import Server, wait_until
from tests.hardening.wire import Blackhole, Wire
from tests.support.letters import LETTER_A
from tests.support.stats import percentile as pct

FAILED = []


def check(ok, what):
    print(f"    {'ok  ' if ok else 'FAIL'} {what}")
    if not ok:
        FAILED.append(what)


STARTED = []  # every server this run started: all stopped at the end, even after an error


def server(tmp, name, **config):
    base = Path(tmp) / name
    base.mkdir()
    s = Server(base / "data", base / "server.log", config)
    STARTED.append(s)
    return s.start()


def ms(seconds):
    return f"{seconds * 1000:.2f} ms"


# -- fuzz ------------------------------------------------------------------------------------------------------
def fuzz(tmp, events, seed):
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis import strategies as st

    from tests.hardening.payloads import events as event_strategy
    from tests.hardening.test_hardening_fuzz import WIDE, send_and_check

    s = server(tmp, "fuzz", **WIDE)
    w = Wire(s.port)
    tally = Counter()
    examples = max(1, events // 3)
    t0 = time.perf_counter()

    @hypothesis_seed(seed)
    @settings(max_examples=examples, deadline=None, database=None, phases=(Phase.generate,),
              suppress_health_check=list(HealthCheck))
    @given(st.lists(event_strategy(), min_size=1, max_size=4))
    def run(steps):
        for name, args in steps:
            send_and_check(w, name, args, tally)
        w.call("pause")
        tally["events"] += 1

    error = None
    try:
        run()
    except Exception as exc:  # reported below; the figures so far still print
        error = exc
    took = time.perf_counter() - t0
    print(f"  fuzz (seed {seed}): {tally['events']} events in {took:.0f} s ({tally['events'] / took:.0f}/s), "
          f"{w.frames} frames received")
    print("    answers: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items()) if k != "events"))
    check(error is None, f"every event answered as the protocol says{'' if error is None else f': {error}'}")
    check(tally["events"] >= events, f"at least {events} events sent")
    check(w.bad_frames == [], "every frame strict JSON (no NaN, no Infinity)")
    check(not s.tracebacks(), "no traceback in the server log")
    ok = (w.call("configure", {"preset": "letters"}) or {}).get("ok") and \
        (w.call("predict", {"input": LETTER_A}) or {}).get("ok")
    check(bool(ok), "the same session configures and predicts afterwards")
    w.close()
    s.stop()


# -- cycles ----------------------------------------------------------------------------------------------------
def cycles(tmp, n):
    from tests.hardening.test_hardening_lifecycle import PING, baseline_threads, cycle, settled

    s = server(tmp, "cycles", **PING)
    for i in range(6):
        cycle(s.port, i)
    settled(s)
    base, rss0 = baseline_threads(s), s.rss()
    t0 = time.perf_counter()
    marks = []
    for i in range(n):
        cycle(s.port, i)
        if (i + 1) % max(1, n // 4) == 0:
            marks.append((i + 1, s.rss()))
    took = time.perf_counter() - t0
    after = settled(s, threads=base)
    rss1 = s.rss()
    print(f"  cycles: {n} × connect → configure → start (max) → disconnect in {took:.1f} s "
          f"({took / n * 1000:.0f} ms each)")
    print(f"    threads: baseline {base}, after {after['threads'] if after else s.health()['threads']}; RSS "
          f"{rss0 / 2**20:.1f} MB → {rss1 / 2**20:.1f} MB (+{(rss1 - rss0) / 2**20:.1f} MB); along the way: "
          + ", ".join(f"{k}: {r / 2**20:.1f} MB" for k, r in marks))
    check(after is not None, "no session, no trainer and the baseline thread count afterwards")
    check(rss1 - rss0 < 30 * 2**20, "RSS growth < 30 MB")
    check(not s.tracebacks(), "no traceback in the server log")
    s.stop()


# -- vanish ----------------------------------------------------------------------------------------------------
def vanish(tmp, rounds=3):
    from tests.hardening.test_hardening_lifecycle import PING

    s = server(tmp, "vanish", **PING)
    times = []
    for _ in range(rounds):
        relay = Blackhole(s.port)
        w = Wire(relay.port)
        w.call("configure", {"preset": "letters"})
        w.call("start", {"speed": "max"})
        w.wait_for("snapshot", lambda p: p["epoch"] > 0)
        relay.cut()
        t0 = time.monotonic()
        gone = wait_until(lambda: s.health()["train_threads"] == 0 and s.health()["sessions"] == 0, 30, 0.02)
        times.append(time.monotonic() - t0 if gone else float("inf"))
        w.drop()
        relay.close()
    bound = PING["PING_INTERVAL"] + PING["PING_TIMEOUT"]
    print(f"  vanish: trainer stopped {', '.join(f'{t:.2f} s' for t in times)} after the line went silent "
          f"(ping interval {PING['PING_INTERVAL']} s + timeout {PING['PING_TIMEOUT']} s)")
    check(max(times) <= bound + 1.0, "within the ping interval + timeout (+1 s for the server's ping check)")
    s.stop()


# -- flood -----------------------------------------------------------------------------------------------------
def predict_rtts(w, n, every=0.01):
    """``n`` predicts, one every ``every`` seconds (a drawing pad's pace, under the tab's limit of 200/s)."""
    out = []
    for _ in range(n):
        t = time.perf_counter()
        ack = w.call("predict", {"input": LETTER_A})
        out.append(time.perf_counter() - t)
        assert ack and ack["ok"], ack
        time.sleep(max(0.0, every - (time.perf_counter() - t)))
    return out


def flood_child(port, seconds):
    """The flooder, in its own process (its send loop must not take the measuring process's GIL): predicts as
    fast as the socket takes them for ``seconds``, then prints ``sent answered refused``."""
    w = Wire(port)
    w.call("configure", {"preset": "letters"})
    sent, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        w.emit("predict", {"input": LETTER_A})
        sent += 1
    time.sleep(1.0)
    answers = list(w.acks.values())
    ok = sum(1 for a in answers if a and a[0].get("ok"))
    refused = sum(1 for a in answers if a and not a[0].get("ok") and a[0]["error"]["field"] == "rate")
    print(sent, ok, refused, flush=True)
    w.drop()


def flood_once(s, seconds, flood):
    import subprocess

    victim = Wire(s.port)
    victim.call("configure", {"preset": "letters"})
    child = None
    if flood:
        child = subprocess.Popen([sys.executable, __file__, "--flood-child", str(s.port), str(seconds + 1.0)],
                                 stdout=subprocess.PIPE, text=True)
        time.sleep(0.5)
    rtts, t0 = [], time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        rtts.extend(predict_rtts(victim, 50))
    victim.close()
    if child is None:
        return rtts, 0, 0, 0
    out, _ = child.communicate(timeout=60)
    sent, ok, refused = (int(x) for x in out.split())
    return rtts, sent, ok, refused


def flood(tmp, seconds):
    limited = server(tmp, "flood-limited")
    unlimited = server(tmp, "flood-unlimited", RATE_LIMITS={})
    rows = [("no flood", *flood_once(limited, seconds, False)),
            ("flood, rate limits on", *flood_once(limited, seconds, True)),
            ("flood, rate limits off", *flood_once(unlimited, seconds, True))]
    print(f"  flood: the other tab's predict round trip over {seconds:.0f} s, side by side")
    for label, rtts, sent, ok, refused in rows:
        extra = f"; flooder sent {sent}, answered {ok}, refused (rate) {refused}" if sent else ""
        print(f"    {label:24s} n={len(rtts):5d}  p50 {ms(statistics.median(rtts))}  p99 {ms(pct(rtts, 0.99))}{extra}")
    base, on, off = (statistics.median(r[1]) for r in rows)
    print(f"    p50 ratio flood/no-flood: limits on {on / base:.2f}, limits off {off / base:.2f}")
    check(rows[1][4] > 0, "the flooder's excess predicts were refused with field 'rate'")
    check(not limited.tracebacks() and not unlimited.tracebacks(), "no traceback in the server logs")
    limited.stop()
    unlimited.stop()


# -- round trips -----------------------------------------------------------------------------------------------
def rtt(tmp, n=300):
    s = server(tmp, "rtt")
    w = Wire(s.port)
    w.call("configure", {"preset": "letters"})
    rows = {}
    for event, payload in (("step", {"unit": "epoch"}), ("pause", {}), ("predict", {"input": LETTER_A})):
        times = []
        for _ in range(n):
            t = time.perf_counter()
            w.call(event, payload)
            times.append(time.perf_counter() - t)
        rows[event] = times
    print(f"  round trips ({n} each): " + "; ".join(
        f"{e} p50 {ms(statistics.median(t))} p99 {ms(pct(t, 0.99))}" for e, t in rows.items()))
    check(max(statistics.median(rows["step"]), statistics.median(rows["pause"])) < 0.02,
          "step and pause answer without a 40 ms Nagle wait (p50 < 20 ms; it was 44 ms for pause before TCP_NODELAY)")
    w.close()
    s.stop()


# -- burst -----------------------------------------------------------------------------------------------------
def bursts(tmp, rounds):
    from tests.hardening.burst import burst, settle
    from tests.hardening.test_hardening_burst import EVENTS, SESSIONS, SLACK, fewest_threads

    s = server(tmp, "burst")
    Wire(s.port).close()
    wait_until(lambda: s.health()["sessions"] == 0)
    base = fewest_threads(s)
    times, clean = [], 0
    for r in range(rounds):
        mark = len(s.log())
        connected, sent = burst(s.port, SESSIONS, EVENTS)
        took = settle(s, base, SLACK)
        found = s.tracebacks(mark)
        clean += not found
        if found:  # say what it was: the log's lines around it
            print("      " + "\n      ".join(found.splitlines()[-12:]))
        times.append(took)
        print(f"    burst {r + 1}: {connected} sessions, {sent} frames; threads back to {base}+{SLACK} in "
              + (f"{took:.2f} s" if took is not None else "more than 20 s")
              + f"; {found.count('Traceback')} traceback(s)")
    print(f"  burst: {rounds} × {SESSIONS} hostile sessions leaving at once")
    check(clean == rounds, f"no traceback in any of {rounds} bursts")
    check(all(t is not None and t <= 2.0 for t in times), f"threads back within {SLACK} of {base} in ≤ 2 s each time")
    s.stop()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--only", default="fuzz,cycles,vanish,flood,rtt,burst")
    p.add_argument("--events", type=int, default=20_000)
    p.add_argument("--cycles", type=int, default=1000)
    p.add_argument("--flood-seconds", type=float, default=5.0)
    p.add_argument("--bursts", type=int, default=10)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--flood-child", nargs=2, metavar=("PORT", "SECONDS"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.flood_child:
        flood_child(int(args.flood_child[0]), float(args.flood_child[1]))
        return 0
    parts = args.only.split(",")
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            if "fuzz" in parts:
                fuzz(tmp, args.events, seed)
            if "cycles" in parts:
                cycles(tmp, args.cycles)
            if "vanish" in parts:
                vanish(tmp)
            if "flood" in parts:
                flood(tmp, args.flood_seconds)
            if "rtt" in parts:
                rtt(tmp)
            if "burst" in parts:
                bursts(tmp, args.bursts)
        finally:
            for s in STARTED:
                s.stop()
    print(f"{len(FAILED)} check(s) failed" if FAILED else "all checks held")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
