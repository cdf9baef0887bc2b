"""`GET planner/keywords/?page_size=100` with filters over 100,000 keywords, under load.

    .venv/bin/python benchmarks/planner_list.py [--keywords 100000] [--db sqlite|postgres]
        [--duration 10] [--connections 16]

Seeds one account with N keywords (in 10 sectors of 2 sites, a fifth of them clustered)
on a fresh database, starts Flowline as production would (uvicorn, 1 worker pinned to
core 0, DEBUG off, no embedded worker; the helpers of run_api.py) and loads it from core 1
with wrk (16 connections, a Bearer token) on a few list queries: plain, filtered by
sector + status + volume range, searched, ordered by volume, a deep page. On PostgreSQL
the table is ANALYZEd after seeding (as autovacuum would); SQLite is left without
statistics (with ANALYZE's, its planner skip-scans the site/volume index for a sector
count and is several times slower). Prints req/s, p50 and p99
and any non-2xx answer. The number of SQL queries per request is pinned by
flowline/planner/tests (django_assert_num_queries): 3 whatever the page holds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # flowline
import list_timing
import planner_data
from apispeed import client, servers

QUERIES = {
    "page of 100": "/api/v1/planner/keywords/?page_size=100",
    "sector+status+volume": (
        "/api/v1/planner/keywords/?page_size=100&sector_id={sector_id}&status=active"
        "&volume_min=1000&volume_max=40000"
    ),
    "search": "/api/v1/planner/keywords/?page_size=100&search=yoga",
    "ordered by volume": (
        "/api/v1/planner/keywords/?page_size=100&site_id={site_id}&ordering=-seed_keyword__volume"
    ),
    "deep page": "/api/v1/planner/keywords/?page_size=100&page=300&status=active",
}

SEED = textwrap.dedent(
    """
    import json, sys
    sys.path.insert(0, "benchmarks")
    import planner_data
    planner_data.setup(sys.argv[1])
    from flowline.core.tenancy import tenant_scope
    from flowline.identity import tokens
    from flowline.planner.models import Cluster, Keyword, normalize_keyword
    from flowline.sites.models import Sector, Site

    count = int(sys.argv[2])
    user, account_id, site, sector = planner_data.account()
    with tenant_scope(account_id):
        other = Site.objects.create(name="Second site", slug="second")
        sectors = [sector] + [
            Sector.objects.create(site=site if n < 5 else other, name=f"S{n}", slug=f"s{n}")
            for n in range(1, 10)
        ]
        clusters = [
            Cluster.objects.create(site=s.site, sector=s, name=f"Cluster {n}")
            for n, s in enumerate(sectors * 20)
        ]
    rows = []
    for index, (text, _) in enumerate(planner_data.keywords(count)):
        home = sectors[index % 10]
        cluster = clusters[index % len(clusters)] if index % 5 == 0 else None
        if cluster is not None and cluster.sector_id != home.id:
            cluster = None
        rows.append(
            Keyword(
                account_id=account_id, site_id=home.site_id, sector=home, keyword=text,
                normalized=normalize_keyword(text), volume=(index * 37) % 50000,
                difficulty=index % 101, status=("active", "pending", "archived")[index % 3],
                cluster=cluster,
            )
        )
    Keyword.unscoped.bulk_create(rows, batch_size=2000)
    from django.db import connection
    if connection.vendor == "postgresql":  # the statistics autovacuum would have gathered
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE planner_keyword")
    token = tokens.issue_pair(user=user, account_id=account_id)["access"]
    print(json.dumps({"token": token, "site_id": site.id, "sector_id": sector.id}))
    """
)


def fetch(url: str, token: str) -> tuple[int, dict]:
    """client.fetch with a longer timeout: right after a loaded run the single worker may
    still be answering the requests wrk gave up on."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, json.loads(response.read())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keywords", type=int, default=100_000)
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres"],
        default="postgres" if os.environ.get("DATABASE_URL") else "sqlite",
    )
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--server-cpu", default="0")
    parser.add_argument("--load-cpu", default="1")
    args = parser.parse_args()

    env = list_timing.server_environment(args.db)
    print(f"seeding {args.keywords} keywords ({args.db}) ...", flush=True)
    seeded = subprocess.run(
        [sys.executable, "-c", SEED, args.db, str(args.keywords)],
        env=env, cwd=planner_data.ROOT, check=True, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    info = json.loads(seeded.stdout.strip().splitlines()[-1])
    wrk_path = client.ensure_wrk()
    server, base = servers.serve("config.asgi:application", env, args.server_cpu, [])
    try:
        servers.wait_ready(server, base)
        print(
            f"uvicorn 1 worker on core {args.server_cpu}, wrk on core {args.load_cpu}, "
            f"{args.connections} connections, {args.duration} s per query, {args.db}"
        )
        print("| query | alone: median | loaded: req/s | p50 | p99 | non-2xx |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for label, path in QUERIES.items():
            url = base + path.format(**info)
            status, body = fetch(url, info["token"])
            assert status == 200 and len(body["results"]) == 100, (label, status)
            single = []
            for _ in range(20):  # one client alone: the server's own time per request
                started = time.perf_counter()
                fetch(url, info["token"])
                single.append((time.perf_counter() - started) * 1000)
            client.wrk(
                wrk_path, url, info["token"], seconds=2, connections=args.connections,
                cpu=args.load_cpu,
            )  # fmt: skip
            stats = client.wrk(
                wrk_path, url, info["token"], seconds=args.duration,
                connections=args.connections, cpu=args.load_cpu,
            )  # fmt: skip
            print(
                f"| {label} (count {body['count']}) | {statistics.median(single):.1f} ms | "
                f"{stats['rps']:.0f} | "
                f"{stats['p50_ms']:.1f} ms | {stats['p99_ms']:.1f} ms | "
                f"{stats['non2xx'] + stats['errors']} |",
                flush=True,
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
