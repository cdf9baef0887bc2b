"""Socket.IO fan-out: one event to a room of N connected clients; time until each has it.

    .venv/bin/python benchmarks/socketio_fanout.py [--clients 500] [--rounds 20]

Needs Redis on 127.0.0.1:6379 (the event is published from this process through the
Redis manager, as a worker would). Prints p50/p99/max of delivery latency per client
and the time until the last client got each event.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time

import socketio

sys.path.insert(0, os.path.dirname(__file__))
from _server import flowline_server, login, percentile


async def run(
    base_url: str, token: str, redis_url: str, account_room: str, clients: int, rounds: int
):
    received: dict[int, list[float]] = {}
    done = asyncio.Event()

    def on_event(data):
        received.setdefault(data["round"], []).append(time.perf_counter() - data["sent"])
        if len(received[data["round"]]) == clients:
            done.set()

    sockets = []
    for _ in range(clients):
        client = socketio.AsyncClient(reconnection=False)
        client.on("bench", on_event)
        sockets.append(client)
    started = time.perf_counter()
    for start in range(0, clients, 50):  # connect in batches to stay polite to one server
        await asyncio.gather(
            *(
                c.connect(
                    base_url,
                    socketio_path="api/socket.io",
                    auth={"token": token},
                    transports=["websocket"],
                    wait_timeout=30,
                )
                for c in sockets[start : start + 50]
            )
        )
    print(f"{clients} clients connected in {time.perf_counter() - started:.1f}s")

    emitter = socketio.RedisManager(redis_url, channel="flowline-socketio", write_only=True)
    last_client = []
    for round_number in range(rounds):
        done.clear()
        emitter.emit(
            "bench", {"round": round_number, "sent": time.perf_counter()}, room=account_room
        )
        await asyncio.wait_for(done.wait(), timeout=30)
        last_client.append(max(received[round_number]))
    latencies = [value for values in received.values() for value in values]
    for client in sockets:
        await client.disconnect()
    return latencies, last_client


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    args = parser.parse_args()
    with flowline_server({"REDIS_URL": args.redis, "FLOWLINE_EMBEDDED_WORKER": "false"}) as (
        base_url,
        _,
        creds,
    ):
        token = login(base_url, creds)
        latencies, last = asyncio.run(
            run(base_url, token, args.redis, "account_1", args.clients, args.rounds)
        )
    ms = [v * 1000 for v in latencies]
    last_ms = [v * 1000 for v in last]
    print(
        f"Socket.IO fan-out to {args.clients} clients, {args.rounds} events (one uvicorn process)"
    )
    p50, p99 = percentile(ms, 50), percentile(ms, 99)
    print(f"  per-client delivery  p50 {p50:.1f} ms  p99 {p99:.1f} ms  max {max(ms):.1f} ms")
    p50, p99 = percentile(last_ms, 50), percentile(last_ms, 99)
    print(f"  last client got it   p50 {p50:.1f} ms  p99 {p99:.1f} ms")


if __name__ == "__main__":
    main()
