"""Load test of classroom mode: N asyncio python-socketio students and a teacher against one server process.

Starts ``backprop-playground --classroom`` on a free loopback port (temporary data dir), connects a teacher
(``{"token"}``) and N students (``{"code"}``) over websockets, has the teacher train ``letters`` at ``max`` and
measures, over a window of ``--seconds``:

* snapshots/s delivered to each student (min, median, mean) — target ≥ 5 each with 200 students;
* delivery latency, from the moment the room encoded a frame (its ``at`` stamp, server clock) to the moment a
  student's handler ran — p50 / p99 / max; target p99 ≤ 250 ms (client and server share this machine's clock);
* drain: after the teacher's ``pause`` is sent, when did the last streaming snapshot reach any student —
  target ≤ 0.5 s; and whether every student got the paused epoch;
* the server process's CPU (share of one core) and RSS (now and peak), and the training speed meanwhile
  (against the teacher alone, measured first);
* what python-socketio costs per recipient to encode one snapshot packet with a callback (dict payload) and
  what the room's encoded-once payload costs (``classroom.fanout.EncodedPacket``).

Usage: ``python3 -m bench.bench_classroom [--students 200] [--seconds 10] [--warmup 3]``.
It prints figures and their ratio to the targets and writes them to ``bench/results/bench_classroom.json``; it
asserts nothing.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import tempfile
import time
import urllib.request

from bench import record
from tests.classroom.class_cases import TOKEN, ClassServer
from tests.support.stats import percentile as pct


def start_server(data_dir):
    """(process, url, join code) of a started classroom server on ``data_dir``."""
    server = ClassServer(data_dir, os.devnull).start()
    return server.proc, server.url, server.code


def proc_cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_rss_mb(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = int(line.split()[1]) / 1024
    return out.get("VmRSS", 0.0), out.get("VmHWM", 0.0)


def light_packet_class():
    """The students' packet class with ``--decode light``: a snapshot's payload is not parsed in full, only its
    ``epoch`` and ``at`` are read (the 200 browsers of a real class parse theirs on their own machines; here one
    Python process would spend more CPU parsing than the server spends sending).  Everything else as usual."""
    import re

    from socketio import packet

    head = re.compile(r'^2(\d*)\["snapshot",')
    epoch_re, at_re = re.compile(r'"epoch":(\d+)'), re.compile(r'"at":([0-9.eE+-]+)')

    class LightPacket(packet.Packet):
        def decode(self, encoded_packet):
            m = head.match(encoded_packet) if isinstance(encoded_packet, str) else None
            if m is None:
                return super().decode(encoded_packet)
            self.packet_type, self.namespace = packet.EVENT, None
            self.id = int(m.group(1)) if m.group(1) else None
            self.data = ["snapshot", {"epoch": int(epoch_re.search(encoded_packet).group(1)),
                                      "at": float(at_re.search(encoded_packet).group(1))}]
            return 0

    return LightPacket


class Student:
    def __init__(self):
        self.times = []  # (arrival time, epoch, latency)
        self.client = None


async def connect_student(url, code, k, sem, serializer):
    import socketio

    s = Student()
    c = socketio.AsyncClient(reconnection=False, serializer=serializer)

    @c.on("snapshot")
    async def snapshot(data):
        now = time.time()
        s.times.append((now, data["epoch"], now - data["at"]))
        return True  # the ack: this student has drawn it

    async with sem:
        await c.connect(url, transports=["websocket"], auth={"code": code, "name": f"bench {k}"}, wait_timeout=30)
    s.client = c
    return s


def packet_costs():
    """Per-recipient encoding of one letters snapshot: python-socketio with a dict vs the encoded-once payload."""
    from socketio import packet

    from app import frames
    from app.classroom.fanout import Encoded, EncodedPacket

    setup, companion = frames.build({"preset": "letters"})
    setup.trainer.run(200)
    frame = frames.live(setup, companion, boundary=True)
    n = 2000
    t = time.perf_counter()
    for i in range(n):
        packet.Packet(packet.EVENT, data=["snapshot", frame], id=i).encode()
    as_dict = (time.perf_counter() - t) / n
    t = time.perf_counter()
    enc = Encoded.encode(frame, time.time())
    once = time.perf_counter() - t
    t = time.perf_counter()
    for i in range(n):
        EncodedPacket(packet.EVENT, data=["snapshot", enc], id=i).encode()
    spliced = (time.perf_counter() - t) / n
    return len(enc.text), as_dict, once, spliced


async def run(args):
    import socketio

    data_dir = tempfile.mkdtemp(prefix="bench-classroom-")
    proc, url, code = start_server(data_dir)
    try:
        teacher = socketio.AsyncClient(reconnection=False)
        teacher_epochs = []
        teacher.on("snapshot", lambda d: teacher_epochs.append((time.time(), d["epoch"])) or True)
        await teacher.connect(url, transports=["websocket"], auth={"token": TOKEN}, wait_timeout=30)
        ack = await teacher.call("configure", {"preset": "letters"}, timeout=30)
        assert ack["ok"], ack
        assert (await teacher.call("start", {"speed": "max"}, timeout=30))["ok"]  # the teacher alone, for reference
        await asyncio.sleep(1.0)
        a0 = teacher_epochs[-1]
        await asyncio.sleep(args.warmup)
        a1 = teacher_epochs[-1]
        alone = (a1[1] - a0[1]) / (a1[0] - a0[0])
        await teacher.call("pause", timeout=30)
        teacher_epochs.clear()
        sem = asyncio.Semaphore(16)
        t = time.time()
        serializer = light_packet_class() if args.decode == "light" else "default"
        students = await asyncio.gather(*(connect_student(url, code, k, sem, serializer)
                                          for k in range(args.students)))
        joined = time.time() - t
        health = json.loads(urllib.request.urlopen(url + "/api/health", timeout=10).read())
        print(f"students decode snapshots: {args.decode}")
        print(f"{args.students} students joined in {joined:.1f} s (server counts {health['classroom']['students']})")

        speed = args.speed if args.speed == "max" else float(args.speed)
        assert (await teacher.call("start", {"speed": speed}, timeout=30))["ok"]
        await asyncio.sleep(args.warmup)
        t0, c0, b0 = time.time(), proc_cpu_seconds(proc.pid), time.process_time()
        await asyncio.sleep(args.seconds)
        t1, c1, b1 = time.time(), proc_cpu_seconds(proc.pid), time.process_time()
        rss, peak = proc_rss_mb(proc.pid)
        health = json.loads(urllib.request.urlopen(url + "/api/health", timeout=10).read())

        paused_at = time.time()
        paused = await teacher.call("pause", timeout=30)
        await asyncio.sleep(2.0)

        rates, lats, drains, got_pause = [], [], [], 0
        seconds = {}  # latency samples per whole second of the window: is the tail one stall or everywhere?
        for s in students:
            window = [x for x in s.times if t0 <= x[0] < t1]
            rates.append(len(window) / (t1 - t0))
            lats.extend(x[2] for x in window)
            for x in window:
                seconds.setdefault(int(x[0] - t0), []).append(x[2])
            after = [x for x in s.times if x[0] >= paused_at]
            if after:
                drains.append(max(x[0] for x in after) - paused_at)
            got_pause += any(x[1] == paused["epoch"] for x in after)
        te = [e for (tt, e) in teacher_epochs if t0 <= tt < t1]
        epochs_per_s = (max(te) - min(te)) / (t1 - t0) if len(te) > 1 else float("nan")
        size, as_dict, once, spliced = packet_costs()

        p50, p99 = 1000 * pct(lats, 0.5), 1000 * pct(lats, 0.99)
        drain = max(drains) if drains else float("nan")
        print(f"window {t1 - t0:.1f} s after {args.warmup:.0f} s warm-up; letters at max, "
              f"{epochs_per_s:,.0f} epochs/s trained meanwhile ({alone:,.0f} with the teacher alone: "
              f"ratio {epochs_per_s / alone:.2f})")
        print(f"per-student snapshots/s: min {min(rates):.1f}  median {statistics.median(rates):.1f}  "
              f"mean {statistics.mean(rates):.1f}   (target ≥ 5: min/target = {min(rates) / 5:.2f})")
        print(f"delivery latency: p50 {p50:.1f} ms  p99 {p99:.1f} ms  max {1000 * max(lats):.1f} ms   "
              f"(target p99 ≤ 250 ms: p99/target = {p99 / 250:.2f})")
        per_second = sorted(1000 * pct(v, 0.99) for v in seconds.values())
        over = sum(v > 250 for v in per_second)
        print(f"  p99 of each second of the window: median {statistics.median(per_second):.0f} ms, "
              f"worst {per_second[-1]:.0f} ms, seconds over 250 ms: {over}/{len(per_second)}")
        print(f"drain after pause: last streaming snapshot {1000 * drain:.0f} ms after the pause was sent "
              f"(target ≤ 500 ms: ratio {drain / 0.5:.2f}); {got_pause}/{len(students)} students got the paused "
              f"epoch {paused['epoch']}")
        print(f"server: CPU {100 * (c1 - c0) / (t1 - t0):.0f}% of one core, RSS {rss:.0f} MB (peak {peak:.0f} MB); "
              f"room frames {health['classroom']['room']['sent']}, encode {health['classroom']['room']['encode_ms']} "
              f"ms each; student gates: max in flight {health['flow']['max_in_flight']}, "
              f"replaced {health['flow']['replaced']}; the students' process (this one): "
              f"CPU {100 * (b1 - b0) / (t1 - t0):.0f}% of one core")
        print(f"one snapshot packet ({size} bytes) per recipient: python-socketio with a dict {1e6 * as_dict:.0f} µs, "
              f"encoded once ({1e6 * once:.0f} µs) then spliced {1e6 * spliced:.1f} µs "
              f"(×{as_dict / spliced:.0f}); for {args.students} students at "
              f"{statistics.mean(rates):.0f}/s that is {args.students * statistics.mean(rates) * as_dict:.2f} vs "
              f"{args.students * statistics.mean(rates) * spliced:.3f} CPU-s per s")
        record.write("bench_classroom", {
            "students": len(students), "window_s": round(t1 - t0, 2),
            "snapshots_per_s_per_student": {"min": round(min(rates), 2), "median": round(statistics.median(rates), 2),
                                            "target_min": 5},
            "latency_ms": {"p50": round(p50, 1), "p99": round(p99, 1), "max": round(1000 * max(lats), 1),
                           "target_p99": 250},
            "drain_ms": round(1000 * drain, 1), "drain_target_ms": 500,
            "training_ratio_to_teacher_alone": round(epochs_per_s / alone, 3),
            "server_cpu_share": round((c1 - c0) / (t1 - t0), 3), "server_rss_mb": round(rss, 1),
            "packet_us": {"python_socketio_dict": round(1e6 * as_dict, 1), "encoded_once": round(1e6 * once, 1),
                          "spliced": round(1e6 * spliced, 2)},
        }, vars(args))
        await asyncio.gather(*(s.client.disconnect() for s in students), teacher.disconnect(),
                             return_exceptions=True)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--students", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument("--decode", choices=("light", "full"), default="light",
                    help="students parse each snapshot in full, or read only its epoch and stamp (default)")
    ap.add_argument("--speed", default="max", help='the teacher\'s training speed: "max" or epochs/s')
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
