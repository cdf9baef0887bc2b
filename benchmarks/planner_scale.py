"""`GET planner/keywords/` over a million keywords: each figure against its limit (issue 18).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python \\
        benchmarks/planner_scale.py --db postgres [--keywords 1000000] [--duration 8]
    .venv/bin/python benchmarks/planner_scale.py --db sqlite --keywords 200000

Seeds one account with N keywords spread over 2 sites and 10 sectors (PostgreSQL: COPY,
the trigram index rebuilt after, then VACUUM ANALYZE as autovacuum would; SQLite:
executemany, the FTS5 triggers filling the search table). For each list query it then

1. captures the SQL statements Flowline runs for it (in process, through the API client,
   with the same settings) and times those statements alone on one connection: the
   "bare SQL" time (median of 30), and checks with EXPLAIN that every statement reading
   planner_keyword uses an index (no sequential scan of it);
2. starts Flowline as production would (uvicorn, 1 worker pinned to core 0, the helpers
   of run_api.py) and times 30 sequential requests from one keep-alive client: the server
   time per request (median; includes the loopback round-trip);
3. loads it with wrk from core 1 (16 connections, a Bearer token) for --duration seconds.

It prints each figure against its limit: server time <= 2 x bare SQL + 3 ms, p99 < 100 ms.
`--bench-db` names the PostgreSQL database (created next to DATABASE_URL's, never that
one); `--reuse` skips seeding when the database already holds the seeded account.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # flowline
import list_timing
import planner_data
from apispeed import client, servers
from list_timing import SERVER_FACTOR, SERVER_PLUS_MS, bare_sql, capture, served

P99_LIMIT_MS = 100.0
PAGE = "/api/v1/planner/keywords/?page_size=100"
QUERIES = {
    "page of 100": PAGE,
    "sector+status+volume": PAGE + "&sector_id={sector_id}&status=active"
    "&volume_min=1000&volume_max=40000",
    'search "yoga"': PAGE + "&search=yoga",
    'search "yoga mat" (2 words)': PAGE + "&search=yoga+mat",
    'search "grinder", by volume': PAGE + "&search=grinder&ordering=-volume",
    "site, by volume": PAGE + "&site_id={site_id}&ordering=-seed_keyword__volume",
    "deep page (OFFSET)": PAGE + "&page={deep_page}&status=active",
    "deep page by cursor": PAGE + "&status=active&cursor={deep_cursor}",
}


def seed(count: int, db: str) -> dict:
    from django.db import connection
    from django.utils import timezone

    from flowline.core.tenancy import tenant_scope
    from flowline.identity import tokens
    from flowline.planner.models import normalize_keyword
    from flowline.sites.models import Sector, Site

    user, account_id, site, sector = planner_data.account("Planner scale")
    with tenant_scope(account_id):
        other = Site.objects.create(name="Second site", slug="second")
        sectors = [sector] + [
            Sector.objects.create(site=site if n < 5 else other, name=f"S{n}", slug=f"s{n}")
            for n in range(1, 10)
        ]
    pairs = planner_data.keywords(10**9)  # every distinct text the generator has
    now = timezone.now()
    statuses = ("active", "pending", "archived")
    intents = ("informational", "commercial", "transactional", "navigational")

    def rows():
        for index in range(count):
            text = pairs[index % len(pairs)][0]
            if index >= len(pairs):  # unique within a sector
                text = f"{text} v{index // len(pairs)}"
            home = sectors[index % 10]
            created = now - timezone.timedelta(seconds=count - index)
            yield (
                account_id, home.site_id, home.id, text, normalize_keyword(text),
                (index * 37) % 50000, index % 101, intents[index % 4], statuses[index % 3],
                created, created,
            )  # fmt: skip

    columns = (
        "account_id, site_id, sector_id, keyword, normalized, volume, difficulty, intent, "
        "status, created_at, updated_at"
    )
    started = time.perf_counter()
    if db == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS planner_kw_normalized_trgm")
            with cursor.connection.cursor().copy(
                f"COPY planner_keyword ({columns}) FROM STDIN"
            ) as copy:
                for row in rows():
                    copy.write_row(row)
            loaded = time.perf_counter()
            cursor.execute(
                "CREATE INDEX planner_kw_normalized_trgm ON planner_keyword "
                "USING gin (normalized gin_trgm_ops)"
            )
            indexed = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE planner_keyword")
        print(
            f"seeded {count} keywords: COPY {loaded - started:.1f} s, trigram index "
            f"{indexed - loaded:.1f} s, VACUUM ANALYZE {time.perf_counter() - indexed:.1f} s",
            flush=True,
        )
    else:
        marks = ", ".join(["%s"] * 11)
        batch = []
        with connection.cursor() as cursor:
            for row in rows():
                batch.append(row)
                if len(batch) == 5000:
                    cursor.executemany(
                        f"INSERT INTO planner_keyword ({columns}) VALUES ({marks})", batch
                    )
                    batch = []
            if batch:
                cursor.executemany(
                    f"INSERT INTO planner_keyword ({columns}) VALUES ({marks})", batch
                )
        print(f"seeded {count} keywords (FTS5 by trigger): {time.perf_counter() - started:.1f} s")
    token = tokens.issue_pair(user=user, account_id=account_id)["access"]
    return {
        "token": token, "site_id": site.id, "sector_id": sector.id, "account_id": account_id,
        "user_id": user.id,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keywords", type=int, default=None)
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres"],
        default="postgres" if os.environ.get("DATABASE_URL") else "sqlite",
    )
    parser.add_argument("--bench-db", default="fl_perf_planner_scale")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--server-cpu", default="0")
    parser.add_argument("--load-cpu", default="1")
    args = parser.parse_args()
    count = args.keywords or (1_000_000 if args.db == "postgres" else 100_000)

    planner_data.BENCH_DB = args.bench_db
    env = list_timing.server_environment(args.db)
    if args.db == "sqlite" and args.reuse and not os.environ.get("FLOWLINE_VAR_DIR"):
        sys.exit("--reuse on SQLite needs FLOWLINE_VAR_DIR of the earlier run")
    os.environ.update(env)
    planner_data.setup(args.db)
    state = Path(env["FLOWLINE_VAR_DIR"]) / f"planner-scale-{args.bench_db}-{count}.json"
    if args.reuse and state.exists():
        info = json.loads(state.read_text())
        from flowline.identity import tokens
        from flowline.identity.models import User

        user = User.objects.get(id=info["user_id"])
        info["token"] = tokens.issue_pair(user=user, account_id=info["account_id"])["access"]
        print(f"reusing {count} keywords ({args.db}, {env['FLOWLINE_VAR_DIR']})")
    else:
        print(
            f"seeding {count} keywords ({args.db}, var dir {env['FLOWLINE_VAR_DIR']}) ...",
            flush=True,
        )
        info = seed(count, args.db)
        state.write_text(json.dumps(info))

    # a deep page (300, or the last full one of a smaller set) by OFFSET and by keyset
    info["deep_page"] = min(300, count // 3 // 100)
    info["deep_cursor"] = list_timing.deep_cursor(
        PAGE + "&status=active", info["token"], info["deep_page"] - 1
    )

    measured = {}
    for label, template in QUERIES.items():
        path = template.format(**info)
        answer, statements = capture(path, info["token"])
        # strict here: a bounded count scan of the keywords is reported too
        scans, bounded = list_timing.unindexed(statements, "planner_keyword")
        measured[label] = {
            "path": path,
            "count": answer["count"],
            "estimate": answer.get("count_is_estimate"),
            "statements": len(statements),
            "bare_ms": bare_sql(statements),
            "unindexed": scans + bounded,
        }

    from django.db import connections

    connections.close_all()
    wrk_path = client.ensure_wrk()
    server, base = servers.serve("config.asgi:application", env, args.server_cpu, [])
    failures = 0
    try:
        servers.wait_ready(server, base)
        print(
            f"\n{args.db}, {count} keywords; uvicorn 1 worker on core {args.server_cpu}, "
            f"wrk on core {args.load_cpu}, {args.connections} connections, {args.duration} s "
            f"per query. Limits: server <= {SERVER_FACTOR:g} x bare SQL + {SERVER_PLUS_MS:g} ms, "
            f"p99 < {P99_LIMIT_MS:g} ms, every statement on an index.\n"
        )
        print(f"deep pages: page {info['deep_page']} of status=active\n")
        print(
            "| query | count | SQL stmts | bare SQL | server | limit | ok | req/s | p50 | p99 "
            "| ok | indexed |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- | --- |")
        for label, figures in measured.items():
            path = figures["path"]
            server_ms = served(base, path, info["token"])
            client.wrk(wrk_path, base + path, info["token"], seconds=2,
                        connections=args.connections, cpu=args.load_cpu)  # fmt: skip
            stats = client.wrk(wrk_path, base + path, info["token"], seconds=args.duration,
                                connections=args.connections, cpu=args.load_cpu)  # fmt: skip
            limit = list_timing.server_limit(figures["bare_ms"])
            server_ok = server_ms <= limit
            p99_ok = stats["p99_ms"] < P99_LIMIT_MS and not (stats["non2xx"] + stats["errors"])
            indexed = not figures["unindexed"]
            failures += (not server_ok) + (not p99_ok) + (not indexed)
            count_text = f"~{figures['count']}" if figures["estimate"] else str(figures["count"])
            print(
                f"| {label} | {count_text} | {figures['statements']} | "
                f"{figures['bare_ms']:.1f} ms | {server_ms:.1f} ms | {limit:.1f} ms | "
                f"{'yes' if server_ok else 'NO'} | {stats['rps']:.0f} | {stats['p50_ms']:.1f} ms | "
                f"{stats['p99_ms']:.1f} ms | {'yes' if p99_ok else 'NO'} | "
                f"{'yes' if indexed else 'NO'} |",
                flush=True,
            )
        for label, figures in measured.items():
            for plan in figures["unindexed"]:
                print(f"\n{label}: a statement without an index:\n{plan}")
    finally:
        server.stop()
    list_timing.print_verdict(failures)


if __name__ == "__main__":
    main()
