"""Exports of the whole record through the server (streamed pages: CSV, NDJSON and
FollowTheMoney) against the database producing the same rows in one statement (the export's
own checked SQL, unpaged, copied out by psql), with the server's memory while it writes. Usage:
    exports.py BASE_URL DATABASE_URL SERVER_PID [RUNS]
Prints one JSON object per format."""

import checked_sql
import json
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

base, db_url, pid = sys.argv[1:4]
runs = int(sys.argv[4]) if len(sys.argv) > 4 else 3


def rss_mb():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def download(url):
    """Seconds, bytes, lines and the server's peak RSS while it wrote them."""
    peak = [rss_mb()]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss_mb())
            time.sleep(0.02)

    watcher = threading.Thread(target=sample)
    watcher.start()
    t0 = time.perf_counter()
    size = lines = 0
    with urllib.request.urlopen(url, timeout=600) as r:
        while chunk := r.read(1 << 16):
            size += len(chunk)
            lines += chunk.count(b"\n")
    seconds = time.perf_counter() - t0
    done.set()
    watcher.join()
    return seconds, size, lines, peak[0]


qs = checked_sql.statements([
    ("page", lambda q: 'AS "citations!: Json<Vec<ExportedCitation>>"' in q),
])
# Every event in one statement: no cursor, no limit.
unpaged = re.sub(r"\$(\d+)", lambda m: {"11": "2000000000"}.get(m.group(1), "NULL"), qs["page"])
copies = ["COPY (" + " ".join(re.sub(r"--[^\n]*", "", sql).split()) + ") TO STDOUT"
          for sql in (unpaged,)]


def sql_seconds():
    t0 = time.perf_counter()
    for copy in copies:
        subprocess.run(["psql", "-q", db_url, "-c", copy], check=True,
                       stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


sql = [sql_seconds() for _ in range(runs)]
# FtM writes entities (a Sanction per measure and target, each target once), not events.
for fmt in ("ndjson", "csv", "ftm.json"):
    before = rss_mb()
    got = [download(f"{base}/exports/events.{fmt}") for _ in range(runs)]
    secs = [g[0] for g in got]
    result = {
        "export": fmt,
        "entities" if fmt == "ftm.json" else "events": got[0][2] - (1 if fmt == "csv" else 0),
        "bytes": got[0][1],
        "http_s_median": statistics.median(secs),
        "sql_s_median": statistics.median(sql),
        "ratio": statistics.median(secs) / statistics.median(sql),
        "rss_before_mb": round(before, 1),
        "rss_peak_mb": round(max(g[3] for g in got), 1),
    }
    print(json.dumps(result), flush=True)
