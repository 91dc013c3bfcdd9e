"""The readers' budget (issue 11), against a running release server. Usage:
    readers.py BASE_URL LABEL [lighthouse]
Prints one JSON object per measurement:
  - weight: what the browser fetches before a page is usable (the HTML, its stylesheet, the
    application's JS and wasm where the page loads them, the icon), in gzip and in brotli
    as the server sends them; budget `/` 250 KB, a permalink and a source 100 KB (gzip);
  - load: `wrk` at 16 connections for 10 s on a permalink, a source and `/`, against
    `/healthz` through the same server as the baseline (the cheapest answer it gives);
    budget 5,000 requests/s and p99 under 20 ms for a permalink;
  - first_byte: time to the first byte of `/` and of the facets, served again (from the
    page cache) and rendered anew (a query the cache has not seen); budget 50 ms;
  - lighthouse: the four Lighthouse scores (mobile, default throttling) of the three
    pages, with Debian's Chromium; budget 100 each. Fails loudly if Lighthouse cannot run.
"""

import gzip
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

base, label = sys.argv[1], sys.argv[2]
with_lighthouse = len(sys.argv) > 3 and sys.argv[3] == "lighthouse"
BENCH = os.path.dirname(os.path.abspath(__file__))


def fetch(path, encoding=None):
    req = urllib.request.Request(base + path)
    if encoding:
        req.add_header("Accept-Encoding", encoding)
    with urllib.request.urlopen(req, timeout=30) as res:
        return res.read(), res.headers


def pages():
    """`/`, the first event's permalink, and the source it cites first."""
    events = json.loads(fetch("/api/events?limit=1")[0])["events"]
    if not events:
        sys.exit("no published event to measure")
    event_path = urllib.parse.urlparse(events[0]["permalink"]).path if "permalink" in events[0] \
        else "/events/%d" % events[0]["id"]
    html = fetch(event_path)[0].decode()
    # The redirect to the canonical address was followed; find the source link.
    canonical = re.search(r'<link href="[^"]*?(/events/[^"]+)" rel="canonical"', html)
    if canonical:
        event_path = canonical.group(1)
    source = re.search(r'href="(/sources/\d+)#c\d+"', html)
    if not source:
        sys.exit("the permalink %s cites no source" % event_path)
    return [("/", "/", 250_000), ("permalink", event_path, 100_000),
            ("source", source.group(1), 100_000)]


def assets(html):
    """Everything the page makes the browser fetch before it is usable, in order."""
    found = []
    for tag in re.findall(r"<(?:link|script)\b[^>]*>", html):
        rel = re.search(r'\brel="([^"]+)"', tag)
        href = re.search(r'\b(?:href|src)="([^"]+)"', tag)
        if not href or href.group(1).startswith("http"):
            continue
        rel = rel.group(1) if rel else "script"
        if rel in ("stylesheet", "modulepreload", "preload", "icon", "script"):
            found.append(href.group(1))
    # The page's loading script imports the application's JS, which fetches the wasm.
    found += re.findall(r"""['"](/pkg/[^'"]+\.(?:js|wasm))['"]""", html)
    return list(dict.fromkeys(found))


def weight(name, path, budget):
    html, _ = fetch(path)
    files = [path] + assets(html.decode())
    sizes = []
    for f in files:
        gz, headers = fetch(f, "gzip")
        if headers.get("Content-Encoding") != "gzip":
            gz = gzip.compress(gz, 6)
        br, headers = fetch(f, "br, gzip")
        sizes.append({"file": f, "gzip": len(gz), "br": len(br),
                      "br_sent": headers.get("Content-Encoding") == "br"})
    total = sum(s["gzip"] for s in sizes)
    return {"part": "weight", "label": label, "page": name, "path": path, "files": sizes,
            "gzip": total, "br": sum(s["br"] for s in sizes), "budget": budget,
            "ratio": total / budget}


def wrk(path, extra=()):
    out = subprocess.run(
        ["wrk", "-t2", "-c16", "-d10s", "--latency", *extra, base + path],
        capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, float(p99.group(1)) * scale, int(errors.group(1)) if errors else 0


def load(name, path, baseline):
    rows = []
    for encoding in ("identity", "gzip"):
        rps, p99, errors = wrk(path, ["-H", "Accept-Encoding: " + encoding])
        rows.append({"part": "load", "label": label, "page": name, "path": path,
                     "encoding": encoding, "rps": rps, "p99_ms": p99, "non_2xx": errors,
                     "baseline_rps": baseline[0], "baseline_p99_ms": baseline[1]})
    return rows


def first_byte(path, n=60):
    """Milliseconds to the first byte over a fresh connection, n times."""
    u = urllib.parse.urlparse(base)
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        s = socket.create_connection((u.hostname, u.port or 80))
        s.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nAccept-Encoding: gzip\r\n"
                   "Connection: close\r\n\r\n" % (path() if callable(path) else path,
                                                   u.netloc)).encode())
        s.recv(1)
        times.append((time.perf_counter() - t0) * 1000)
        while s.recv(65536):
            pass
        s.close()
    times.sort()
    return {"p50_ms": statistics.median(times), "p99_ms": times[int(len(times) * 0.99) - 1]}


def lighthouse(name, path):
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.json")
        run = subprocess.run(
            [os.path.join(BENCH, "node_modules", ".bin", "lighthouse"), base + path,
             "--quiet", "--output=json", "--output-path=" + report,
             "--only-categories=performance,accessibility,best-practices,seo",
             "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
            env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
            capture_output=True, text=True)
        if run.returncode != 0 or not os.path.exists(report):
            sys.exit("Lighthouse could not run on %s:\n%s" % (path, run.stderr[-3000:]))
        data = json.load(open(report))
    if data.get("runtimeError"):
        sys.exit("Lighthouse failed on %s: %s" % (path, data["runtimeError"]))
    scores = {k: round((v["score"] or 0) * 100) for k, v in data["categories"].items()}
    failing = sorted(
        (a["id"] for a in data["audits"].values()
         if a.get("score") is not None and a["score"] < 0.9
         and a.get("scoreDisplayMode") in ("binary", "numeric")),
    )
    metrics = {k: data["audits"][k]["numericValue"] for k in
               ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                "cumulative-layout-shift", "speed-index") if k in data["audits"]}
    return {"part": "lighthouse", "label": label, "page": name, "path": path,
            "scores": scores, "below_90": failing, "metrics": metrics}


measured = pages()
for name, path, budget in measured:
    print(json.dumps(weight(name, path, budget)), flush=True)

health = wrk("/healthz")
for name, path, _ in measured:
    for row in load(name, path, health):
        print(json.dumps(row), flush=True)

# `/` again (from the page cache) and anew (an unknown word in the query: another cache
# key, the same page to render); the facets are never cached.
fresh = iter(range(10**9))
run = os.urandom(4).hex()
print(json.dumps({"part": "first_byte", "label": label, "page": "/", "budget_ms": 50,
                  "again": first_byte("/"),
                  "anew": first_byte(lambda: "/?fresh=%s-%d" % (run, next(fresh)))}), flush=True)
print(json.dumps({"part": "first_byte", "label": label, "page": "facets", "budget_ms": 50,
                  "again": first_byte("/api/timeline/facets"), "anew": None}), flush=True)

if with_lighthouse:
    for name, path, _ in measured:
        print(json.dumps(lighthouse(name, path)), flush=True)
