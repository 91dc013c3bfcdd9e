"""Window-query latency through the server (HTTP, JSON, pool) against the same SQL run
directly on Postgres with pgbench, for a range of windows. Usage:
    server_latency.py BASE_URL DATABASE_URL LABEL [REQUESTS]
Prints one JSON object per window."""

import checked_sql
import datetime
import glob
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

base, db_url, label = sys.argv[1:4]
# Words of this run's own: a server still holding an earlier run's pages serves none.
RUN = os.urandom(4).hex()
n = int(sys.argv[4]) if len(sys.argv) > 4 else 200

WINDOWS = [
    ("1 day", "2024-03-05", "2024-03-05", "none"),
    ("1 month", "2024-03-01", "2024-03-31", "none"),
    ("1 year", "2023-01-01", "2023-12-31", "none"),
    ("1 year, lanes by target", "2023-01-01", "2023-12-31", "target"),
    ("10 years, lanes by authority", "2015-01-01", "2024-12-31", "authority"),
    ("whole record", "1999-01-01", "2026-12-31", "none"),
    ("whole record, lanes by target", "1999-01-01", "2026-12-31", "target"),
    ("mid-month cut, 3 years by kind", "2020-02-17", "2023-03-09", "kind"),
]
FILTER_FIELDS = ["q", "kind", "actor", "authority", "target", "from", "to", "in_force"]


def queries():
    """The checked SQL of the window and its buckets."""
    return checked_sql.statements([
        ("rolled_up_facets", lambda q: "'total' AS" in q and "FROM event_lane_totals" in q),
        ("lower", lambda q: q.startswith("SELECT lower($1)")),
        ("starting", lambda q: "event_matches(" in q and "ORDER BY starts_on, id LIMIT $11" in q),
        ("running", lambda q: "event_matches(" in q
                              and "ORDER BY starts_on DESC, id LIMIT $10" in q),
        ("scanned_buckets", lambda q: "WITH counted AS" in q),
        ("counted_matches", lambda q: 'AS "inside!"' in q and "WITH counted AS" not in q
                                      and "FROM event_word_months" not in q),
        ("search_word", lambda q: q.startswith("WITH forms AS (")),
        ("word_counts", lambda q: "FROM event_word_months" in q),
        ("lane_candidates", lambda q: "FROM event_lane_totals" in q),
        ("rolled_up_inside", lambda q: "CASE WHEN $1 = 'actor'" in q),
        ("lane_ranking", lambda q: "FROM event_month_counts" in q and "GROUP BY lane" in q),
        ("window_events", lambda q: "FROM event_month_counts" in q
                                    and "lane = COALESCE($3, '')" in q),
        ("month_counts", lambda q: "FROM event_month_counts" in q),
        ("day_counts", lambda q: "FROM event_day_counts" in q),
        ("period_counts", lambda q: "FROM event_period_counts" in q),
        ("searched_top_tried", lambda q: "LIMIT $14) tried" in q),
        ("searched_top", lambda q: "WITH matches AS MATERIALIZED" in q),
        ("top", lambda q: "ORDER BY prominence DESC, starts_on LIMIT $11" in q),
        ("relations", lambda q: "FROM event_relations" in q and "to_event_id = ANY($1)" in q),
        ("steps", lambda q: "FROM event_steps WHERE event_id = ANY($1)" in q),
        ("in_force", lambda q: "in_force_from <= $9" in q and "ORDER BY e.in_force_from" in q),
        ("in_force_total", lambda q: "in_force_from <= $9" in q and "count(*)" in q),
        ("actors_of_events", lambda q: "FROM event_actors ea JOIN actors a" in q
                                       and "event_id = ANY($1)" in q),
        ("actor_profile", lambda q: "a.wikidata_qid" in q and "WHERE a.id = $1" in q),
        ("target_standing", lambda q: "LEFT JOIN LATERAL" in q and "ea.role = 'target'" in q),
        ("recorded_saved_since", lambda q: 'AS "matches!"' in q),
        ("recorded_page", lambda q: "NOT (e.id = ANY($10))" in q and "LIMIT $13" in q),
        ("recorded_total", lambda q: "NOT (e.id = ANY($10))" in q and "count(*)" in q),
        ("step_by_date", lambda q: "FROM event_steps s JOIN events e" in q
                                   and "ORDER BY s.starts_on, e.id, s.step" in q),
        ("step_top", lambda q: "JOIN event_steps s ON s.event_id = e.id" in q
                               and "ORDER BY e.prominence DESC" in q),
        ("step_top_picked", lambda q: "WITH in_window AS MATERIALIZED" in q),
        ("step_by_date_tried", lambda q: "ORDER BY starts_on, event_id, step LIMIT $12" in q),
        ("step_window_count", lambda q: "SELECT 1 FROM event_steps WHERE" in q),
        ("step_by_date_found", lambda q: "WITH found AS" in q and "event_id, step LIMIT $11" in q),
        ("step_top_tried", lambda q: "ORDER BY tried.prominence DESC" in q),
        ("step_top_found", lambda q: "WITH found AS" in q and "event_start, id, step" in q),
        ("step_buckets", lambda q: "NOT EXISTS (SELECT 1 FROM events u" in q),
        ("step_buckets_filtered", lambda q: "FROM event_steps s JOIN events e" in q
                                            and "GROUP BY 1, 2, 3" in q
                                            and "event_word_step_months" not in q),
        ("word_step_counts", lambda q: "FROM event_word_step_months" in q),
        ("step_month_counts", lambda q: "FROM event_step_month_counts" in q
                                        and "n <> 0" in q),
        ("step_months", lambda q: "FROM event_step_month_counts" in q and "sum(n)" in q),
        ("step_unpublished", lambda q: "FROM events u JOIN event_steps s" in q),
        ("atom", lambda q: "ORDER BY e.updated_at DESC" in q),
    ])


