"""Reads a running server's downloads and feeds back with each format's own library from
PyPI and fails loudly on anything it would drop, refuse or misread:

- /exports/events.ftm.json with `followthemoney`: every entity of a known schema, with
  its required properties, every value kept when the model cleans it, every reference to
  an entity of the same export;
- /feeds/events.atom with `feedparser`: well-formed Atom, entries linking permalinks;
- /feeds/events.ics with `icalendar`: a calendar whose events have a UID, a start and a
  summary.

Each for the whole record and for one filter (target=Huawei), which must narrow it.
Usage: check_formats.py BASE_URL
"""

import json
import sys
import urllib.request

import feedparser
import icalendar
from followthemoney import model


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as answer:
        if answer.status != 200:
            raise SystemExit(f"{url}: HTTP {answer.status}")
        return answer.read()


def check_ftm(base: str, query: str) -> list[dict]:
    url = f"{base}/exports/events.ftm.json{query}"
    lines = fetch(url).decode("utf-8").splitlines()
    entities = [json.loads(line) for line in lines if line.strip()]
    problems = []
    ids = set()
    for data in entities:
        schema = model.get(data.get("schema", ""))
        if schema is None:
            problems.append(f"{data.get('id')}: unknown schema {data.get('schema')!r}")
            continue
        if data["id"] in ids:
            problems.append(f"{data['id']}: written twice")
        ids.add(data["id"])
        missing = [p for p in schema.required if not data["properties"].get(p)]
        if missing:
            problems.append(f"{data['id']}: {schema.name} without {missing}")
        cleaned = model.get_proxy(data, cleaned=False).to_dict()["properties"]
        for prop, values in data["properties"].items():
            if prop not in schema.properties:
                problems.append(f"{data['id']}: {schema.name} has no property {prop!r}")
            elif sorted(cleaned.get(prop, [])) != sorted(values):
                problems.append(
                    f"{data['id']}: {prop} {values!r} reads back as {cleaned.get(prop)!r}"
                )
    for data in entities:
        schema = model.get(data["schema"])
        for prop, values in data["properties"].items():
            if schema and prop in schema.properties and schema.properties[prop].type.name == "entity":
                problems += [f"{data['id']}: {prop} names {v}, not in the export" for v in values if v not in ids]
    if problems:
        raise SystemExit(f"{url}: {len(problems)} problems\n" + "\n".join(problems[:40]))
    sanctions = [e for e in entities if e["schema"] == "Sanction"]
    if not sanctions:
        raise SystemExit(f"{url}: no Sanction entities")
    print(f"{url}: {len(entities)} entities ({len(sanctions)} sanctions), all valid FollowTheMoney")
    return entities


def check_atom(base: str, query: str) -> int:
    url = f"{base}/feeds/events.atom{query}"
    feed = feedparser.parse(fetch(url))
    if feed.bozo:
        raise SystemExit(f"{url}: not well-formed: {feed.bozo_exception}")
    if feed.version != "atom10":
        raise SystemExit(f"{url}: read as {feed.version!r}, not Atom 1.0")
    if not feed.entries:
        raise SystemExit(f"{url}: no entries")
    for entry in feed.entries:
        if not entry.link.startswith(f"{base}/events/"):
            raise SystemExit(f"{url}: entry {entry.id} links {entry.link}, not a permalink")
        if not entry.get("updated"):
            raise SystemExit(f"{url}: entry {entry.id} has no updated date")
    print(f"{url}: {len(feed.entries)} entries, valid Atom 1.0")
    return len(feed.entries)


def check_ics(base: str, query: str) -> int:
    url = f"{base}/feeds/events.ics{query}&from=2019-01-01" if query else f"{base}/feeds/events.ics?from=2019-01-01"
    calendar = icalendar.Calendar.from_ical(fetch(url))
    events = calendar.walk("VEVENT")
    if not events:
        raise SystemExit(f"{url}: no events")
    for event in events:
        for field in ("UID", "DTSTART", "SUMMARY", "DTSTAMP"):
            if field not in event:
                raise SystemExit(f"{url}: an event without {field}: {event.to_ical()!r}")
    print(f"{url}: {len(events)} calendar events, valid iCalendar")
    return len(events)


def main() -> None:
    base = sys.argv[1].rstrip("/")
    everything = check_ftm(base, "")
    huawei = check_ftm(base, "?target=Huawei")
    names = {e["properties"]["name"][0] for e in huawei if e["schema"] == "LegalEntity"}
    if "Huawei" not in names or len(huawei) >= len(everything):
        raise SystemExit(f"target=Huawei exported the entities of {sorted(names)}")
    check_atom(base, "")
    check_atom(base, "?target=Huawei")
    all_dates = check_ics(base, "")
    huawei_dates = check_ics(base, "?target=Huawei")
    if huawei_dates > all_dates:
        raise SystemExit("target=Huawei has more calendar events than the whole record")


if __name__ == "__main__":
    main()
