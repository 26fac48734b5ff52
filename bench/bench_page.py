"""Benchmark the page in headless Chromium (1280×720) while ``letters`` trains at max speed.

Starts ``backprop-playground serve`` on a free loopback port (temporary data dir), opens ``/?preset=letters``
and measures:

* time to first drawn network: from navigation start to the diagram's first draw with a snapshot's numbers
  (the page sets ``performance.mark('network-drawn')``); target ≤ 1 s on loopback;
* page weight without fonts: bytes of every response (document, scripts, styles; KaTeX included, as the
  equations panel loads it) except font files, after the page has settled; target ≤ 400 KB;
* during the first 10 s of training at max (from the click on play: no warm-up, as a newcomer sees it):
  frames per second, median over 1-second windows of requestAnimationFrame callbacks (target ≥ 55), and the
  long tasks (> 50 ms, PerformanceObserver 'longtask'; target none), plus the snapshots per second the page drew.

Usage: ``python3 -m bench.bench_page [--seconds 10] [--runs 1]``. It prints figures and the targets and writes
them to ``bench/results/bench_page.json``; it asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import statistics

from bench import record
from tests.support.browser import launched
from tests.support.liveserver import serving

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


def run_once(browser, url, seconds):
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
    m0 = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    start = page.evaluate("""() => { window.__bench.frames = []; window.__bench.recording = true;
        for (const k of Object.keys(window.playground.timings)) delete window.playground.timings[k];
        window.__bench.v0 = window.playground.state.version; window.__bench.e0 = window.playground.state.snapshot.epoch;
        document.querySelector('[data-testid="play"]').click();  // the first 10 s of training, no warm-up
        return performance.now(); }""")
    page.wait_for_timeout(int(seconds * 1000))
    m1 = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    res = page.evaluate("""(start) => { window.__bench.recording = false; const s = window.playground.state;
        return { frames: window.__bench.frames, now: performance.now(), epochs: s.snapshot.epoch - window.__bench.e0,
                 versions: s.version - window.__bench.v0, timings: window.playground.timings,
                 longtasks: window.__bench.longtasks.filter((t) => t.start >= start) }; }""", start)
    page.click('[data-testid="play"]')
    context.close()

    frames = res["frames"]
    span = res["now"] - start
    windows = [sum(1 for t in frames if start + k * 1000 <= t < start + (k + 1) * 1000)
               for k in range(int(span // 1000))]
    intervals = [b - a for a, b in zip(frames, frames[1:], strict=False)]
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
        "main_thread": {k: (m1[k] - m0[k]) / (span / 1000) for k in
                        ("TaskDuration", "ScriptDuration", "RecalcStyleDuration", "LayoutDuration", "ThreadTime",
                         "ProcessTime") if k in m0},
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=10.0, help="how long to measure while training")
    ap.add_argument("--runs", type=int, default=1, help="page loads (each measured on its own)")
    args = ap.parse_args(argv)
    with serving() as server, launched() as browser:
        url = server.url
        runs = []
        for k in range(args.runs):
            r = run_once(browser, url, args.seconds)
            runs.append({"first_drawn_ms": round(r["first_drawn_ms"]), "page_kb_without_fonts":
                         round(r["weight"]["total"] / 1024, 1), "fps_median": round(r["fps_median"], 1),
                         "long_tasks": len(r["longtasks"]), "state_updates_per_s": round(r["state_updates_per_s"], 1)})
            w = r["weight"]
            print(f"run {k + 1}: letters at max, first {args.seconds:.0f} s of training, "
                  "Chromium 1280x720 headless")
            print(f"  time to first drawn network  {r['first_drawn_ms']:7.0f} ms    (target <= 1000; "
                  + ", ".join(f"{k} {v}" for k, v in r["first_steps"].items()) + " ms)")
            print(f"  page weight without fonts    {w['total'] / 1024:7.1f} KB    (target <= 400; "
                  f"{w['files']} files; fonts {w['fonts'] / 1024:.1f} KB)")
            for b in w["biggest"]:
                print(f"      {b['bytes'] / 1024:7.1f} KB  {b['name'].replace(url, '')}")
            print(f"  fps, median of 1 s windows   {r['fps_median']:7.1f}       (target >= 55; windows "
                  f"{r['fps_windows']})")
            print(f"  frame interval p50 / max     {r['frame_ms_p50']:7.1f} / {r['frame_ms_max']:.1f} ms")
            lt = r["longtasks"]
            longest = f"; longest {max(t['duration'] for t in lt):.0f} ms" if lt else ""
            print(f"  long tasks > 50 ms training  {len(lt):7d}       (target 0{longest}); "
                  f"during load: {r['load_longtasks']}")
            print(f"  page state updates /s        {r['state_updates_per_s']:7.1f}   "
                  f"(server epochs/s seen by the page {r['epochs_per_s']:.0f})")
            mt = r["main_thread"]
            print("  main thread, seconds per second (Task/Script/Style/Layout: wall time of tasks; "
                  "ThreadTime/ProcessTime: CPU actually used):")
            print("      " + ", ".join(f"{k.replace('Duration', '')} {v:.2f}" for k, v in mt.items()))
            print(f"  machine load average (1 min) {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
            cost = sorted(r["timings"].items(), key=lambda kv: -kv[1]["ms"])
            print("  update cost per module (mean / max ms): " + ", ".join(
                f"{name} {t['ms'] / max(1, t['calls']):.2f}/{t['max']:.0f}" for name, t in cost))

    record.write("bench_page", {"runs": runs, "targets": {"first_drawn_ms": 1000, "page_kb_without_fonts": 400,
                                                          "fps_median": 55, "long_tasks": 0}}, vars(args))


if __name__ == "__main__":
    main()
