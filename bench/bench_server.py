"""Benchmark the live server with a real python-socketio client, side by side in one run.

Starts ``backprop-playground serve`` on a free loopback port (temporary data
dir) and measures, for the ``letters`` preset at ``max`` speed:

* snapshots/s delivered to an attached client;
* training epochs/s in the server with that client attached, against the bare
  engine with nobody attached (``Trainer.run`` in this process, same chunking);
  target ratio ≥ 0.8;
* the ``predict`` round trip (emit with ack) p50/p99 on an idle server and
  while another session trains at max; targets ≤ 2 ms / ≤ 10 ms;
* opening a link with 3 branches at 5,000 epochs (``open_runs`` until its ``link`` message says opened), as a
  ratio to one plain ``configure`` of the same preset (``--link-only`` measures just this).

Usage, from the repository root: ``python3 -m bench.bench_server [--seconds 1.5] [--rounds 8] [--predicts 2000]
[--links 3] [--link-only]``.
Each pair measures the engine alone, then the server, back to back; the median ratio is reported
(the machine is shared, so single figures swing).
It prints figures and ratios, writes them to ``bench/results/bench_server.json``; it asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

from bench import record
from tests.support.letters import LETTER_A
from tests.support.liveserver import LiveServer, free_port, serving  # noqa: F401  (free_port: old name)
from tests.support.stats import percentile


def start_server(data_dir):
    """(process, url) of a started ``LiveServer`` on ``data_dir`` (kept for scripts/lesson_screenshots.py)."""
    server = LiveServer(data_dir, os.devnull).start()
    return server.proc, server.url


def client(url, on_snapshot=None):
    import socketio

    c = socketio.Client(reconnection=False)
    if on_snapshot is not None:
        c.on("snapshot", on_snapshot)
    c.connect(url, transports=["websocket"], wait_timeout=10)
    return c


def engine_alone(seconds):
    """Epochs/s of ``letters`` with nobody attached: the trainer alone, in chunks of about 4 ms."""
    from engine import presets

    tr = presets.build({"preset": "letters"}).trainer
    chunk, done, t0 = 1, 0, time.perf_counter()
    while (now := time.perf_counter()) - t0 < seconds:
        t = now
        done += tr.run(chunk)
        per = (time.perf_counter() - t) / chunk
        chunk = max(1, min(8192, int(0.004 / max(per, 1e-7))))
    return done / (time.perf_counter() - t0)


def server_attached(c, received, seconds):
    """(epochs/s, snapshots/s delivered) of the client's session at max for ``seconds``, then paused."""
    received.clear()
    t0 = time.perf_counter()
    start = c.call("start", {"speed": "max"})
    time.sleep(seconds)
    end = c.call("pause")
    elapsed = time.perf_counter() - t0
    return (end["epoch"] - start["epoch"]) / elapsed, len(received) / elapsed


PREDICT_GAP = 1 / 150  # s between predicts: under app/ratelimit.py's 200 predict calls/s per tab


def predict_latency(url, n, training):
    """Round-trip times (ms) of ``predict`` with an ack; optionally while another session trains at max."""
    trainer = None
    if training:
        trainer = client(url, on_snapshot=lambda p: None)
        trainer.call("configure", {"preset": "letters"})
        trainer.call("start", {"speed": "max"})
        time.sleep(0.3)
    c = client(url)
    try:
        c.call("configure", {"preset": "letters"})
        for _ in range(50):  # warm up
            c.call("predict", {"input": LETTER_A})
        times = []
        for _ in range(n):
            t = time.perf_counter()
            ack = c.call("predict", {"input": LETTER_A})
            times.append((time.perf_counter() - t) * 1000)
            assert ack["ok"], ack
            time.sleep(max(0.0, PREDICT_GAP - (time.perf_counter() - t)))  # stay under the per-tab rate limit
        return times
    finally:
        c.disconnect()
        if trainer is not None:
            trainer.call("pause")
            trainer.disconnect()


LINK = {"epoch": 5000, "branches": [{"parent": 0, "from_epoch": 1000, "epoch": 5000, "changes": {"lr": 0.1}},
                                    {"parent": 0, "from_epoch": 2000, "epoch": 5000, "changes": {"lr": 0.2}},
                                    {"parent": 1, "from_epoch": 3000, "epoch": 5000, "changes": {"momentum": 0}}]}
