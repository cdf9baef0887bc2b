"""Server time of console pages over 100,000 keywords: the planner's keyword table (plain,
filtered and sorted, a deep page), clusters and the dashboard.

    .venv/bin/python benchmarks/console_pages.py [--keywords 100000] [--db sqlite|postgres]
        [--runs 30]

Seeds one account as benchmarks/planner_list.py does (10 sectors on 2 sites, a fifth of
the keywords clustered), then renders each page in process through Django's handler
with the member's cookie session (no network, no browser: the server's own time, as the
issue's 150 ms budget counts it). Prints the median and p90 per page and the SQL
queries each made. Pages page through the API's list (one COUNT in SQL, one page of
rows), so the time does not grow with the table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import planner_data
import planner_list

PAGES = {
    "keywords": "/planner/keywords/",
    "keywords, 100 a page": "/planner/keywords/?page_size=100",
    "keywords, sector+status, by volume": (
        "/planner/keywords/?page_size=100&sector_id={sector_id}&status=active&ordering=-volume"
    ),
    "keywords, search": "/planner/keywords/?page_size=100&search=yoga",
    "keywords, page 300": "/planner/keywords/?page_size=100&page=300&status=active",
    "clusters": "/planner/clusters/",
    "dashboard": "/",
}

MEASURE = textwrap.dedent(
    """
    import json, statistics, sys, time
    sys.path.insert(0, "benchmarks")
    import planner_data
    planner_data.setup(sys.argv[1])
    from django.db import connection
    from django.test import Client

    info, pages, runs = json.loads(sys.argv[2]), json.loads(sys.argv[3]), int(sys.argv[4])
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["access_token"] = info["token"]
    # Wall time is what the budget counts; the web process's CPU time beside it shows
    # what the page itself costs when a loaded machine makes it wait for a core (with
    # PostgreSQL the database's own work is in its process, outside this figure).
    print("| page | median | p90 | web CPU (median) | SQL queries |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, path in pages.items():
        url = path.format(**info)
        queries = []  # counted by a wrapper: Django clears its query log per request

        def count(run, sql, *args):
            queries.append(sql)
            return run(sql, *args)

        with connection.execute_wrapper(count):
            response = client.get(url)
        assert response.status_code == 200, (label, response.status_code)
        times, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        times.sort()
        p90 = times[int(len(times) * 0.9) - 1]
        print(
            f"| {label} | {statistics.median(times):.1f} ms | {p90:.1f} ms "
            f"| {statistics.median(cpu):.1f} ms | {len(queries)} |"
        )
    """
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keywords", type=int, default=100_000)
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres"],
        default="postgres" if os.environ.get("DATABASE_URL") else "sqlite",
    )
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    env = {**planner_data.environment(args.db), "JWT_ACCESS_MINUTES": "600"}
    print(f"seeding {args.keywords} keywords ({args.db}) ...", flush=True)
    seeded = subprocess.run(
        [sys.executable, "-c", planner_list.SEED, args.db, str(args.keywords)],
        env=env, cwd=planner_data.ROOT, check=True, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    info = seeded.stdout.strip().splitlines()[-1]
    subprocess.run(
        [sys.executable, "-c", MEASURE, args.db, info, json.dumps(PAGES), str(args.runs)],
        env=env, cwd=planner_data.ROOT, check=True, timeout=900,
    )  # fmt: skip


if __name__ == "__main__":
    main()
