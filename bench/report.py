"""Prints the benchmark's tables from bench/out: frontend against vis-timeline, server
window queries against raw SQL, the event filter as one function against the predicate
written out, bundle sizes, and the readers' budget (page weight, load, first byte,
Lighthouse)."""

import gzip
import json
import os
import statistics
import sys

frontend_path, server_path, pkg, filter_path = sys.argv[1:5]
readers_paths = sys.argv[5:]
front = json.load(open(frontend_path))


def med(runs, key):
    values = [r[key] for r in runs if key in r]
    return statistics.median(values) if values else float("nan")


def machine():
    """This machine's processor and cores: the same code measures slower on a slower host,
    and sessions compare their figures across hosts."""
    try:
        models = [line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                  if line.startswith("model name")]
    except OSError:
        return "unknown"
    return "%s, %d cores" % (models[0] if models else "unknown", len(models))


print("machine: %s" % machine())
if front["ours"]:
    print("\n1. Timeline vs vis-timeline, %s events, 1280x800, median of %d runs; the floor is"
          " a page that only moves a layer (bench/floor.html), driven the same way" % (
              front.get("events", "10,000"), len(front["ours"])))
else:
    print("\n1. Timeline vs vis-timeline: skipped (BENCH_ONLY=queries)")
print("%-34s %10s %13s %9s %9s %11s" % ("", "ours", "vis-timeline", "ratio", "floor",
                                        "ours-floor"))
for key, name in [] if not front["ours"] else [
    ("firstFrame", "first frame with items (ms)"),
    ("interactive", "interactive (ms)"),
    ("latMedian", "input→frame, median (ms)"),
    ("latP95", "input→frame, p95 (ms)"),
    ("latWorst", "input→frame, worst (ms)"),
    ("wheelP95", "  wheel steps only, p95 (ms)"),
    ("dragP95", "  drag moves only, p95 (ms)"),
    ("wheelDelayMedian", "  wheel held before dispatch, med"),
    ("latP95NextFrame", "  p95 to the end of the next frame"),
    ("lateInputs", "  inputs the page changed after"),
    ("latP95Ticking", "  p95 with a callback every frame"),
    ("stepJs", "wheel step's script, mean (ms)"),
    ("stepStyleLayout", "  its style and layout, mean (ms)"),
    ("worstGap", "longest frame gap (ms, 2nd pass)"),
    ("steps", "sequence steps done (of 28)"),
    ("sequenceMs", "sequence wall time (ms)"),
    ("nodes", "DOM elements, most after any step"),
    ("heapMB", "JS heap at the end (MB)"),
]:
    ours, vis = med(front["ours"], key), med(front.get("vis-timeline", []), key)
    floor = med(front.get("floor", []), key)
    print("%-34s %10.1f %13.1f %8.1fx %9.1f %11.1f" % (
        name, ours, vis, vis / ours if ours else float("nan"), floor, ours - floor))


def held(runs):
    """How many of the runs' wheel steps the browser held two frames (over 25 ms) before
    the page saw them, and of how many."""
    holds = [h for r in runs for h in r.get("holds", [])]
    return sum(h > 25 for h in holds), len(holds)


def host(runs):
    """The share of the CPU the host took from this machine (steal) during each run's
    timed pass, and this machine's busy share, as printed beside a run's latencies (a run
    over budget while the host took much is the machine's, not the page's)."""
    steal = [r["stealPct"] for r in runs if "stealPct" in r]
    busy = [r["busyPct"] for r in runs if "busyPct" in r]
    if not steal:
        return None
    return "host took %s%% of the CPU (steal, per run), this machine busy %s%%" % (
        "/".join("%.0f" % x for x in steal), "/".join("%.0f" % x for x in busy))


def count_p95_worst(values):
    """How many, their p95 (as frontend.mjs ranks) and worst; None for none."""
    lats = sorted(values)
    if not lats:
        return None
    return len(lats), lats[min(len(lats) - 1, int(len(lats) * 0.95))], lats[-1]


def pooled(runs, key="lats"):
    """Every timed input of every run as one sample: its p95 and worst. A run's own p95
    rests on its 16 wheel steps, so it swings by run."""
    return count_p95_worst(x for r in runs for x in r.get(key, []))