LINK_PRESETS = ("letters", "spiral")


def link_open(url, preset, rounds):
    """(seconds of one ``configure``, seconds to open ``LINK`` after it), medians over ``rounds`` fresh tabs."""
    import threading

    configures, opens = [], []
    for _ in range(rounds):
        done = threading.Event()
        c = client(url)
        c.on("link", lambda p, done=done: done.set() if p.get("state") != "rebuilding" else None)
        try:
            t = time.perf_counter()
            assert c.call("configure", {"preset": preset}, timeout=60)["ok"]
            configures.append(time.perf_counter() - t)
            t = time.perf_counter()
            assert c.call("open_runs", LINK, timeout=60)["ok"]
            assert done.wait(600), "the link's runs did not open"
            opens.append(time.perf_counter() - t)
        finally:
            c.disconnect()
    return statistics.median(configures), statistics.median(opens)


def link_figures(url, rounds):
    figures = {}
    for preset in LINK_PRESETS:
        conf, opened = link_open(url, preset, rounds)
        print(f"open a link, 3 branches at 5,000 epochs ({preset}): {opened:.2f} s; one configure {conf * 1000:.0f} ms"
              f"; ratio {opened / conf:.0f}  (median of {rounds})")
        figures[preset] = {"open_s": round(opened, 3), "configure_s": round(conf, 4),
                           "ratio_open_to_configure": round(opened / conf, 1), "rounds": rounds}
    return figures


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=1.5, help="length of each training measurement")
    ap.add_argument("--rounds", type=int, default=8, help="pairs of engine-alone / server measurements")
    ap.add_argument("--predicts", type=int, default=2000, help="predict calls per latency measurement")
    ap.add_argument("--links", type=int, default=3, help="links opened per preset (3 branches at 5,000 epochs)")
    ap.add_argument("--link-only", action="store_true", help="measure only the opening of a link")
    args = ap.parse_args(argv)
    if args.link_only:
        with serving() as server:
            figures = {"link_open": link_figures(server.url, args.links)}
        record.write("bench_server_link", figures, vars(args))
        return 0
    with serving() as server:
        url = server.url
        print(f"server {url} (pid {server.proc.pid}); letters at max, {args.seconds:g} s per measurement")
        received = []
        c = client(url, on_snapshot=lambda p: received.append(p["epoch"]))
        c.call("configure", {"preset": "letters"})
        server_attached(c, received, 1.0)  # warm up, and past the first kept epochs
        ratios, shown = [], []
        for r in range(args.rounds):
            alone = engine_alone(args.seconds)
            eps, sps = server_attached(c, received, args.seconds)
            ratios.append(eps / alone)
            shown.append(sps)
            print(f"  pair {r + 1:2d}: engine alone {alone:7.0f} epochs/s | server + client "
                  f"{eps:7.0f} epochs/s, {sps:5.1f} snapshots/s delivered | ratio {ratios[-1]:.2f}")
        c.disconnect()
        print(f"snapshots/s delivered (letters, max): median {statistics.median(shown):.1f}  (cap 60)")
        print(f"epochs/s with a client attached / none: median {statistics.median(ratios):.2f} over "
              f"{len(ratios)} pairs  (target >= 0.80)")
        figures = {"snapshots_per_s_median": round(statistics.median(shown), 1),
                   "epochs_ratio_attached_to_alone_median": round(statistics.median(ratios), 3),
                   "epochs_ratio_target": 0.8, "pairs": len(ratios), "predict_ms": {}}
        for training in (False, True):
            t = predict_latency(url, args.predicts, training)
            label = "while another session trains at max" if training else "idle server"
            p50, p99 = percentile(t, 0.50), percentile(t, 0.99)
            print(f"predict round trip, {label}: p50 {p50:.2f} ms, p99 {p99:.2f} ms "
                  f"(n={len(t)}; targets p50 <= 2 ms, p99 <= 10 ms)")
            figures["predict_ms"]["training" if training else "idle"] = {"p50": round(p50, 3),
                                                                         "p99": round(p99, 3), "n": len(t)}
        figures["link_open"] = link_figures(url, args.links)
        health = server.health()
        print(f"server after the run: {health['sessions']} sessions, {health['train_threads']} training threads")
    record.write("bench_server", figures, vars(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
