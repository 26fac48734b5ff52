"""Benchmark the page in headless Chromium (1280×720) while ``letters`` trains at max speed, old and new side by side.

Starts ``backprop-playground serve`` on a free loopback port (temporary data dir), opens
``/?preset=letters&speed=max`` and measures:

* time to first drawn network: from navigation start to the diagram's first draw with a snapshot's numbers
  (the page sets ``performance.mark('network-drawn')``); target ≤ 1 s on loopback;
* page weight without fonts: bytes of every response (document, scripts, styles; KaTeX included, as the
  equations panel loads it) except font files, after the page has settled; target ≤ 400 KB;
* during the first 10 s of training at max (from the click on play: no warm-up, as a newcomer sees it):
  frames per second, median over 1-second windows of requestAnimationFrame callbacks (target ≥ 55), and the
  long tasks (> 50 ms, PerformanceObserver 'longtask'; target none), plus the snapshots per second the page drew;
* the page's own work per frame, which depends far less on what else runs on the machine than the frame rate:
  main-thread task time per drawn frame (CDP ``Performance.getMetrics``), and, from a Chromium trace of the same
  10 s (``devtools.timeline``), its split into script, style, layout, paint (pre-paint, paint, layerize, commit),
  garbage collection and the rest, plus the style and layout work that script forced in the middle of a frame
  (reading a size or a computed style after writing to the page). A 60 frames/s budget is 16.7 ms per frame.

With ``--baseline REF`` (for instance ``main``) it also serves REF's whole tree (``git archive``: server and
static/) on a second port and measures both in the same run, alternating page loads, then prints each figure
old and new side by side with the ratio new ÷ old; the machine's load affects both alike.

Usage: ``python3 -m bench.bench_page [--seconds 10] [--runs 1] [--baseline main] [--no-trace]``. The trace costs
the page a little time (both sides alike); ``--no-trace`` measures the frame rate without it. It prints figures,
ratios and targets and writes them to ``bench/results/bench_page.json``; it asserts nothing.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import subprocess
import tarfile
import tempfile
from pathlib import Path

from bench import record
from tests.support.browser import launched
from tests.support.liveserver import ROOT, LiveServer, serving

# Installed before any page script: collects long tasks and rAF timestamps from the start.
PROBE = """
window.__bench = { longtasks: [], frames: [], recording: false };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__bench.longtasks.push({ start: e.startTime, duration: e.duration });
}).observe({ type: 'longtask', buffered: true });
(function tick(t) {
  if (window.__bench.recording) window.__bench.frames.push(t);
  requestAnimationFrame(tick);
})(0);
"""

WEIGHT = """() => {
  const all = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];
  const rows = all.map((e) => ({ name: e.name, bytes: e.transferSize || e.encodedBodySize || 0 }));
  const fonts = rows.filter((r) => /\\.(woff2?|ttf|otf)(\\?|$)/.test(r.name));
  const rest = rows.filter((r) => !fonts.includes(r));
  return { total: rest.reduce((s, r) => s + r.bytes, 0), fonts: fonts.reduce((s, r) => s + r.bytes, 0),
           files: rest.length, biggest: rest.sort((a, b) => b.bytes - a.bytes).slice(0, 5) };
}"""

TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8"]

# Trace events (main thread) by what they are; each event's self time (its time minus its children's) counts.
KINDS = {
    "script": {"FunctionCall", "EvaluateScript", "TimerFire", "FireAnimationFrame", "EventDispatch", "RunMicrotasks",
               "v8.compile", "v8.compileModule", "v8.evaluateModule", "v8.callFunction", "v8.run",
               "v8.produceCache", "v8.produceModuleCache", "ParseHTML", "CompileScript", "CompileCode", "V8.Execute",
               "XHRReadyStateChange"},
    "style": {"UpdateLayoutTree", "RecalculateStyles", "ScheduleStyleRecalculation", "InvalidateLayout"},
    "layout": {"Layout", "UpdateLayerTree", "HitTest"},
    "paint": {"PrePaint", "Paint", "PaintSetup", "PaintImage", "Layerize", "UpdateLayer", "Commit", "CompositeLayers",
              "ComputeIntersections", "Decode Image", "RasterTask", "UpdateLayoutTree::PaintOnly"},
    "gc": {"MinorGC", "MajorGC", "V8.GCScavenger", "V8.GCCompactor", "V8.GCFinalizeMC", "V8.GCIncrementalMarking",
           "BlinkGC.AtomicPhase", "V8.GC_MC_BACKGROUND_MARKING", "GCEvent", "BlinkGC.CompleteSweep"},
}
KIND_OF = {name: kind for kind, names in KINDS.items() for name in names}
TOP = {"RunTask", "ThreadControllerImpl::RunTask"}


def split_trace(events, t0_us, t1_us):
    """Main-thread time of the page's renderer between t0 and t1 (trace µs), by kind, plus forced style/layout.

    Wall time of the tasks, and CPU time (the events' thread time) by kind: on a loaded machine a task's wall time
    includes the time it waited for a core, its thread time does not.
    """
    names = {(e["pid"], e["tid"]): e["args"].get("name") for e in events
             if e.get("ph") == "M" and e.get("name") == "thread_name"}
    mains = {k for k, v in names.items() if v == "CrRendererMain"}
    spans = [e for e in events if (e.get("pid"), e.get("tid")) in mains and e.get("ph") == "X" and "dur" in e
             and t0_us <= e["ts"] < t1_us]
    if not spans:
        return None
    busiest = max(mains, key=lambda k: sum(e["dur"] for e in spans if (e["pid"], e["tid"]) == k and e["name"] in TOP))
    spans = sorted((e for e in spans if (e["pid"], e["tid"]) == busiest), key=lambda e: (e["ts"], -e["dur"]))
    own = dict.fromkeys([*KINDS, "other"], 0.0)
    forced = {"ms": 0.0, "count": 0}
    tasks = cpu = 0.0
    stack = []
    for e in spans:
        while stack and stack[-1]["ts"] + stack[-1]["dur"] <= e["ts"]:
            stack.pop()
        t = e.get("tdur", e["dur"])
        if stack:  # the parent's own time loses what this child takes
            own[KIND_OF.get(stack[-1]["name"], "other")] -= t
        else:
            tasks += e["dur"]
            cpu += t
        own[KIND_OF.get(e["name"], "other")] += t
        if e["name"] in ("UpdateLayoutTree", "Layout") and any(s["name"] in KINDS["script"] for s in stack) \
                and not any(s["name"] in ("UpdateLayoutTree", "Layout") for s in stack):
            forced["ms"] += t / 1000
            forced["count"] += 1
        stack.append(e)
    return {"task_ms": tasks / 1000, "cpu_ms": cpu / 1000, "kinds_ms": {k: v / 1000 for k, v in own.items()},
            "forced": forced}


def process_cpu(names=("chrom",), root=None):
    """CPU seconds used so far by the live processes under ``root`` (this one) whose name contains one of ``names``.

    Chromium's compositor and raster threads, its GPU (software compositing) process and the browser process share
    the two cores with the page's main thread and the server: this is their whole bill.
    """
    stats = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                raw = Path(f"/proc/{d}/stat").read_text()
            except OSError:
                continue
            comm, rest = raw[raw.index("(") + 1:raw.rindex(")")], raw[raw.rindex(")") + 2:].split()
            stats[int(d)] = (comm, int(rest[1]), (int(rest[11]) + int(rest[12])) / os.sysconf("SC_CLK_TCK"))
    kids = {}
    for pid, (_, ppid, _) in stats.items():
        kids.setdefault(ppid, []).append(pid)
    total, todo = 0.0, [root or os.getpid()]
    while todo:
        pid = todo.pop()
        todo.extend(kids.get(pid, []))
        if pid in stats and any(n in stats[pid][0].lower() for n in names):
            total += stats[pid][2]
    return total


def run_once(browser, url, seconds, trace, server_pid=None):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.add_init_script(PROBE)
    page.goto(f"{url}/?preset=letters&speed=max")
    page.wait_for_function("() => performance.getEntriesByName('network-drawn').length > 0", timeout=15_000)
    first_drawn = page.evaluate("() => performance.getEntriesByName('network-drawn')[0].startTime")
    steps = page.evaluate("""() => Object.fromEntries(['main-started', 'socket-connected', 'first-snapshot']
        .map((n) => [n, Math.round((performance.getEntriesByName(n)[0] || {}).startTime || -1)]))""")
    page.wait_for_selector('[data-testid="equations"] [data-eq]', timeout=15_000)
    page.wait_for_timeout(500)
    weight = page.evaluate(WEIGHT)
    load_longtasks = page.evaluate("() => window.__bench.longtasks.length")

    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    if trace:
        browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
    m0 = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    cpu0 = (process_cpu(), process_cpu(("python",), server_pid) if server_pid else 0.0)
    start = page.evaluate("""() => { window.__bench.frames = []; window.__bench.recording = true;
        for (const k of Object.keys(window.playground.timings)) delete window.playground.timings[k];
        window.__bench.v0 = window.playground.state.version; window.__bench.e0 = window.playground.state.snapshot.epoch;
        console.timeStamp('bench-start');
        document.querySelector('[data-testid="play"]').click();  // the first 10 s of training, no warm-up
        return performance.now(); }""")
    page.wait_for_timeout(int(seconds * 1000))
    m1 = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    cpu1 = (process_cpu(), process_cpu(("python",), server_pid) if server_pid else 0.0)
    res = page.evaluate("""(start) => { window.__bench.recording = false; const s = window.playground.state;
        console.timeStamp('bench-end');
        return { frames: window.__bench.frames, now: performance.now(), epochs: s.snapshot.epoch - window.__bench.e0,
                 versions: s.version - window.__bench.v0, timings: window.playground.timings,
                 longtasks: window.__bench.longtasks.filter((t) => t.start >= start) }; }""", start)
    split = None
    if trace:
        events = json.loads(browser.stop_tracing())["traceEvents"]
        marks = {e["args"]["data"]["message"]: e["ts"] for e in events if e.get("name") == "TimeStamp"
                 and e.get("args", {}).get("data", {}).get("message", "").startswith("bench-")}
        if {"bench-start", "bench-end"} <= set(marks):
            split = split_trace(events, marks["bench-start"], marks["bench-end"])
    page.click('[data-testid="play"]')
    context.close()

    frames = res["frames"]
    span = res["now"] - start
    windows = [sum(1 for t in frames if start + k * 1000 <= t < start + (k + 1) * 1000)
               for k in range(int(span // 1000))]
    intervals = [b - a for a, b in zip(frames, frames[1:], strict=False)]
    n = max(1, len(frames))
    per_frame = {k: (m1[k] - m0[k]) * 1000 / n for k in ("TaskDuration", "ScriptDuration", "RecalcStyleDuration",
                                                          "LayoutDuration", "ThreadTime") if k in m0}
    if split:
        split = {"task_ms_per_frame": split["task_ms"] / n, "cpu_ms_per_frame": split["cpu_ms"] / n,
                 **{f"{k}_ms_per_frame": v / n for k, v in split["kinds_ms"].items()},
                 "forced_ms_per_frame": split["forced"]["ms"] / n, "forced_per_frame": split["forced"]["count"] / n}
    return {
        "first_drawn_ms": first_drawn,
        "first_steps": steps,
        "weight": weight,
        "load_longtasks": load_longtasks,
        "fps_windows": windows,
        "fps_median": statistics.median(windows) if windows else 0.0,
        "frame_ms_p50": statistics.median(intervals) if intervals else 0.0,
        "frame_ms_max": max(intervals) if intervals else 0.0,
        "longtasks": res["longtasks"],
        "epochs_per_s": res["epochs"] / (span / 1000),
        "state_updates_per_s": res["versions"] / (span / 1000),
        "timings": res["timings"],
        "per_frame_ms": per_frame,
        "split": split,
        "cpu_ms_per_update": (m1.get("ThreadTime", 0) - m0.get("ThreadTime", 0)) * 1000 / max(1, res["versions"]),
        "browser_cpu_per_s": (cpu1[0] - cpu0[0]) / (span / 1000),
        "server_cpu_per_s": (cpu1[1] - cpu0[1]) / (span / 1000),
        "load_average": os.getloadavg()[0],
    }


def summary(r):
    """The figures compared side by side (one page load)."""
    lt = r["longtasks"]
    out = {"first_drawn_ms": r["first_drawn_ms"], "page_kb_without_fonts": r["weight"]["total"] / 1024,
           "fps_median": r["fps_median"], "long_tasks": len(lt),
           "longest_task_ms": max((t["duration"] for t in lt), default=0.0),
           "state_updates_per_s": r["state_updates_per_s"],
           "main_thread_ms_per_frame": r["per_frame_ms"].get("TaskDuration", 0.0),
           "main_thread_cpu_ms_per_frame": r["per_frame_ms"].get("ThreadTime", 0.0),
           "main_thread_cpu_ms_per_update": r["cpu_ms_per_update"],
           "browser_cpu_s_per_s": r["browser_cpu_per_s"], "server_cpu_s_per_s": r["server_cpu_per_s"]}
    if r["split"]:
        out.update({k: v for k, v in r["split"].items() if k != "task_ms_per_frame"})
    return out


def show(r, label, seconds):
    w = r["weight"]
    print(f"{label}: letters at max, first {seconds:.0f} s of training, Chromium 1280x720 headless")
    print(f"  time to first drawn network  {r['first_drawn_ms']:7.0f} ms    (target <= 1000; "
          + ", ".join(f"{k} {v}" for k, v in r["first_steps"].items()) + " ms)")
    print(f"  page weight without fonts    {w['total'] / 1024:7.1f} KB    (target <= 400; "
          f"{w['files']} files; fonts {w['fonts'] / 1024:.1f} KB)")
    print(f"  fps, median of 1 s windows   {r['fps_median']:7.1f}       (target >= 55; windows {r['fps_windows']})")
    print(f"  frame interval p50 / max     {r['frame_ms_p50']:7.1f} / {r['frame_ms_max']:.1f} ms")
    lt = r["longtasks"]
    longest = f"; longest {max(t['duration'] for t in lt):.0f} ms" if lt else ""
    print(f"  long tasks > 50 ms training  {len(lt):7d}       (target 0{longest}); during load: {r['load_longtasks']}")
    print(f"  page state updates /s        {r['state_updates_per_s']:7.1f}   "
          f"(server epochs/s seen by the page {r['epochs_per_s']:.0f}; main-thread CPU per update "
          f"{r['cpu_ms_per_update']:.2f} ms)")
    pf = r["per_frame_ms"]
    print("  main thread per frame, ms (CDP; Task/Script/Style/Layout: wall time of tasks; ThreadTime: CPU used): "
          + ", ".join(f"{k.replace('Duration', '')} {v:.2f}" for k, v in pf.items()))
    if r["split"]:
        s = r["split"]
        print("  trace split per frame, ms: " + ", ".join(
            f"{k.replace('_ms_per_frame', '')} {v:.2f}" for k, v in s.items() if k.endswith("_ms_per_frame")
            and not k.startswith("forced")) + f"; forced style/layout {s['forced_ms_per_frame']:.2f} ms "
            f"({s['forced_per_frame']:.2f} a frame)")
    print(f"  CPU, seconds per second: Chromium (all its processes) {r['browser_cpu_per_s']:.2f}, "
          f"the server {r['server_cpu_per_s']:.2f}")
    print(f"  machine load average (1 min) {r['load_average']:.2f} on {os.cpu_count()} cores")
    cost = sorted(r["timings"].items(), key=lambda kv: -kv[1]["ms"])
    print("  update cost per module (mean / max ms): " + ", ".join(
        f"{name} {t['ms'] / max(1, t['calls']):.2f}/{t['max']:.0f}" for name, t in cost if t["ms"] > 0))


class TreeServer(LiveServer):
    """The server of another checkout (its app/ and static/)."""

    def __init__(self, root, *args):
        self.root = Path(root)
        super().__init__(*args)


@contextlib.contextmanager
def serving_commit(ref):
    """A ``TreeServer`` of ``git archive ref`` for the ``with`` block (a temporary folder, removed afterwards)."""
    with tempfile.TemporaryDirectory(prefix="playground-baseline-") as tmp:
        blob = subprocess.run(["git", "archive", "--format=tar", ref], cwd=ROOT, check=True, capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(blob)) as tar:
            tar.extractall(Path(tmp) / "tree", filter="data")
        server = TreeServer(Path(tmp) / "tree", Path(tmp) / "data", Path(tmp) / "server.log")
        server.start()
        try:
            yield server
        finally:
            server.stop()


def median_of(runs, key):
    values = [r[key] for r in runs if key in r]
    return statistics.median(values) if values else None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=10.0, help="how long to measure while training")
    ap.add_argument("--runs", type=int, default=1, help="page loads (each measured on its own), per side")
    ap.add_argument("--baseline", default=None, help="a git ref (e.g. main) to measure side by side with this tree")
    ap.add_argument("--no-trace", dest="trace", action="store_false", help="no Chromium trace (no per-kind split)")
    args = ap.parse_args(argv)
    sides = {"new": [], **({"old": []} if args.baseline else {})}
    with contextlib.ExitStack() as stack:
        browser = stack.enter_context(launched())
        servers = {"new": stack.enter_context(serving())}
        if args.baseline:
            servers["old"] = stack.enter_context(serving_commit(args.baseline))
        for k in range(args.runs):
            for side in (["old", "new"] if args.baseline else ["new"]):
                r = run_once(browser, servers[side].url, args.seconds, args.trace, servers[side].proc.pid)
                label = f"run {k + 1}" + (f", {side} ({args.baseline if side == 'old' else 'this tree'})"
                                          if args.baseline else "")
                show(r, label, args.seconds)
                sides[side].append(summary(r))
    figures = {"runs": sides["new"], "targets": {"first_drawn_ms": 1000, "page_kb_without_fonts": 400,
                                                 "fps_median": 55, "long_tasks": 0,
                                                 "main_thread_ms_per_frame_budget_60fps": 1000 / 60}}
    if args.baseline:
        keys = list(sides["new"][0])
        print(f"\nside by side, median of {args.runs} load(s) each: {args.baseline} (old) and this tree (new)")
        print(f"  {'':34s} {'old':>9s} {'new':>9s} {'new/old':>8s}")
        medians = {}
        for key in keys:
            o, n = median_of(sides["old"], key), median_of(sides["new"], key)
            medians[key] = {"old": o, "new": n, "ratio": (n / o) if o else None}
            ratio = f"{n / o:8.2f}" if o else f"{'':>8s}"
            print(f"  {key:34s} {o:9.2f} {n:9.2f} {ratio}")
        budget = 1000 / 60
        n, c = medians["main_thread_ms_per_frame"]["new"], medians["main_thread_cpu_ms_per_frame"]["new"]
        print(f"  headroom for 60 fps (16.7 ms a frame): the page's main thread works {c:.1f} ms of CPU a frame "
              f"({c / budget:.0%} of it); its tasks take {n:.1f} ms of wall time ({n / budget:.0%}), the rest of "
              "which is waiting for a core")
        figures.update({"baseline": args.baseline, "baseline_runs": sides["old"], "side_by_side": medians})
    record.write("bench_page", figures, vars(args))


if __name__ == "__main__":
    main()