class Raw(str):
    """A parameter given as SQL (an array literal)."""
    raw_sql = True


def bind(sql, params):
    return re.sub(r"\$(\d+)", lambda m: checked_sql.literal(params[int(m.group(1)) - 1]), sql)


def percentile(xs, p):
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def http_latencies(url, count, fresh=True, as_json=True):
    """Milliseconds per request. `fresh`: each asks with a word of its own in the query (the
    server ignores it), so none is answered from the page cache and each runs its SQL;
    otherwise the same URL again and again, as the cache serves it."""
    out = []
    body = None
    for i in range(count + 10):
        asked = url + ("%s_fresh=%s-%d" % ("&" if "?" in url else "?", RUN, i) if fresh else "")
        t = time.perf_counter()
        with urllib.request.urlopen(asked) as r:
            body = r.read()
        if i >= 10:  # warm-up
            out.append((time.perf_counter() - t) * 1000)
    return out, json.loads(body) if as_json else body


def pgbench_latencies(script, count):
    parsed = urllib.parse.urlparse(db_url)
    with tempfile.TemporaryDirectory() as tmp:
        f = os.path.join(tmp, "script.sql")
        open(f, "w").write(script)
        prefix = os.path.join(tmp, "log")
        subprocess.run(
            ["pgbench", "-n", "-M", "simple", "-c", "1", "-t", str(count + 10), "-f", f,
             "-l", "--log-prefix", prefix,
             "-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432),
             "-U", parsed.username or "postgres", parsed.path.lstrip("/")],
            # The server's sessions run without JIT (server/src/database.rs); so do these.
            check=True, capture_output=True, env=dict(os.environ, PGOPTIONS="-c jit=off"))
        lat = []
        for log in glob.glob(prefix + "*"):
            for line in open(log):
                lat.append(int(line.split()[2]) / 1000)
        return lat[10:]


def compare(name, mode, items, url, http, statements):
    """Prints one result: the requests' latencies through the server against the same
    statements run by pgbench, and the same URL again as the page cache serves it."""
    script = "\n".join(checked_sql.one_line(s) + ";" for s in statements) + "\n"
    sql = pgbench_latencies(script, n)
    result = {
        "events": label, "window": name, "mode": mode, "items": items,
        "http_p50": statistics.median(http), "http_p99": percentile(http, 99),
        "sql_p50": statistics.median(sql), "sql_p99": percentile(sql, 99),
    }
    result["ratio_p50"] = result["http_p50"] / result["sql_p50"]
    result["ratio_p99"] = result["http_p99"] / result["sql_p99"]
    cached, _ = http_latencies(url, n, fresh=False, as_json=False)
    result["cached_p50"], result["cached_p99"] = statistics.median(cached), percentile(cached, 99)
    print(json.dumps(result), flush=True)


