"""How the list benchmarks time one list query against the SQL it runs (issue 18).

`planner_scale.py` (keywords) and `large_lists.py` (the other large lists) measure the same
way, with these helpers: `capture` the statements of one request in process, time them
alone (`bare_sql`), read their plans for full scans (`unindexed`), then time the request
against a live server (`served`). `server_environment` is the settings both start the
server and the in-process client with; `print_verdict` ends a run.
"""

from __future__ import annotations

import http.client
import statistics
import time
from urllib.parse import urlsplit

import planner_data
from apispeed import servers

# Each query's server time may be at most SERVER_FACTOR x its bare SQL + SERVER_PLUS_MS.
SERVER_FACTOR, SERVER_PLUS_MS = 2.0, 3.0


def server_environment(db: str) -> dict[str, str]:
    """The environment of a benchmark server on `db`: no throttling, tokens that outlive
    the run, and (SQLite) connections kept open as PostgreSQL's pool keeps them."""
    env = {
        **planner_data.environment(db),
        "THROTTLE_USER": servers.THROTTLE,
        "THROTTLE_ANON": servers.THROTTLE,
        "JWT_ACCESS_MINUTES": "600",
    }
    if db == "sqlite":
        env["DB_CONN_MAX_AGE"] = "600"
    return env


def capture(path: str, token: str) -> tuple[dict, list[tuple[str, tuple]]]:
    """The answer and the SQL statements (with parameters) of one request, in process."""
    from django.db import connection
    from rest_framework.test import APIClient

    statements = []

    def wrapper(execute, sql, params, many, context):
        statements.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    client = APIClient(HTTP_HOST="127.0.0.1")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.get(path)  # warm the caches a server would have warm
    with connection.execute_wrapper(wrapper):
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return response.json(), statements


def deep_cursor(path: str, token: str, pages: int) -> str:
    """The keyset cursor `path` gives `pages` pages on (or at its last page), followed
    page by page as a client would."""
    body, _ = capture(path + "&cursor=", token)
    for _ in range(pages - 1):
        if not body["next"]:
            break
        body, _ = capture(body["next"].split("127.0.0.1", 1)[1], token)
    return body["next"].split("cursor=")[1].split("&")[0]


def bare_sql(statements) -> float:
    """Median milliseconds of running `statements` alone on one connection (of 30)."""
    from django.db import connection

    times = []
    with connection.cursor() as cursor:
        for _ in range(30):
            started = time.perf_counter()
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def unindexed(statements, table: str) -> tuple[list[str], list[str]]:
    """Plans of statements that read `table` without an index, and apart from them the
    plans of bounded count scans: a sequential read under the count's `LIMIT 10001`,
    which stops after that many rows (PostgreSQL picks it when the account holds most of
    the table, as one seeded account does; among many tenants it takes the index)."""
    from django.db import connection

    bad, bounded = [], []
    with connection.cursor() as cursor:
        for sql, params in statements:
            if f'"{table}"' not in sql or sql.lstrip().upper().startswith("EXPLAIN"):
                continue
            if connection.vendor == "postgresql":
                cursor.execute("EXPLAIN " + sql, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                if f"Seq Scan on {table} " not in plan:
                    continue
                lines = plan.splitlines()
                if len(lines) > 2 and "Aggregate" in lines[0] and "Limit" in lines[1]:
                    bounded.append(plan)
                else:
                    bad.append(plan)
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
                if any(
                    line.startswith(f"SCAN {table}") and "INDEX" not in line
                    for line in plan.splitlines()
                ):
                    bad.append(plan)
    return bad, bounded


def served(base: str, path: str, token: str, repeat: int = 30) -> float:
    """Median milliseconds of `repeat` sequential requests on one keep-alive connection
    (after three that warm the worker's caches); the loopback round-trip included."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    headers = {"Authorization": f"Bearer {token}"}
    times = []
    for n in range(repeat + 3):
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        assert response.status == 200, (path, response.status)
        if n >= 3:
            times.append((time.perf_counter() - started) * 1000)
    connection.close()
    return statistics.median(times)


def server_limit(bare_ms: float) -> float:
    """The most a query's server time may be, given its bare SQL time."""
    return SERVER_FACTOR * bare_ms + SERVER_PLUS_MS


def print_verdict(failures: int) -> None:
    print(
        f"\n{failures} figure(s) over their limit"
        if failures
        else "\nevery figure within its limit"
    )
