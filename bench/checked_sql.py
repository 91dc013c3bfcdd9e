"""The SQL the server runs, as the committed .sqlx query data holds it: the benchmarks run
the very statements the code checks, not copies of them."""

import glob
import json
import os
import re

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


def one_line(sql):
    """A statement on one line, as pgbench reads a script: its own line comments go
    first (joined, a comment would run to the end of the statement)."""
    return " ".join(re.sub(r"--[^\n]*", "", sql).split())


def literal(v):
    """A Python value as an SQL literal, for statements run with their values inlined: a
    list as a bigint[], a str subclass marked raw as the SQL it is."""
    if getattr(v, "raw_sql", False):
        return v
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "ARRAY[%s]::bigint[]" % ",".join(map(str, v)) if v else "'{}'::bigint[]"
    return "'" + str(v).replace("'", "''") + "'"
