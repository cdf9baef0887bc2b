"""Dashboard, platforms, revenue and funnel reads over 1,000,000 events (or 10,000,000).

    .venv/bin/python benchmarks/analytics_dashboard.py [--events 1000000] [--days 90]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<name> \
      .venv/bin/python benchmarks/analytics_dashboard.py --db postgres \
        --events 10000000 --sessions 2000000 --no-live

Each session's events fall within half an hour, as a visit's do. Rolled-up reads are
printed against issue 18's limit (300 ms), with the machine's load average.

Builds a throwaway database (SQLite in a temporary folder; on PostgreSQL a `<name>_dash`
database next to DATABASE_URL's, dropped at the end unless --keep), generates the events
in SQL (INSERT ... SELECT in chunks of a million, the event indexes dropped during the
fill and rebuilt after, as a bulk load would), rolls them up with the same service the
periodic job runs, then times each report (median of --repeat runs, in process, through
the same selectors the endpoints call) live (before the rollup, unless --no-live) and
from rollups with today read live, as it is while tracking goes on.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from urllib.parse import urlsplit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from flowline.core.testing import throwaway  # noqa: E402 (after the path it needs)

SQLITE_FILL = """
WITH RECURSIVE seq(n) AS (SELECT %(first)s UNION ALL SELECT n + 1 FROM seq WHERE n < %(last)s),
base AS MATERIALIZED (
  SELECT n, abs(random()) %% 100 AS r,
         ((n %% %(sessions)s) * 104729 + abs(random()) %% 1800) %% %(seconds)s AS ago,
         abs(random()) %% 6 AS p, abs(random()) %% 20000 AS cents FROM seq
)
INSERT INTO analytics_analyticsevent (account_id, event_type, platform, session_id,
  customer_id, value, currency, properties, occurred_at, received_at)
SELECT %(account)s, {event_type}, {platform}, 's' || (n %% %(sessions)s), '',
  CASE WHEN r >= 94 AND r < 97 THEN cents / 100.0 END, 'USD', '{{}}',
  strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now', '-' || ago || ' seconds'),
  strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now', '-' || ago || ' seconds')
FROM base
"""
POSTGRES_FILL = """
INSERT INTO analytics_analyticsevent (account_id, event_type, platform, session_id,
  customer_id, value, currency, properties, occurred_at, received_at)
SELECT %(account)s, {event_type}, {platform}, 's' || (n %% %(sessions)s), '',
  CASE WHEN r >= 94 AND r < 97 THEN cents / 100.0 END, 'USD', '{{}}'::jsonb,
  now() - ago * interval '1 second', now() - ago * interval '1 second'
FROM (SELECT n, floor(random() * 100)::int AS r,
             ((n::bigint %% %(sessions)s) * 104729 + floor(random() * 1800)::int)
               %% %(seconds)s AS ago,
             floor(random() * 6)::int AS p, floor(random() * 20000)::int AS cents
      FROM generate_series(%(first)s, %(last)s) AS n) AS base
