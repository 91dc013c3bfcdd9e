"""The event filter written once (the SQL function event_matches, which the planner
inlines) against the same predicate written out in each query, on the same database in
the same run: for every query that selects events by a filter (the list, the window, its
most prominent events, scanned buckets, facets, the extent) and a filter on each field.
Usage:
    filter_predicate.py DATABASE_URL [RUNS]
Prints one JSON object per (query, filter); ratio_p50 > 1 means the function is slower."""

import checked_sql
import glob
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import urllib.parse

db_url = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 30
parsed = urllib.parse.urlparse(db_url)
conn = ["-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432),
        "-U", parsed.username or "postgres", parsed.path.lstrip("/")]


def psql(sql):
    return subprocess.run(["psql", "-tAq", *conn, "-c", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


def queries():
    """Every checked statement that selects events by a reader's filter."""
    def filtered(test):
        return lambda q: "event_matches(" in q and test(q)
    return checked_sql.statements([
        ("window, starting inside", filtered(lambda q: "ORDER BY starts_on, id LIMIT $11" in q)),
        ("window, running at start",
         filtered(lambda q: "ORDER BY starts_on DESC, id LIMIT $10" in q)),
        ("scanned buckets", filtered(lambda q: "WITH counted AS" in q)),
        ("searched top events, tried", filtered(lambda q: "LIMIT $14) tried" in q)),
        ("searched top events", filtered(lambda q: "WITH matches AS MATERIALIZED" in q)),
        ("top events", filtered(lambda q: "ORDER BY prominence DESC, starts_on LIMIT $11" in q)),
        ("facets", filtered(lambda q: "WITH base AS" in q)),
        ("extent", filtered(lambda q: "min(starts_on)" in q)),
        ("list", filtered(lambda q: "(e.starts_on, e.id) >" in q)),
    ])


# The body of event_matches (migration one_event_filter), with its arguments in place.
INLINE = ("(({0} IS NULL OR e.search @@ event_search_query({0}))"
          " AND ({1} IS NULL OR e.kind = {1})"
          " AND ({2} IS NULL OR e.actor_keys @> ARRAY[lower({2})])"
          " AND ({3} IS NULL OR {3} = ANY(e.authority_names))"
          " AND ({4} IS NULL OR {4} = ANY(e.target_names))"
          " AND ({5} IS NULL OR e.covers_until >= {5})"
          " AND ({6} IS NULL OR e.starts_on <= {6})"
          " AND ({7} IS NULL OR (e.in_force_from <= {7}"
          " AND (e.out_of_force_certain IS NULL OR e.out_of_force_certain > {7}))))")


def written_out(sql):
    def expand(m):
        args = [a.strip() for a in m.group(1).split(",")]
        return INLINE.format(*args)
    return re.sub(r"event_matches\(e, ([^)]*)\)", expand, sql)


def bind(sql, params):
    # NULL arguments keep their type, as the server's typed parameters do.
    types = {1: "text", 2: "text", 3: "text", 4: "text", 5: "text", 6: "date", 7: "date",
             8: "date"}

    def param(m):
        i = int(m.group(1))
        v = checked_sql.literal(params[i - 1])
        return f"{v}::{types[i]}" if i in types else v
    return re.sub(r"\$(\d+)(?!\d)", param, sql)


def latencies(*scripts):
    """Per script, its transactions' latencies (ms): the scripts run interleaved in one
    pgbench run, each picked at random, so both see the same machine."""
    with tempfile.TemporaryDirectory() as tmp:
        args = []
        for i, script in enumerate(scripts):
            f = os.path.join(tmp, f"script{i}.sql")
            open(f, "w").write(checked_sql.one_line(script) + ";\n")
            args += ["-f", f]
        prefix = os.path.join(tmp, "log")
        total = len(scripts) * (runs + 3)
        subprocess.run(["pgbench", "-n", "-M", "simple", "-c", "1", "-t", str(total),
                        *args, "-l", "--log-prefix", prefix, *conn],
                       check=True, capture_output=True)
        lat = [[] for _ in scripts]
        for log in glob.glob(prefix + "*"):
            for line in open(log):
                fields = line.split()
                lat[int(fields[3])].append(int(fields[2]) / 1000)
        return [xs[3:] for xs in lat]


def p99(xs):
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(0.99 * (len(s) - 1))))]


top_target = psql("SELECT lane FROM event_lane_totals WHERE lanes = 'target' AND lane <> '' "
                  "ORDER BY n DESC LIMIT 1")
top_authority = psql("SELECT lane FROM event_lane_totals WHERE lanes = 'authority' "
                     "AND lane <> '' ORDER BY n DESC LIMIT 1")
FILTERS = {
    "none": [None] * 8,
    "q": ["retaliates", None, None, None, None, None, None, None],
    "kind": [None, "eased", None, None, None, None, None, None],
    "actor": [None, None, top_target.upper(), None, None, None, None, None],
    "authority": [None, None, None, top_authority, None, None, None, None],
    "target": [None, None, None, None, top_target, None, None, None],
    "from+to": [None, None, None, None, None, "2020-01-01", "2020-12-31", None],
    "in_force": [None] * 7 + ["2019-06-30"],
}
START, END = "1999-01-01", "2026-12-31"
NOW = [None, []]  # the record as it is now: no day's end, no events saved since
OWN = {  # each query's own parameters, after the filter's eight
    "window, starting inside": [START, END, 301, *NOW],
    "window, running at start": [START, 100, *NOW],
    "scanned buckets": [True, "authority", START, END, 12, "(other)", None, None, *NOW],
    "top events": [START, END, 40, *NOW],
    "searched top events": [START, END, 40, *NOW],
    # Tried: the 200 most prominent, with no cap on their prominence.
    "searched top events, tried": [START, END, 40, *NOW, 200, None],
    "facets": [30],
    "extent": [],
    "list": [None, None, 101],
}

# Before anything is timed: a statement that gained a parameter stops the run here, by name.
for name, sql in sorted(queries().items()):
    wanted = max(int(n) for n in re.findall(r"\$(\d+)(?!\d)", sql))
    if wanted != 8 + len(OWN[name]):
        sys.exit(f"filter_predicate.py: '{name}' takes {wanted} parameters, OWN gives "
                 f"8 + {len(OWN[name])}: its statement changed; give OWN its new ones")

for name, sql in sorted(queries().items()):
    for fname, f in FILTERS.items():
        params = f + OWN[name]
        fn, inline = latencies(bind(sql, params), bind(written_out(sql), params))
        out = {"query": name, "filter": fname,
               "function_p50": statistics.median(fn), "function_p99": p99(fn),
               "written_out_p50": statistics.median(inline), "written_out_p99": p99(inline)}
        # A microsecond floor: pgbench logs whole microseconds.
        out["ratio_p50"] = out["function_p50"] / max(out["written_out_p50"], 0.001)
        out["ratio_p99"] = out["function_p99"] / max(out["written_out_p99"], 0.001)
        print(json.dumps(out), flush=True)