def day(s):
    return datetime.date.fromisoformat(s)


def for_span(days):
    """BucketUnit::for_span: the finest unit that cuts `days` into about 130 buckets."""
    for unit, approx_days in [("day", 1), ("week", 7), ("month", 30), ("quarter", 91)]:
        if days // approx_days <= 130:
            return unit
    return "year"


def month_of(d):
    return d.replace(day=1)


def next_month(d):
    d = month_of(d)
    return (d.replace(year=d.year + 1, month=1) if d.month == 12 else d.replace(month=d.month + 1))


def psql_rows(sql):
    parsed = urllib.parse.urlparse(db_url)
    out = subprocess.run(
        ["psql", "-tA", "-F", "\t", "-h", parsed.hostname or "127.0.0.1",
         "-p", str(parsed.port or 5432), "-U", parsed.username or "postgres",
         parsed.path.lstrip("/"), "-c", sql],
        check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def rollup_family(lanes, filt):
    """The rollup family and single lane app::db::timeline::Rollup::for_query picks, or
    None when the window's buckets are scanned."""
    if not filt:
        return lanes, None
    if set(filt) == {"kind"}:
        if lanes in ("none", "kind"):
            return "kind", filt["kind"]
        return f"{lanes}/{filt['kind']}", None
    if set(filt) == {"actor"} and lanes == "none":
        return "actor", filt["actor"].lower()
    return None


def rollup_statements(start, end, family, one, window):
    """The statements app::db::timeline::counted_buckets runs for a window counted from a
    rollup family, with the same decisions (whole months from the month rollup, part
    months day by day)."""
    s, e = day(start), day(end)
    first, last = month_of(s), month_of(e)
    out = []
    lanes = family
    named = sorted({b["lane"] for b in window["buckets"]["buckets"]} - {"(other)", ""})
    if one is not None:
        out.append(bind(qs["lower"], [one]))
        named = [one]
    elif family != "none":
        candidates = bind(qs["lane_candidates"], [lanes, str(first), str(last), 49])
        out.append(candidates)
        rows = psql_rows(" ".join(candidates.split()))
        if len(rows) > 48:
            ranked = sorted((-int(r[2]), r[0]) for r in rows[:48])
            if not (len(ranked) >= 12 and -ranked[11][0] > int(rows[48][1])):
                out.append(bind(qs["lane_ranking"], [lanes, str(first), str(last), 12]))
    unit = window["buckets"]["unit"]
    by_day = [(s, e)]
    wanted = Raw("ARRAY[%s]::text[]" % ",".join(
        "'" + n.replace("'", "''") + "'" for n in named + ([] if one is not None else [""])))
    if unit in ("month", "quarter", "year"):
        full_from, full_until = whole_months(start, end)
        if full_from < full_until:
            out.append(bind(qs["month_counts"], [lanes, str(full_from), str(full_until), wanted]))
            by_day = [(s, full_from - datetime.timedelta(days=1)), (full_until, e)]
    for a, b in by_day:
        if a <= b:
            out.append(bind(qs["day_counts"], [lanes, str(a), str(b), wanted]))
    longer = longer_periods(unit)
    if longer:
        out.append(bind(qs["period_counts"], [
            lanes, wanted, Raw("ARRAY[%s]::text[]" % ",".join(f"'{p}'" for p in longer)),
            start, end]))
    return out


def whole_months(start, end):
    """app::db::timeline::whole_months: the whole months inside a window, [from, until)."""
    return whole_buckets(start, end, month_of, next_month)


def whole_weeks(start, end):
    """The whole weeks (Monday to Sunday) inside a window, [from, until)."""
    monday = lambda d: d - datetime.timedelta(days=d.weekday())
    return whole_buckets(start, end, monday, lambda d: monday(d) + datetime.timedelta(days=7))


def whole_buckets(start, end, bucket_of, next_bucket):
    """app::db::timeline::whole_buckets: the whole buckets inside a window, [from, until)."""
    s, e = day(start), day(end)
    first, last = bucket_of(s), bucket_of(e)
    full_from = first if s == first else next_bucket(first)
    full_until = next_bucket(last) if e + datetime.timedelta(days=1) == next_bucket(last) else last
    return full_from, max(full_until, full_from)


def longer_periods(unit):
    """The date precisions whose periods are longer than a bucket of this unit
    (app::domain::timeline::BucketUnit::longer_precisions)."""
    return {"day": ["month", "year"], "week": ["month", "year"], "month": ["year"],
            "quarter": ["year"]}.get(unit, [])


def leftover_lane(lanes, filt):
    """app::domain::timeline::TimelineQuery::leftover_lane: the lane for what no ranked
    lane holds."""
    if lanes == "none":
        return ""
    return filt["kind"] if lanes == "kind" and "kind" in filt else "(other)"


def periods_before(start, unit):
    """app::db::timeline::periods_before: the first days of the window's month and year
    when those periods began before it and are longer than a bucket."""
    s = day(start)
    month, year = s.replace(day=1), s.replace(month=1, day=1)
    longer = longer_periods(unit)
    return [str(month) if "month" in longer and month < s else None,
            str(year) if "year" in longer and year < s else None]


busiest_target = psql_rows("SELECT lane FROM event_lane_totals WHERE lanes = 'target'"
                           " AND lane <> '' ORDER BY n DESC LIMIT 1")[0][0]
# Filtered windows: the filter's eight fields, in the order event_matches takes them.
FILTERED = [
    ("whole record, eased", "1999-01-01", "2026-12-31", "authority",
     {"kind": "eased"}),
    ("whole record, one actor", "1999-01-01", "2026-12-31", "none",
     {"actor": busiest_target.upper()}),
    ("1 year, text search", "2023-01-01", "2023-12-31", "none",
     {"q": "retaliates"}),
    # What a reader's search shows first: the whole record the word is found in.
    ("whole record, text search", "1999-01-01", "2026-12-31", "none",
     {"q": "huawei"}),
    ("whole record by kind, text search", "1999-01-01", "2026-12-31", "kind",
     {"q": "huawei"}),
    # A word of two forms ('sanctions' | 'sanction'), in seven events of ten.
    ("whole record, a word most events hold", "1999-01-01", "2026-12-31", "none",
     {"q": "sanctions"}),
    # The same in buckets of weeks (8,700 matches).
    ("2 years, a word most events hold", "2021-01-01", "2022-12-31", "none",
     {"q": "sanctions"}),
    # One kind searched: its walk goes down that kind's most prominent events.
    ("whole record of one kind, text search", "1999-01-01", "2026-12-31", "none",
     {"q": "huawei", "kind": "imposed"}),
    # Quiet: no match inside, so the walk back over the ranges running at its start is
    # all there is to ask, and with no match there either it reads every range begun
    # before 2020 that still runs then.
    ("from 2020, a word none of one kind holds", "2020-01-01", "2026-12-31", "none",
     {"q": "retaliates", "kind": "imposed"}),
]
qs = queries()
for name, start, end, lanes, filt in [(*w, {}) for w in WINDOWS] + FILTERED:
    extra = "".join(f"&{k}={urllib.parse.quote(v)}" for k, v in filt.items())
    url = f"{base}/api/timeline?start={start}&end={end}&lanes={lanes}{extra}"
    http, window = http_latencies(url, n)
    ids = [i["id"] for i in window["items"]]
    bucketed = window["buckets"] is not None
    f = [filt.get(k) for k in FILTER_FIELDS]
    # The record as it is now: no day's end, no events saved since (`as_recorded`).
    now = [None, []]
    rollup = rollup_family(lanes, filt)
    # db::timeline::searched: under a text search the buckets are counted first, then a
    # busy window's most prominent matches or a quiet one's events.
    counted_first = "q" in filt
    starting = bind(qs["starting"], [*f, start, end, 301, *now])
    running = bind(qs["running"], [*f, start, 100, *now])
    if counted_first:
        statements = []
    elif rollup is not None:
        # db::timeline::window: the rollups say whether the window is busy (its events,
        # of the filter's kind or actor); quiet, its events starting inside it and the
        # ranges running at its start.
        family, lane = (("kind", filt["kind"]) if "kind" in filt
                        else ("actor", filt["actor"]) if "actor" in filt else ("none", ""))
        statements = [bind(qs["rolled_up_inside"],
                           [family, lane, *map(str, whole_months(start, end)), start, end])]
        if not bucketed:
            statements += [starting, running]
    else:
        # Under a filter no rollup counts, the ranges running at the window's start are
        # read only when it is not busy.
        statements = [starting] + ([] if bucketed else [running])
    if counted_first or (bucketed and rollup is None):
        unit = for_span((day(end) - day(start)).days + 1)
        # Of the filter's kind, when it has one: the events the walk below goes down.
        months = bind(qs["window_events"], [str(month_of(day(start))),
                                            str(month_of(day(end))), filt.get("kind")])
        scanned = bind(qs["scanned_buckets"], [
            *f, unit in ("month", "quarter", "year"), lanes, start, end, 12,
            leftover_lane(lanes, filt), *periods_before(start, unit), *now])
        if counted_first:
            # db::timeline::counted_matches without lanes or by kind, scanned in other
            # lanes; beside it window_events. Their last two columns: the events
            # starting inside the window, and the highest prominence among them.
            counted = scanned if lanes not in ("none", "kind") else bind(
                qs["counted_matches"], [*f, unit in ("month", "quarter", "year"), start,
                                        end, *periods_before(start, unit), lanes == "kind"])
            # db::timeline::words::counted: one word, no filter but a kind, buckets of a
            # month or more: from the word rollups (of its most frequent form; the
            # matches without that form one by one), the part months at its edges from
            # the matches.
            if (lanes in ("none", "kind") and set(filt) <= {"q", "kind"}
                    and unit in ("week", "month", "quarter", "year")):
                asked = bind(qs["search_word"], [filt["q"]])
                statements.append(asked)
                word = psql_rows(asked)
                if word and word[0] and word[0][0] != "":
                    e = day(end)
                    first, after_last = (whole_weeks if unit == "week" else whole_months)(
                        start, end)
                    head_end = min(e, first - datetime.timedelta(days=1))
                    tail_start = max(after_last, head_end + datetime.timedelta(days=1))
                    counted = bind(qs["word_counts"], [
                        word[0][0], filt.get("kind"), lanes == "kind", str(first),
                        str(after_last), *periods_before(start, unit), filt["q"], start,
                        str(head_end), str(tail_start), end, word[0][1] or None,
                        unit == "week", unit])
            statements += [counted, months]
            rows = psql_rows(counted)
            inside = sum(int(r[-2]) for r in rows)
            most = max((int(r[-1]) for r in rows if r[-1] != ""), default=None)
            events = max(int(psql_rows(months)[0][0]), inside)
        else:
            statements.append(scanned)
    elif bucketed:
        statements += rollup_statements(start, end, *rollup, window)
    if bucketed:
        if "q" in filt:
            def by_share(matching, of, most):
                """db::timeline::prominent_matches_by_share: down the most prominent
                events no more prominent than the most prominent match, twice as far as
                the share says 40 lie (at least 200, at most 2,000) when that reads
                less than all the window's matches would (a walked event costing 4.4
                matches read); else, or when it comes back short, all the matches."""
                if matching > 0:
                    further = max((2 * 40 * of + matching - 1) // matching, 200)
                    if further <= 2000 and 40 / (matching / of) * 4.4 < matching:
                        tried = bind(qs["searched_top_tried"],
                                     [*f, start, end, 40, *now, further, most])
                        statements.append(tried)
                        if len(psql_rows(tried)) >= 40:
                            return
                statements.append(bind(qs["searched_top"], [*f, start, end, 40, *now]))

            # The share of the window's events inside it that match.
            by_share(inside, events, most)
        else:
            statements.append(bind(qs["top"], [*f, start, end, 40, *now]))
    if counted_first and not bucketed:
        # db::timeline::searched: no match inside the window, no walk by date for them.
        if inside > 0:
            statements.append(bind(qs["starting"], [*f, start, end, 301, *now]))
        statements.append(bind(qs["running"], [*f, start, 100, *now]))
    statements.append(bind(qs["steps"], [ids]))
    statements.append(bind(qs["relations"], [ids]))
    compare(name, "buckets" if bucketed else "events", len(ids), url, http, statements)

# Lanes by lifecycle step (db::timeline::steps): the steps of a window read by date, or
# when busy their counts per step and the most prominent events' steps (picked from the
# window's own steps where its months hold at most 2,500, from the steps' monthly rollup;
# otherwise the events walked by prominence). Counted in
# buckets of a month or more (the whole record), the counts are the steps' monthly rollup,
# less the unpublished events' steps, and the steps of the year before that may overlap
# the window; in finer buckets (one year: weeks), or under a filter, the window's steps
# one by one. Under a text search the first 4,000 steps by date (STEPS_TRIED) and the
# 2,000 most prominent events (EVENTS_TRIED) are tried first, and when they hold too few
# matches, all the window's matching steps are gathered, or, where the share of the
# tried steps that match says the window is busy (against the steps of its months, from
# their rollup), counted first beside its most prominent steps gathered (then, busy,
# those are its buckets and its items). A search of one word in buckets of a month or
# more is counted first from the word rollup (words::counted_steps): busy, its most
# prominent steps are tried among the events with steps; quiet, gathered by date. The
# same decisions here.
for name, start, end, word in [
    ("2 months by lifecycle step", "2024-03-01", "2024-04-30", None),
    ("1 year by lifecycle step", "2023-01-01", "2023-12-31", None),
    ("whole record by lifecycle step", "1999-01-01", "2026-12-31", None),
    ("1 year by lifecycle step, text search", "2023-01-01", "2023-12-31", "huawei"),
    ("whole record by lifecycle step, text search", "1999-01-01", "2026-12-31", "huawei"),
    ("whole record by lifecycle step, text search, a rarer word", "1999-01-01", "2026-12-31",
     "zte"),
]:
    url = f"{base}/api/timeline?start={start}&end={end}&lanes=lifecycle"
    if word:
        url += f"&q={word}"
    http, window = http_latencies(url, n)
    f8 = [word] + [None] * 7
    day = datetime.date.fromisoformat
    after = (day(end) + datetime.timedelta(days=1)).isoformat()
    year_before = (day(start) - datetime.timedelta(days=366)).isoformat()
    counted_first = False
    word_counted = False
    statements = []
    unit = for_span((day(end) - day(start)).days + 1)
    if word and unit in ("month", "quarter", "year"):
        asked = bind(qs["search_word"], [word])
        statements.append(asked)
        rolled = psql_rows(asked)
        if rolled and rolled[0] and rolled[0][0] != "":
            s, e = day(start), day(end)
            first, last = month_of(s), month_of(e)
            full_from = first if s == first else next_month(first)
            full_until = (next_month(last) if e + datetime.timedelta(days=1) == next_month(last)
                          else last)
            counted = bind(qs["word_step_counts"], [
                rolled[0][0], str(full_from), str(max(full_until, full_from)), start, end,
                year_before, word, rolled[0][1] or None])
            statements.append(counted)
            word_counted = True
            if sum(int(r[3]) for r in psql_rows(counted)) < 301:
                statements.append(bind(qs["step_by_date_found"], [*f8, start, end, 301]))
    if word and not word_counted:
        tried = bind(qs["step_by_date_tried"], [*f8, start, end, 301, 4000])
        statements.append(tried)
        found = len(psql_rows(tried))
        if found < 301:
            count = bind(qs["step_window_count"], [start, end, 4001])
            statements.append(count)
            if int(psql_rows(count)[0][0]) > 4000:
                months = bind(qs["step_months"], [month_of(day(start)).isoformat(), end])
                statements.append(months)
                if found * int(psql_rows(months)[0][0]) > 300 * 4000:
                    counted = bind(qs["step_buckets_filtered"],
                                   [*f8, start, end, year_before, after])
                    statements.append(counted)
                    counted_first = sum(int(r[3]) for r in psql_rows(counted)) > 300
                if not counted_first:
                    statements.append(bind(qs["step_by_date_found"], [*f8, start, end, 301]))
    elif not word:
        statements.append(bind(qs["step_by_date"], [*f8, start, end, 301]))
    bucketed = window["buckets"] is not None
    if bucketed:
        if counted_first:  # gathered beside the count, not tried first
            statements.append(bind(qs["step_top_found"], [*f8, start, end, 40]))
        elif word:
            tried = bind(qs["step_top_tried"], [*f8, start, end, 40, 2000])
            statements.append(tried)
            if len(psql_rows(tried)) < 40:
                statements.append(bind(qs["step_top_found"], [*f8, start, end, 40]))
        else:
            months = bind(qs["step_months"], [month_of(day(start)).isoformat(), end])
            statements.append(months)
            if int(psql_rows(months)[0][0]) <= 2500:  # STEPS_PICKED_FROM
                statements.append(bind(qs["step_top_picked"],
                                       [*f8, start, end, year_before, 40]))
            else:
                statements.append(bind(qs["step_top"], [*f8, start, end, 40]))
        if word:
            if not counted_first and not word_counted:
                statements.append(bind(qs["step_buckets_filtered"],
                                       [*f8, start, end, year_before, after]))
        elif unit in ("month", "quarter", "year"):  # whole months from the rollup
            statements.append(bind(qs["step_month_counts"], [start, after]))
            statements.append(bind(qs["step_unpublished"], [start, after]))
            statements.append(bind(qs["step_buckets"], [start, end, year_before, start]))
        else:
            statements.append(bind(qs["step_buckets"], [start, end, year_before, after]))
    compare(name, "step buckets" if bucketed else "steps", len(window["items"]), url, http,
            statements)

# The Atom feed of the latest changes (db::feeds::latest_changed), unfiltered and for the
# busiest target.
for name, filt in [("atom feed", {}), ("atom feed, busiest target", {"target": busiest_target})]:
    extra = "&".join(f"{k}={urllib.parse.quote(v)}" for k, v in filt.items())
    url = f"{base}/feeds/events.atom?{extra}"
    http, _ = http_latencies(url, n, as_json=False)
    f = [filt.get(k) for k in FILTER_FIELDS]
    compare(name, "feed", 50, url, http, [bind(qs["atom"], [*f, 50])])

# The unfiltered facets: what `/` waits for before its first byte.
facets_url = f"{base}/api/timeline/facets"
http, facets = http_latencies(facets_url, n)
compare("facets, unfiltered", "rollup", facets["total"], facets_url, http,
        [bind(qs["rolled_up_facets"], [30])])

# What was in force on a day (/api/events?in_force=): the measures, their total and their
# actors, against the same three statements on Postgres.
for name, asked, filt in [
    ("in force on 2010-06-30", "2010-06-30", {}),
    ("in force on 2024-06-30", "2024-06-30", {}),
    ("in force on 2024-06-30, one target", "2024-06-30", {"target": busiest_target}),
]:
    extra = "".join(f"&{k}={urllib.parse.quote(v)}" for k, v in filt.items())
    url = f"{base}/api/events?in_force={asked}{extra}"
    http, answer = http_latencies(url, n)
    ids = [m["event"]["id"] for m in answer["measures"]]
    f = [filt.get(k) for k in FILTER_FIELDS[:5]] + [None, None, None]
    statements = [
        bind(qs["in_force"], [*f, asked, 200]),
        bind(qs["in_force_total"], [*f, asked, 1001]),
        bind(qs["actors_of_events"], [ids]),
    ]
    compare(name, "in force", answer["total"], url, http, statements)

# A target's page (/api/load_actor: who it is, and its standing with each authority over
# time, folded from every measure against it), for the busiest target, against the same
# two statements on Postgres.
actor_id = int(psql_rows("SELECT id FROM actors WHERE name = %s"
                         % checked_sql.literal(busiest_target))[0][0])
url = f"{base}/api/load_actor?id={actor_id}"
http, answer = http_latencies(url, n)
compare("actor page, busiest target", "standing", answer["status"]["measures"], url, http, [
    bind(qs["actor_profile"], [actor_id]),
    bind(qs["target_standing"], [actor_id, 20001]),
])

# The record as recorded at the end of a day (/api/load_as_recorded): today's, so every
# generated event is in it (none has a revision: the events saved since are none), against
# its four statements on Postgres: the events saved since, the page of the others, their
# total (counted up to 1,001) and their actors.
today = datetime.datetime.now(datetime.timezone.utc).date()
cut = (today + datetime.timedelta(days=1)).isoformat() + " 00:00:00+00"
url = f"{base}/api/load_as_recorded?day={today.isoformat()}"
http, answer = http_latencies(url, n)
ids = [e["event"]["id"] for e in answer["events"]]
none8 = [None] * 8
compare("as recorded today", "as recorded", answer["total"], url, http, [
    bind(qs["recorded_saved_since"], [cut, None, None, None, None, None]),
    bind(qs["recorded_page"], [*none8, cut, [], None, None, 101]),
    bind(qs["recorded_total"], [*none8, cut, [], 1001]),
    bind(qs["actors_of_events"], [ids]),
])
