"""The other large lists at their sizes, each against the same SQL's own time (issue 18).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python \\
        benchmarks/large_lists.py --db postgres [--rows 100000] [--only writer-task,product]
    .venv/bin/python benchmarks/large_lists.py --db sqlite --rows 20000

Writer tasks and content, products, the messages of one conversation, notifications, jobs,
credit transactions, webhook deliveries and the analytics event log: each table is filled
for one account with `--rows` rows by one `INSERT ... SELECT` over a number series (then
ANALYZE). For each list query, like `planner_scale.py` (both with `list_timing.py`), it

1. captures the SQL statements Flowline runs for the request (in process, API client) and
   times them alone on one connection: "bare SQL" (median of 30);
2. checks each statement's plan for a full scan of the list's table (PostgreSQL: a
   `Seq Scan`; SQLite: a `SCAN` without an index);
3. times 30 sequential keep-alive requests to uvicorn (1 worker pinned to core 0):
   "server" (median, loopback included); with `--load`, also wrk at 16 connections.

It prints each against its limit: server <= 2 x bare SQL + 3 ms, every statement indexed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # flowline
import list_timing
import planner_data
from apispeed import client, servers
from list_timing import SERVER_FACTOR, SERVER_PLUS_MS

P = "?page_size=100"


class Sql:
    """The few expressions that differ between PostgreSQL and SQLite in the fills."""

    def __init__(self, vendor: str):
        self.pg = vendor == "postgresql"

    def series(self, rows: int) -> tuple[str, str]:
        """(WITH prefix, FROM clause) giving `g.n` = 1..rows."""
        if self.pg:
            return "", f"FROM generate_series(1, {int(rows)}) AS g(n)"
        return (
            "WITH RECURSIVE g(n) AS "
            f"(SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {int(rows)}) ",
            "FROM g",
        )

    def ago(self, seconds: str) -> str:
        if self.pg:
            return f"(now() - ({seconds}) * interval '1 second')"
        return f"strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || ({seconds}) || ' seconds')"

    def json(self, text: str) -> str:
        return f"'{text}'::jsonb" if self.pg else f"'{text}'"

    def uuid(self, number: str) -> str:
        return f"md5(({number})::text)::uuid" if self.pg else f"printf('%032d', {number})"

    @staticmethod
    def pick(number: str, values) -> str:
        whens = " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values))
        return f"(CASE ({number}) % {len(values)} {whens} END)"


def fill(table: str, columns: dict[str, str], rows: int, sql: Sql) -> None:
    """One INSERT ... SELECT of `rows` rows; `columns` maps each column to its expression
    of g.n."""
    from django.db import connection

    prefix, source = sql.series(rows)
    names = ", ".join(columns)
    values = ", ".join(columns.values())
    with connection.cursor() as cursor:
        cursor.execute(f"{prefix}INSERT INTO {table} ({names}) SELECT {values} {source}")
        if connection.vendor == "postgresql":  # as autovacuum would (SQLite: as planner_scale)
            cursor.execute(f"ANALYZE {table}")


def seed(rows: int, only: set[str]) -> dict:
    from django.db import connection

    from flowline.chat.models import Conversation
    from flowline.core.tenancy import tenant_scope
    from flowline.identity import tokens
    from flowline.webhooks.models import WebhookEndpoint

    sql = Sql(connection.vendor)
    user, account_id, site, sector = planner_data.account("Large lists")
    with tenant_scope(account_id):
        conversation = Conversation.objects.create(customer_name="Bench", customer_handle="b")
        endpoint = WebhookEndpoint.objects.create(url="https://example.com/hook", secret="s")
    new = sql.ago("g.n")
    base = {"account_id": str(account_id), "created_at": new}
    tables = {
        "writer-task": ("writer_task", {
            **base, "updated_at": new, "site_id": str(site.id), "sector_id": str(sector.id),
            "title": "'Task ' || g.n", "description": "''", "keywords": "'yoga mat'",
            "content_type": "'blog_post'", "content_structure": "'supporting_page'",
            "word_count": "1000 + g.n % 2000",
            "status": sql.pick("g.n", ["draft", "in_progress", "review", "completed"]),
            "error": "''",
        }),
        "writer-content": ("writer_content", {
            **base, "updated_at": new, "site_id": str(site.id), "sector_id": str(sector.id),
            "title": "'Article ' || g.n", "slug": "'article-' || g.n",
            "html_content": "'<p>Body</p>'", "headings": sql.json("[]"), "meta_title": "''",
            "meta_description": "''", "keywords": "'yoga mat'", "content_type": "'blog_post'",
            "word_count": "g.n % 3000",
            "status": sql.pick("g.n", ["draft", "review", "published", "archived"]),
            "generation": sql.json("{}"), "external_id": "''", "external_url": "''",
        }),
        "product": ("commerce_product", {
            **base, "updated_at": new, "site_id": str(site.id), "name": "'Product ' || g.n",
            "slug": "'product-' || g.n", "sku": "'SKU-' || g.n", "description": "''",
            "short_description": "''", "price": "(g.n % 500) + 0.99", "currency": "'USD'",
            "status": sql.pick("g.n", ["draft", "active", "archived"]),
            "stock_quantity": "g.n % 50", "low_stock_threshold": "5",
            "track_stock": "true" if sql.pg else "1",
        }),
        "message": ("chat_message", {
            **base, "conversation_id": str(conversation.id),
            "direction": sql.pick("g.n", ["inbound", "outbound"]), "body": "'Hello ' || g.n",
            "attachments": sql.json("[]"), "delivery_status": "'sent'", "delivery_error": "''",
        }),
        "notification": ("notifications_notification", {
            **base, "user_id": str(user.id), "notification_type": "'job_completed'",
            "title": "'Done ' || g.n", "body": "''", "data": sql.json("{}"), "link": "''",
            "read_at": f"CASE WHEN g.n % 4 = 0 THEN NULL ELSE {new} END",
        }),
        "job": ("jobs_job", {
            **base, "id": sql.uuid("g.n"), "updated_at": new, "user_id": str(user.id),
            "kind": "'writer.generate'",
            "status": sql.pick("g.n", ["queued", "processing", "completed", "failed"]),
            "progress": "g.n % 100", "phase": "''", "message": "''",
            "payload": sql.json("{}"), "error": "''", "error_code": "''", "attempts": "1",
            "max_attempts": "3", "cancel_requested": "false" if sql.pg else "0",
            "target_type": "''", "target_id": "''",
        }),
        "credittransaction": ("billing_credittransaction", {
            **base, "transaction_type": sql.pick("g.n", ["deduction", "purchase"]),
            "amount": "-1", "granted_change": "-1", "purchased_change": "0",
            "balance_after": "g.n", "description": "''", "operation_type": "'content'",
            "reference": "''",
        }),
        "webhookdelivery": ("webhooks_webhookdelivery", {
            **base, "endpoint_id": str(endpoint.id), "event_id": sql.uuid("g.n"),
            "event_type": "'content.published'", "payload": sql.json("{}"),
            "status": sql.pick("g.n", ["pending", "succeeded", "failed", "retrying"]),
            "attempts": "1", "max_attempts": "6", "last_response_body": "''",
            "last_error": "''",
        }),
        "analyticsevent": ("analytics_analyticsevent", {
            "account_id": str(account_id), "occurred_at": new, "received_at": new,
            "event_type": sql.pick("g.n", ["page_view", "add_to_cart", "purchase"]),
            "platform": "'web'", "site_id": str(site.id), "session_id": "'s' || (g.n / 10)",
            "customer_id": "''", "currency": "''", "properties": sql.json("{}"),
        }),
    }  # fmt: skip
    for name, (table, columns) in tables.items():
        if only and name not in only:
            continue
        started = time.perf_counter()
        fill(table, columns, rows, sql)
        took = time.perf_counter() - started
        print(f"  {name}: {rows} rows into {table} in {took:.1f} s", flush=True)
    token = tokens.issue_pair(user=user, account_id=account_id)["access"]
    return {
        "token": token, "site_id": site.id, "conversation_id": conversation.id,
        "endpoint_id": endpoint.id,
    }  # fmt: skip


# (list, label, path, table the plan must not scan)
QUERIES = [
    ("writer-task", "tasks: page of 100", "/api/v1/writer/tasks/" + P, "writer_task"),
    ("writer-task", "tasks: site + status", "/api/v1/writer/tasks/" + P
     + "&site_id={site_id}&status=review", "writer_task"),
    ("writer-content", "content: page of 100", "/api/v1/writer/content/" + P, "writer_content"),
    ("writer-content", "content: status", "/api/v1/writer/content/" + P + "&status=published",
     "writer_content"),
    ("product", "products: page of 100", "/api/v1/products/" + P, "commerce_product"),
    ("product", "products: status", "/api/v1/products/" + P + "&status=active",
     "commerce_product"),
    ("product", "products: by price", "/api/v1/products/" + P + "&ordering=price",
     "commerce_product"),
    ("message", "messages of a conversation", "/api/v1/chat/conversations/{conversation_id}"
     "/messages/" + P, "chat_message"),
    ("notification", "notifications", "/api/v1/notifications/" + P,
     "notifications_notification"),
    ("notification", "notifications: unread", "/api/v1/notifications/" + P + "&is_read=false",
     "notifications_notification"),
    ("job", "jobs: page of 100", "/api/v1/jobs/" + P, "jobs_job"),
    ("job", "jobs: status", "/api/v1/jobs/" + P + "&status=failed", "jobs_job"),
    ("credittransaction", "credit transactions", "/api/v1/billing/credits/transactions/" + P,
     "billing_credittransaction"),
    ("credittransaction", "credit transactions: type", "/api/v1/billing/credits/transactions/"
     + P + "&transaction_type=purchase", "billing_credittransaction"),
    ("webhookdelivery", "webhook deliveries", "/api/v1/webhooks/deliveries/" + P,
     "webhooks_webhookdelivery"),
    ("webhookdelivery", "deliveries: endpoint", "/api/v1/webhooks/deliveries/" + P
     + "&endpoint={endpoint_id}", "webhooks_webhookdelivery"),
    ("webhookdelivery", "deliveries: status", "/api/v1/webhooks/deliveries/" + P
     + "&status=failed", "webhooks_webhookdelivery"),
    ("analyticsevent", "event log", "/api/v1/analytics/events/" + P,
     "analytics_analyticsevent"),
    ("analyticsevent", "event log: type", "/api/v1/analytics/events/" + P
     + "&event_type=purchase", "analytics_analyticsevent"),
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres"],
        default="postgres" if os.environ.get("DATABASE_URL") else "sqlite",
    )
    parser.add_argument("--bench-db", default="fl_perf_large_lists")
    parser.add_argument("--only", default="", help="comma-separated lists (router basenames)")
    parser.add_argument("--deep-pages", type=int, default=50)
    parser.add_argument("--load", action="store_true", help="also wrk, 16 connections")
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--server-cpu", default="0")
    parser.add_argument("--load-cpu", default="1")
    args = parser.parse_args()
    only = {name for name in args.only.split(",") if name}

    planner_data.BENCH_DB = args.bench_db
    env = list_timing.server_environment(args.db)
    os.environ.update(env)
    planner_data.setup(args.db)
    print(f"seeding {args.rows} rows per list ({args.db}) ...", flush=True)
    info = seed(args.rows, only)

    queries = [q for q in QUERIES if not only or q[0] in only]
    # the deep page of each list's first query, by keyset cursor
    firsts = {}
    for name, label, path, table in queries:
        firsts.setdefault(name, (label, path, table))
    queries += [
        (name, f"{label.split(':')[0]}: page {args.deep_pages} by cursor",
         path.format(**info) + "&cursor="
         + list_timing.deep_cursor(path.format(**info), info["token"], args.deep_pages), table)
        for name, (label, path, table) in firsts.items()
    ]  # fmt: skip

    measured = []
    for _name, label, template, table in queries:
        path = template.format(**info)
        answer, statements = list_timing.capture(path, info["token"])
        unindexed, bounded = list_timing.unindexed(statements, table)
        measured.append({
            "label": label, "path": path, "count": answer["count"],
            "estimate": answer.get("count_is_estimate", False), "statements": len(statements),
            "bare_ms": list_timing.bare_sql(statements),
            "unindexed": unindexed, "bounded": len(bounded),
        })  # fmt: skip

    from django.db import connections

    connections.close_all()
    server, base = servers.serve("config.asgi:application", env, args.server_cpu, [])
    wrk_path = client.ensure_wrk() if args.load else None
    failures = 0
    try:
        servers.wait_ready(server, base)
        print(
            f"\n{args.db}, {args.rows} rows per list; uvicorn 1 worker on core "
            f"{args.server_cpu}. Limit: server <= {SERVER_FACTOR:g} x bare SQL + "
            f"{SERVER_PLUS_MS:g} ms, every statement on an index. Load average: "
            f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}\n"
        )
        header = "| list query | count | SQL stmts | bare SQL | server | limit | ok | indexed |"
        rule = "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |"
        if args.load:
            header += " req/s | p99 |"
            rule += " ---: | ---: |"
        print(header + "\n" + rule)
        for figures in measured:
            server_ms = list_timing.served(base, figures["path"], info["token"])
            limit = list_timing.server_limit(figures["bare_ms"])
            server_ok, indexed = server_ms <= limit, not figures["unindexed"]
            index_text = "yes" if indexed else "NO"
            if indexed and figures["bounded"]:
                index_text = "yes (1)"
            failures += (not server_ok) + (not indexed)
            count = f"~{figures['count']}" if figures["estimate"] else str(figures["count"])
            line = (
                f"| {figures['label']} | {count} | {figures['statements']} | "
                f"{figures['bare_ms']:.1f} ms | {server_ms:.1f} ms | {limit:.1f} ms | "
                f"{'yes' if server_ok else 'NO'} | {index_text} |"
            )
            if args.load:
                stats = client.wrk(
                    wrk_path, base + figures["path"], info["token"],
                    seconds=args.duration, connections=16, cpu=args.load_cpu,
                )  # fmt: skip
                line += f" {stats['rps']:.0f} | {stats['p99_ms']:.1f} ms |"
            print(line, flush=True)
        if any(figures["bounded"] for figures in measured):
            print(
                "\n(1) the bounded count (LIMIT 10001) reads the table sequentially: the seeded "
                "account holds the whole table; the page itself is on an index."
            )
        for figures in measured:
            for plan in figures["unindexed"]:
                print(f"\n{figures['label']}: a statement without an index:\n{plan}")
    finally:
        server.stop()
    list_timing.print_verdict(failures)


if __name__ == "__main__":
    main()