if front["ours"]:
    print("all runs pooled, input→frame:")
    pools = {name: pooled(front.get(name, [])) for name in ("ours", "vis-timeline", "floor")}
    for name, p in pools.items():
        if p:
            print("  %-12s %5d inputs  p95 %7.1f ms  worst %7.1f ms" % ((name,) + p))
    # A wheel the browser holds two frames (about 30 ms: DevTools' input waits a frame
    # more when the compositor has drawn in the current vsync interval) leaves the step
    # about 3 ms of its 33.
    for name in ("ours", "vis-timeline", "floor"):
        n, of = held(front.get(name, []))
        if of:
            print("  %-12s %5d of %d wheel steps held two frames (over 25 ms), %.0f%%" % (
                name, n, of, 100.0 * n / of))
    # From the page's dispatch of each input instead of the input's own time: the part
    # the page's work decides (the hold before it is the browser's: the browser passes
    # a DevTools wheel on at its next frame and the renderer dispatches it at the one
    # after, so the hold is one or two frames by the input's phase; session 36's trace).
    for name in ("ours", "floor"):
        p = pooled(front.get(name, []), "owns")
        if p:
            print("  %-12s %5d inputs  from dispatch: p95 %7.1f ms  worst %7.1f ms" % (
                (name,) + p))
    for name in ("ours", "vis-timeline", "floor"):
        line = host(front.get(name, []))
        if line:
            print("  %-12s %s" % (name, line))
    # Steps whose frame was not in the browser yet wait for the server: how many, and
    # what each kind cost (from the input), to tell the network's part from the page's.
    # Then steps that met a window's response (ended from 20 ms before their dispatch
    # to their frame), fetched ahead or their own, against the rest: what an arriving
    # window costs a step (its handling, and the server's work on the same two cores).
    runs = front.get("ours", [])
    for key, labels in (("waited", ("waited for data", "found their data")),
                        ("met", ("met a window's response", "met none"))):
        pairs = [(lat, f) for r in runs for lat, f in zip(r.get("lats", []), r.get(key, []))]
        for label, flag in zip(labels, (1, 0)):
            p = count_p95_worst(lat for lat, f in pairs if f == flag)
            if p:
                print("  %-12s %5d inputs  %s: p95 %7.1f ms  worst %7.1f ms" % (
                    "ours", p[0], label, p[1], p[2]))
    print("budgets (ours): first frame 1,000 ms; input→frame p95 33 ms, worst 100 ms; "
          "5,000 DOM elements; 60 MB heap")
    p = pools["ours"]
    over = [what for what, bad in [
        # A run that showed nothing in time has no first frame: over budget.
        ("first frame", max(r.get("firstFrame", float("inf")) for r in front["ours"]) > 1000),
        ("p95 (pooled)", p is None or p[1] > 33),
        ("worst", p is None or p[2] > 100),
        ("DOM elements", max(r.get("nodes", 0) for r in front["ours"]) > 5000),
        ("heap", max(r.get("heapMB", 0) for r in front["ours"]) > 60),
    ] if bad]
    print("  ours, every run: %s" % ("within every budget" if not over else
                                     "OVER BUDGET: " + ", ".join(over)))
# Part 1b (bench/real_input.mjs): the same sequence as real X input, when it was run.
real_path = os.path.join(os.path.dirname(frontend_path), "real_input.json")
if front["ours"] and os.path.exists(real_path):
    real = json.load(open(real_path))
    print("1b. The same sequence as real input (xdotool on Xvfb, not DevTools' input),"
          " all runs pooled, input→frame:")
    for name in ("ours", "floor"):
        p = pooled(real.get(name, []))
        if p:
            print("  %-12s %5d inputs  p95 %7.1f ms  worst %7.1f ms  %d of %d wheel steps held"
                  " two frames" % ((name,) + p + held(real.get(name, []))))
        line = host(real.get(name, []))
        if line:
            print("  %-12s %s" % ("", line))
    p = pooled(real.get("ours", []))
    over = [what for what, bad in [("p95 (pooled)", p is None or p[1] > 33),
                                   ("worst", p is None or p[2] > 100)] if bad]
    print("  ours, real input: %s" % ("within the step budgets (p95 33 ms, worst 100)"
                                      if not over else "OVER BUDGET: " + ", ".join(over)))
for name in ("ours", "vis-timeline", "floor"):
    errs = sorted({e for r in front.get(name, []) for e in r["errors"]})
    if errs:
        print("  page errors in %s: %s" % (name, errs))

print("\n2. Window queries: through the server, each request its own (uncached), vs the"
      " same SQL in pgbench, one statement after another (the server asks independent ones"
      " at once, so x may be under 1); and the same URL again, from the page cache (ms)")
print("%-6s %-30s %-8s %6s %9s %9s %9s %9s %8s %8s %9s %9s" % (
    "events", "window", "mode", "items", "http p50", "http p99", "sql p50", "sql p99",
    "x p50", "x p99", "cache p50", "cache p99"))
for line in open(server_path):
    r = json.loads(line)
    print("%-6s %-30s %-8s %6d %9.2f %9.2f %9.2f %9.2f %7.2fx %7.2fx %9.2f %9.2f" % (
        r["events"], r["window"], r["mode"], r["items"], r["http_p50"], r["http_p99"],
        r["sql_p50"], r["sql_p99"], r["ratio_p50"], r["ratio_p99"],
        r.get("cached_p50", float("nan")), r.get("cached_p99", float("nan"))))
print("budget: p99 under 20 ms at 100,000 events")
# The budget is the timeline's windows (/api/timeline), not the other pages measured here.
over = [r["window"] for r in map(json.loads, open(server_path))
        if r["events"] == "100k" and r["http_p99"] >= 20
        and r["mode"] in ("events", "buckets", "steps", "step buckets")]
