"""Events per second through `POST /api/v1/analytics/events/` in embedded mode.

    .venv/bin/python benchmarks/analytics_ingest.py [--seconds 15] [--clients 4] [--batch 1000]
        [--event-ids] [--db sqlite|postgres]

Starts a throwaway server (one uvicorn process, loopback; SQLite in a temporary folder, or
on PostgreSQL a `<name>_ingest_http` database next to DATABASE_URL's `<name>`, dropped at
the end), signs in, makes an API key with `analytics:write` as a server-side tracker would,
then `--clients` threads post batches for `--seconds` and the script prints what the
server stored per second against issue 18's 10,000 events/s, with the load average, and
the server's CPU time per 1,000 events (its process, plus its database backends on
PostgreSQL): the figure a loaded machine moves least. Bodies are encoded before the clock
starts so the clients (on the same machine) cost little; `--event-ids` gives every event a
fresh client id (deduplicated by the database on each batch).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import orjson

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contextlib

from _server import flowline_server, login, percentile, throwaway

LIMIT = 10_000
TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def server_pid(port: int) -> int:
    """The uvicorn process listening on `port` (started by this script)."""
    wanted = f"--port\0{port}\0".encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if wanted in (entry / "cmdline").read_bytes():
                    return int(entry.name)
            except OSError:
                continue
    raise RuntimeError("server process not found")


def backends_cpu(url: str | None) -> float:
    """CPU seconds used so far by the database's backends (0 on SQLite)."""
    if not url:
        return 0.0
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        pids = [
            row[0]
            for row in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
        ]
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            total += process_cpu(pid)
    return total


def scratch_database(db: str):
    """(url, drop) for a fresh PostgreSQL database next to DATABASE_URL's, or (None, noop)."""
    if db != "postgres":
        return None, lambda: None
    base = os.environ["DATABASE_URL"]
    url = throwaway.database_next_to(base, urlsplit(base).path.strip("/") + "_ingest_http")
    return url, lambda: throwaway.database_drop(url)


TYPES = ["page_view"] * 6 + ["product_view"] * 3 + ["add_to_cart", "checkout_started", "purchase"]
PLATFORMS = ["web", "web", "instagram", "facebook", "twitter", "whatsapp"]


def batch_body(size: int, *, event_ids: bool, rng: random.Random) -> bytes:
    now = datetime.now(UTC)
    events = []
    for _ in range(size):
        event_type = rng.choice(TYPES)
        event = {
            "event_type": event_type,
            "platform": rng.choice(PLATFORMS),
            "session_id": f"s{rng.randrange(50_000)}",
            "occurred_at": (now - timedelta(seconds=rng.randrange(86_400))).isoformat(),
            "properties": {"path": f"/p/{rng.randrange(500)}"},
        }
        if event_type == "purchase":
            event["value"] = f"{rng.randrange(500, 20_000) / 100:.2f}"
            event["currency"] = "USD"
        if event_ids:
            event["event_id"] = str(uuid.uuid4())
        events.append(event)
    return orjson.dumps({"events": events})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--event-ids", action="store_true")
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres"],
        default="postgres" if os.environ.get("DATABASE_URL") else "sqlite",
    )
    args = parser.parse_args()
    url, drop = scratch_database(args.db)
    extra_env = {"DATABASE_URL": url} if url else {}
    if not url:
        os.environ.pop("DATABASE_URL", None)

    rng = random.Random(7)
    # Enough distinct bodies that every request within the run can be a new one when
    # event ids are on (each id is stored once; a repeat would be a duplicate).
    bodies_per_client = 60 if args.event_ids else 4
    bodies = [
        [
            batch_body(args.batch, event_ids=args.event_ids, rng=rng)
            for _ in range(bodies_per_client)
        ]
        for _ in range(args.clients)
    ]
    try:
        with flowline_server(extra_env) as (base_url, _env, creds):
            pid = server_pid(int(base_url.rsplit(":", 1)[1]))
            access = login(base_url, creds)
            key = httpx.post(
                f"{base_url}/api/v1/auth/api-keys/",
                json={"name": "bench tracker", "scopes": ["analytics:write"]},
                headers={"Authorization": f"Bearer {access}"},
            ).json()["data"]["key"]
            headers = {"Authorization": f"Api-Key {key}", "Content-Type": "application/json"}
            stored = [0] * args.clients
            latencies: list[list[float]] = [[] for _ in range(args.clients)]
            errors = [0] * args.clients
            deadline = time.perf_counter() + args.seconds

            def client(index: int) -> None:
                with httpx.Client(base_url=base_url, headers=headers, timeout=30) as http:
                    sent = 0
                    while time.perf_counter() < deadline and sent < len(bodies[index]) * 1000:
                        body = bodies[index][sent % len(bodies[index])]
                        sent += 1
                        began = time.perf_counter()
                        response = http.post("/api/v1/analytics/events/", content=body)
                        latencies[index].append(time.perf_counter() - began)
                        if response.status_code in (200, 201):
                            stored[index] += response.json()["data"]["accepted"]
                        else:
                            errors[index] += 1

            # Warm up: the first request imports and opens what later ones reuse.
            httpx.post(
                f"{base_url}/api/v1/analytics/events/",
                content=orjson.dumps({"events": [{"event_type": "page_view"}]}),
                headers=headers,
            )
            threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
            cpu_before = process_cpu(pid) + backends_cpu(url)
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            server_cpu = process_cpu(pid) + backends_cpu(url) - cpu_before
    finally:
        drop()

    flat = [value for per_client in latencies for value in per_client]
    total = sum(stored)
    rate = total / elapsed
    print(f"db={args.db} clients={args.clients} batch={args.batch} event_ids={args.event_ids}")
    print(f"requests={len(flat)} errors={sum(errors)} events_stored={total}")
    verdict = "ok" if rate >= LIMIT else "UNDER"
    print(f"elapsed={elapsed:.1f}s  events/s={rate:,.0f} (limit {LIMIT:,}: {verdict})")
    where = "process + database backends" if url else "process"
    per_thousand = server_cpu / total * 1000 * 1000
    print(
        f"server CPU ({where}): {per_thousand:.0f} ms per 1,000 events = "
        f"{total / server_cpu:,.0f} events per CPU-second"
    )
    print("load average " + " ".join(f"{value:.1f}" for value in os.getloadavg()))
    print(
        f"request latency ms: p50={percentile(flat, 50) * 1000:.0f} "
        f"p95={percentile(flat, 95) * 1000:.0f} max={max(flat) * 1000:.0f}"
    )


if __name__ == "__main__":
    main()
