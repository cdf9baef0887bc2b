"""Dashboard, platforms, revenue and funnel reads over 1,000,000 events (or 10,000,000).

    .venv/bin/python benchmarks/analytics_dashboard.py [--events 1000000] [--days 90]
    .venv/bin/python benchmarks/analytics_dashboard.py --events 10000000 --sessions 2000000 \
        --no-live

Each session's events fall within half an hour, as a visit's do. Rolled-up reads are
printed against issue 18's limit (300 ms).

Builds a throwaway embedded database (SQLite in a temporary folder), generates the events
with one INSERT ... SELECT in SQL, rolls them up with the same service the periodic job
runs, then times each report (median of --repeat runs, in process, through the same
selectors the endpoints call) both live (before the rollup) and from rollups.
Set DATABASE_URL to a scratch PostgreSQL database to measure that instead.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

SQLITE_FILL = """
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %(events)s),
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
      FROM generate_series(1, %(events)s) AS n) AS base
"""
# 50% page views, 25% product views, 12% add to cart, 7% checkout, 3% purchases, 3% social.
EVENT_TYPE = """CASE WHEN r < 50 THEN 'page_view' WHEN r < 75 THEN 'product_view'
  WHEN r < 87 THEN 'add_to_cart' WHEN r < 94 THEN 'checkout_started'
  WHEN r < 97 THEN 'purchase' WHEN r < 99 THEN 'post_engagement'
  ELSE 'message_received' END"""
PLATFORM = """CASE p WHEN 0 THEN 'web' WHEN 1 THEN 'web' WHEN 2 THEN 'instagram'
  WHEN 3 THEN 'facebook' WHEN 4 THEN 'twitter' ELSE 'whatsapp' END"""


LIMIT_MS = 300


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
    args = parser.parse_args()

    os.environ["FLOWLINE_VAR_DIR"] = tempfile.mkdtemp(prefix="flowline-analytics-bench-")
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
    from flowline.core.tenancy import tenant_scope
    from flowline.identity.models import User
    from flowline.identity.services.accounts import account_create

    call_command("migrate", verbosity=0)
    user = User.objects.create_user(f"bench{time.time_ns()}@example.com", "x")
    account = account_create(owner=user, name="Analytics benchmark")
    template = POSTGRES_FILL if connection.vendor == "postgresql" else SQLITE_FILL
    sql = template.format(event_type=EVENT_TYPE, platform=PLATFORM)
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "events": args.events,
                "seconds": args.days * 86_400,
                "sessions": args.sessions,
                "account": account.id,
            },
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE analytics_analyticsevent")
    print(f"database: {connection.vendor}")
    print(
        f"generated {args.events:,} events over {args.days} days in "
        f"{time.perf_counter() - began:.1f}s"
    )

    today = timezone.now().date()
    ranges = {
        "30 days": MetricQuery(date_from=today - timedelta(days=29), date_to=today),
        f"{args.days} days": MetricQuery(
            date_from=today - timedelta(days=args.days), date_to=today
        ),
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
                    print(f"  {label:<10} {report:<21} {name:>8}: {took:8.1f} ms{verdict}")

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
        f"{time.perf_counter() - began:.1f}s"
    )
    print("reads after the rollup (rollups + today live):")
    reads("rolled-up")
    with tenant_scope(account.id):
        listing = AnalyticsEvent.objects.order_by("-occurred_at", "-id")
        page = timed(lambda: (listing.count(), list(listing[:10])), args.repeat)
    print(f"  event log first page (count + 10 rows): {page:.1f} ms")


if __name__ == "__main__":
    main()
