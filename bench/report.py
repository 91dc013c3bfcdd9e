"""Prints the benchmark's tables from bench/out: frontend against vis-timeline, server
window queries against raw SQL, the event filter as one function against the predicate
written out, and bundle sizes."""

import gzip
import json
import os
import statistics
import sys

frontend_path, server_path, pkg, filter_path = sys.argv[1:5]
front = json.load(open(frontend_path))


def med(runs, key):
    return statistics.median(r[key] for r in runs)


if front["ours"]:
    print("\n1. Timeline vs vis-timeline, 10,000 events, median of %d runs" % len(front["ours"]))
else:
    print("\n1. Timeline vs vis-timeline: skipped (BENCH_ONLY=queries)")
print("%-34s %12s %14s %10s" % ("", "ours", "vis-timeline", "ratio"))
for key, name in [] if not front["ours"] else [
    ("firstFrame", "first frame with items (ms)"),
    ("interactive", "interactive (ms)"),
    ("latMedian", "input→frame, median (ms)"),
    ("latWorst", "input→frame, worst (ms)"),
    ("worstGap", "longest frame gap (ms)"),
    ("steps", "sequence steps done (of 28)"),
    ("sequenceMs", "sequence wall time (ms)"),
    ("nodes", "DOM elements after the sequence"),
]:
    ours, vis = med(front["ours"], key), med(front["vis-timeline"], key)
    print("%-34s %12.1f %14.1f %9.1fx" % (name, ours, vis, vis / ours if ours else float("nan")))
for name in front:
    errs = sorted({e for r in front[name] for e in r["errors"]})
    if errs:
        print("  page errors in %s: %s" % (name, errs))

print("\n2. Window queries: through the server vs the same SQL in pgbench (ms)")
print("%-6s %-30s %-8s %6s %9s %9s %9s %9s %8s %8s" % (
    "events", "window", "mode", "items", "http p50", "http p99", "sql p50", "sql p99",
    "x p50", "x p99"))
for line in open(server_path):
    r = json.loads(line)
    print("%-6s %-30s %-8s %6d %9.2f %9.2f %9.2f %9.2f %7.2fx %7.2fx" % (
        r["events"], r["window"], r["mode"], r["items"], r["http_p50"], r["http_p99"],
        r["sql_p50"], r["sql_p99"], r["ratio_p50"], r["ratio_p99"]))

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

print("\n4. What the browser downloads for / (bytes)")
total_raw = total_gz = 0
for f in sorted(os.listdir(pkg)):
    if not f.endswith((".wasm", ".js", ".css")):
        continue
    data = open(os.path.join(pkg, f), "rb").read()
    gz = len(gzip.compress(data, 9))
    total_raw += len(data)
    total_gz += gz
    print("%-34s %10d raw %10d gzip" % (f, len(data), gz))
print("%-34s %10d raw %10d gzip" % ("total", total_raw, total_gz))
