"""Events per second through `POST /api/v1/analytics/events/` in embedded mode.

    .venv/bin/python benchmarks/analytics_ingest.py [--seconds 15] [--clients 4] [--batch 1000]
        [--event-ids]

Starts a throwaway server (SQLite, one uvicorn process, loopback), signs in, makes an API
key with `analytics:write` as a server-side tracker would, then `--clients` threads post
batches for `--seconds` and the script prints what the server stored per second. Bodies
are encoded before the clock starts so the clients (on the same machine) cost little;
`--event-ids` gives every event a fresh client id (the dedup lookup runs on each batch).
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

import httpx
import orjson

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _server import flowline_server, login, percentile

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
    args = parser.parse_args()

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
    with flowline_server() as (base_url, _env, creds):
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
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started

    flat = [value for per_client in latencies for value in per_client]
    total = sum(stored)
    print(f"clients={args.clients} batch={args.batch} event_ids={args.event_ids}")
    print(f"requests={len(flat)} errors={sum(errors)} events_stored={total}")
    print(f"elapsed={elapsed:.1f}s  events/s={total / elapsed:,.0f}")
    print(
        f"request latency ms: p50={percentile(flat, 50) * 1000:.0f} "
        f"p95={percentile(flat, 95) * 1000:.0f} max={max(flat) * 1000:.0f}"
    )


if __name__ == "__main__":
    main()