"""
# 50% page views, 25% product views, 12% add to cart, 7% checkout, 3% purchases, 3% social.
EVENT_TYPE = """CASE WHEN r < 50 THEN 'page_view' WHEN r < 75 THEN 'product_view'
  WHEN r < 87 THEN 'add_to_cart' WHEN r < 94 THEN 'checkout_started'
  WHEN r < 97 THEN 'purchase' WHEN r < 99 THEN 'post_engagement'
  ELSE 'message_received' END"""
PLATFORM = """CASE p WHEN 0 THEN 'web' WHEN 1 THEN 'web' WHEN 2 THEN 'instagram'
  WHEN 3 THEN 'facebook' WHEN 4 THEN 'twitter' ELSE 'whatsapp' END"""


LIMIT_MS = 300
CHUNK = 1_000_000


def load() -> str:
    return "load average " + " ".join(f"{value:.1f}" for value in os.getloadavg())


def scratch_postgres(keep: bool):
    """Point DATABASE_URL at a fresh `<name>_dash` database; returns a function that drops
    it (a no-op with --keep)."""
    base = os.environ["DATABASE_URL"]
    url = throwaway.database_next_to(base, urlsplit(base).path.strip("/") + "_dash")
    os.environ["DATABASE_URL"] = url
    os.environ["DB_POOL"] = "false"

    def drop() -> None:
        if keep:
            print(f"kept database {url}")
            return
        from django.db import connections

        connections.close_all()
        throwaway.database_drop(url)
        print(f"dropped database {url}")

    return drop


def timed(function, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        runs.append(time.perf_counter() - began)
    return statistics.median(runs) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--sessions", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--no-live", action="store_true", help="skip the reads before the rollup (slow at 10M)"
    )
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres"],
        default="postgres" if os.environ.get("DATABASE_URL") else "sqlite",
    )
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args()
    if args.db == "postgres":
        drop = scratch_postgres(args.keep)
    else:
        os.environ.pop("DATABASE_URL", None)
        drop = lambda: None  # noqa: E731 - the temporary folder holds it

    os.environ["FLOWLINE_VAR_DIR"] = throwaway.var_dir("flowline-analytics-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("FLOWLINE_EMBEDDED", "true")  # its own SECRET_KEY in the var dir
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from flowline.analytics.models import AnalyticsEvent, RollupState
    from flowline.analytics.selectors import funnel, reports
    from flowline.analytics.selectors.metrics import MetricQuery
    from flowline.analytics.services.rollup import daily_metrics_rollup
    from flowline.core.large_pagination import list_count
    from flowline.core.tenancy import tenant_scope
    from flowline.identity.models import User
    from flowline.identity.services.accounts import account_create

    call_command("migrate", verbosity=0)
    user = User.objects.create_user(f"bench{time.time_ns()}@example.com", "x")
    account = account_create(owner=user, name="Analytics benchmark")
    template = POSTGRES_FILL if connection.vendor == "postgresql" else SQLITE_FILL
    sql = template.format(event_type=EVENT_TYPE, platform=PLATFORM)
    began = time.perf_counter()
    indexes = _drop_event_indexes()
    for first in range(1, args.events + 1, CHUNK):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                sql,
                {
                    "first": first,
                    "last": min(args.events, first + CHUNK - 1),
                    "seconds": args.days * 86_400,
                    "sessions": args.sessions,
                    "account": account.id,
                },
            )
        done = min(args.events, first + CHUNK - 1)
        print(f"  {done:,} events ({time.perf_counter() - began:.0f}s)")
    filled = time.perf_counter() - began
    _restore_event_indexes(indexes)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE analytics_analyticsevent")
    print(f"database: {connection.vendor}")
    print(
        f"generated {args.events:,} events over {args.days} days in {filled:.0f}s, "
        f"indexes rebuilt in {time.perf_counter() - began - filled:.0f}s ({load()})"
    )

    today = timezone.now().date()
    ranges = {
        "30 days": MetricQuery(date_from=today - timedelta(days=29), date_to=today),
        f"{args.days} days": MetricQuery(
            date_from=today - timedelta(days=args.days), date_to=today
        ),
        # The two halves of the above: rollups alone, and today (always read live).
        "to yesterday": MetricQuery(
            date_from=today - timedelta(days=args.days), date_to=today - timedelta(days=1)
        ),
        "today": MetricQuery(date_from=today, date_to=today),
    }

    def reads(label: str) -> None:
        with tenant_scope(account.id):
            for name, query in ranges.items():
                rows = [
                    ("dashboard", lambda q=query: reports.dashboard(q)),
                    ("platforms", lambda q=query: reports.platform_report(q)),
                    ("revenue by week", lambda q=query: reports.revenue_report(q, interval="week")),
                    ("conversions (funnel)", lambda q=query: funnel.conversion_funnel(q)),
                ]
                for report, function in rows:
                    took = timed(function, args.repeat)
                    verdict = ""
                    if label == "rolled-up":
                        verdict = "  ok" if took < LIMIT_MS else f"  over the {LIMIT_MS} ms limit"
                    print(f"  {label:<10} {report:<21} {name:>12}: {took:8.1f} ms{verdict}")
        print(f"  ({load()})")

    if not args.no_live:
        print("reads before any rollup (everything aggregated live):")
        reads("live")
    with tenant_scope(account.id):
        earliest = AnalyticsEvent.objects.order_by("occurred_at").first().occurred_at.date()
    RollupState.unscoped.create(account_id=account.id, dirty_from=earliest, version=1)
    began = time.perf_counter()
    report = daily_metrics_rollup(account_id=account.id)
    print(
        f"rollup of {report.days} days -> {report.rows:,} rollup rows in "
        f"{time.perf_counter() - began:.1f}s ({load()})"
    )
    print("reads after the rollup (rollups + today live):")
    reads("rolled-up")
    with tenant_scope(account.id):
        listing = AnalyticsEvent.objects.order_by("-occurred_at", "-id")
        page = timed(lambda: (list_count(listing), list(listing[:10])), args.repeat)
    print(f"  event log first page (count as the list gives it + 10 rows): {page:.1f} ms")
    print(load())
    drop()


def _drop_event_indexes() -> list:
    """Drop the event table's secondary indexes and unique constraint (a bulk load builds
    them once at the end, sorted, instead of row by row); returns what to rebuild."""
    from django.db import connection

    from flowline.analytics.models import AnalyticsEvent

    meta = AnalyticsEvent._meta
    dropped = [*meta.indexes, *meta.constraints]
    with connection.schema_editor() as editor:
        for index in meta.indexes:
            editor.remove_index(AnalyticsEvent, index)
        for constraint in meta.constraints:
            editor.remove_constraint(AnalyticsEvent, constraint)
    return dropped


def _restore_event_indexes(dropped: list) -> None:
    from django.db import connection, models

    from flowline.analytics.models import AnalyticsEvent

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
    with connection.schema_editor() as editor:
        for item in dropped:
            if isinstance(item, models.Index):
                editor.add_index(AnalyticsEvent, item)
            else:
                editor.add_constraint(AnalyticsEvent, item)


if __name__ == "__main__":
    main()
