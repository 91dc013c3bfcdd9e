"""The SQL the server runs, as the committed .sqlx query data holds it: the benchmarks run
the very statements the code checks, not copies of them."""

import glob
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def statements(rules):
    """{name: SQL} for each statement of .sqlx, named by the first (name, test) rule whose
    test accepts its text; statements no rule accepts are left out."""
    found = {}
    for path in sorted(glob.glob(os.path.join(ROOT, ".sqlx", "query-*.json"))):
        sql = json.load(open(path))["query"]
        for name, test in rules:
            if test(sql):
                found[name] = sql
                break
    return found