print("  windows at 100,000 events: %s" % ("every one within the budget" if not over else
                                "OVER BUDGET: " + ", ".join(over)))

print("\n3. The event filter, 100,000 events: event_matches vs the same predicate written"
      " out (ms; x > 1: the function is slower)")
print("%-16s %-10s %9s %9s %9s %9s %7s %7s" % (
    "query", "filter", "fn p50", "fn p99", "out p50", "out p99", "x p50", "x p99"))
ratios = []
for line in open(filter_path):
    r = json.loads(line)
    ratios.append(r["ratio_p50"])
    print("%-16s %-10s %9.2f %9.2f %9.2f %9.2f %6.2fx %6.2fx" % (
        r["query"], r["filter"], r["function_p50"], r["function_p99"], r["written_out_p50"],
        r["written_out_p99"], r["ratio_p50"], r["ratio_p99"]))
if ratios:
    print("median of the p50 ratios: %.2fx over %d cases" % (statistics.median(ratios), len(ratios)))

print("\n4. The built files the browser downloads (bytes): the stylesheet, the readers' bundle")
print("   (`/` and `/embed`) and the whole application (every other page that loads code)")
totals = {"readers": [0, 0], "whole": [0, 0]}
for f in sorted(os.listdir(pkg)):
    if not f.endswith((".wasm", ".js", ".css")):
        continue
    data = open(os.path.join(pkg, f), "rb").read()
    gz = len(gzip.compress(data, 9))
    kinds = ["readers", "whole"] if f.endswith(".css") else \
        ["readers"] if ".readers-" in f else ["whole"]
    for kind in kinds:
        totals[kind][0] += len(data)
        totals[kind][1] += gz
    print("%-52s %10d raw %10d gzip" % (f, len(data), gz))
for kind, label in (("readers", "total for / (readers' bundle)"), ("whole", "total, whole application")):
    print("%-52s %10d raw %10d gzip" % (label, *totals[kind]))

readers = [json.loads(line) for path in readers_paths for line in open(path) if line.strip()]
if readers:
    print("\n5. The readers' budget, release server")
    print("\n5a. Download before the page is usable (bytes; budget on gzip)")
    print("%-8s %-10s %10s %10s %10s %7s" % ("record", "page", "gzip", "brotli", "budget", "ratio"))
    for r in (r for r in readers if r["part"] == "weight"):
        print("%-8s %-10s %10d %10d %10d %6.2fx" % (
            r["label"], r["page"], r["gzip"], r["br"], r["budget"], r["ratio"]))
        for f in r["files"]:
            print("%-19s   %10d %10d  %s" % ("", f["gzip"], f["br"], f["file"]))
    print("\n5b. Under load: wrk, 16 connections, 10 s; baseline /healthz on the same server")
    print("%-8s %-10s %-9s %9s %9s %9s %7s %6s" % (
        "record", "page", "encoding", "req/s", "p99 ms", "base r/s", "ratio", "non2xx"))
    for r in (r for r in readers if r["part"] == "load"):
        print("%-8s %-10s %-9s %9.0f %9.2f %9.0f %6.2fx %6d" % (
            r["label"], r["page"], r["encoding"], r["rps"], r["p99_ms"], r["baseline_rps"],
            r["rps"] / r["baseline_rps"], r["non_2xx"]))
    print("budget for a permalink: 5,000 req/s, p99 under 20 ms")
    print("\n5c. Time to the first byte (ms, fresh connection each; budget 50)")
    print("%-8s %-8s %16s %16s" % ("record", "page", "again p50/p99", "anew p50/p99"))
    for r in (r for r in readers if r["part"] == "first_byte"):
        anew = r["anew"]
        print("%-8s %-8s %7.1f / %6.1f %16s" % (
            r["label"], r["page"], r["again"]["p50_ms"], r["again"]["p99_ms"],
            "%7.1f / %6.1f" % (anew["p50_ms"], anew["p99_ms"]) if anew else "-"))
    lighthouse = [r for r in readers if r["part"] == "lighthouse"]
    if lighthouse:
        print("\n5d. Lighthouse (mobile, default throttling; budget 100 each)")
        print("%-8s %-10s %5s %5s %5s %5s %8s %8s %8s %8s %6s  %s" % (
            "record", "page", "perf", "a11y", "best", "seo", "FCP ms", "LCP ms", "TBT ms",
            "SI ms", "CLS", "audits under 90"))
        for r in lighthouse:
            s, m = r["scores"], r["metrics"]
            print("%-8s %-10s %5d %5d %5d %5d %8.0f %8.0f %8.0f %8.0f %6.3f  %s" % (
                r["label"], r["page"], s["performance"], s["accessibility"],
                s["best-practices"], s["seo"], m.get("first-contentful-paint", 0),
                m.get("largest-contentful-paint", 0), m.get("total-blocking-time", 0),
                m.get("speed-index", 0), m.get("cumulative-layout-shift", 0),
                ", ".join(r["below_90"]) or "none"))
