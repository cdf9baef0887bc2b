"""Socket.IO fan-out: one event to a room of N connected clients; time until each has it.

    .venv/bin/python benchmarks/socketio_fanout.py [--clients 500] [--rounds 20] \
        [--client-processes 4] [--redis redis://127.0.0.1:6379/N]

Needs Redis (the event is published from this process through the Redis manager, as a
worker would). Prints p50/p99/max of delivery latency per client and the time until the
last client got each event, with the load average.

The clients run in `--client-processes` processes of their own (asyncio, one loop each):
500 clients on one loop decode their 500 copies one after the other, so the last one's
latency measured that loop as much as the server (`--client-processes 1` shows it). The
latency is taken on the system-wide monotonic clock, the same in every process. The
server's CPU time per event (from /proc, Linux) is printed too: the figure that does not
depend on the machine's load.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from _server import flowline_server, login, percentile


def _server_cpu_seconds(port: int) -> float | None:
    """CPU time (user + system) of the process listening on `port`, from /proc."""
    try:
        import subprocess

        pid = subprocess.run(
            ["fuser", f"{port}/tcp"], capture_output=True, text=True, check=False
        ).stdout.split()
        with open(f"/proc/{int(pid[0])}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def clients_process(base_url, token, clients, rounds, ready, results) -> None:
    """Connect `clients` sockets, say so on `ready`, then send back each round's latencies."""
    import socketio

    async def run() -> None:
        received: dict[int, list[float]] = {}
        complete = {n: asyncio.Event() for n in range(rounds)}

        def on_event(data):
            latencies = received.setdefault(data["round"], [])
            latencies.append(time.monotonic() - data["sent"])
            if len(latencies) == clients:
                complete[data["round"]].set()

        sockets = []
        for _ in range(clients):
            client = socketio.AsyncClient(reconnection=False)
            client.on("bench", on_event)
            sockets.append(client)
        for start in range(0, clients, 50):  # in batches, to stay polite to one server
            await asyncio.gather(
                *(
                    c.connect(
                        base_url,
                        socketio_path="api/socket.io",
                        auth={"token": token},
                        transports=["websocket"],
                        wait_timeout=60,
                    )
                    for c in sockets[start : start + 50]
                )
            )
        ready.put(clients)
        for round_number in range(rounds):
            # a socket that dropped (a ping missed under load) is counted, not waited for
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(complete[round_number].wait(), timeout=20)
            got = list(received.get(round_number, []))
            results.put((round_number, got, sum(not c.connected for c in sockets)))
        for client in sockets:
            await client.disconnect()

    asyncio.run(run())


def run(base_url, token, redis_url, room, clients, rounds, processes, port):
    import socketio

    context = multiprocessing.get_context("spawn")
    ready, results = context.Queue(), context.Queue()
    shares = [
        clients // processes + (1 if n < clients % processes else 0) for n in range(processes)
    ]
    workers = [
        context.Process(
            target=clients_process, args=(base_url, token, share, rounds, ready, results)
        )
        for share in shares
        if share
    ]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    connected = sum(ready.get(timeout=300) for _ in workers)
    print(f"{connected} clients connected in {time.monotonic() - started:.1f}s")

    emitter = socketio.RedisManager(redis_url, channel="flowline-socketio", write_only=True)
    latencies: list[float] = []
    last_client: list[float] = []
    missed = dropped = 0
    cpu_before = _server_cpu_seconds(port)
    loads = []
    for round_number in range(rounds):
        emitter.emit("bench", {"round": round_number, "sent": time.monotonic()}, room=room)
        this_round: list[float] = []
        for _ in workers:
            got, values, disconnected = results.get(timeout=120)
            assert got == round_number
            this_round.extend(values)
            dropped = max(dropped, disconnected) if round_number == rounds - 1 else dropped
        missed += clients - len(this_round)
        latencies.extend(this_round)
        last_client.append(max(this_round))
        loads.append(os.getloadavg()[0])
        time.sleep(0.05)  # let the round's stragglers (pings, acks) settle
    cpu_after = _server_cpu_seconds(port)
    for worker in workers:
        worker.join(timeout=60)
    server_cpu = None
    if cpu_before is not None and cpu_after is not None:
        server_cpu = (cpu_after - cpu_before) / rounds
    if missed:
        print(f"  {missed} deliveries missing; {dropped} sockets disconnected by the end")
    return latencies, last_client, server_cpu, loads


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--client-processes", type=int, default=4)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    args = parser.parse_args()
    with flowline_server({"REDIS_URL": args.redis, "FLOWLINE_EMBEDDED_WORKER": "false"}) as (
        base_url,
        _,
        creds,
    ):
        token = login(base_url, creds)
        port = int(base_url.rsplit(":", 1)[1])
        latencies, last, server_cpu, loads = run(
            base_url,
            token,
            args.redis,
            "account_1",
            args.clients,
            args.rounds,
            args.client_processes,
            port,
        )
    ms = [v * 1000 for v in latencies]
    last_ms = [v * 1000 for v in last]
    print(
        f"Socket.IO fan-out to {args.clients} clients, {args.rounds} events (one uvicorn "
        f"process; clients in {args.client_processes} processes; load average "
        f"{min(loads):.1f}-{max(loads):.1f})"
    )
    p50, p99 = percentile(ms, 50), percentile(ms, 99)
    print(f"  per-client delivery  p50 {p50:.1f} ms  p99 {p99:.1f} ms  max {max(ms):.1f} ms")
    print(f"  target p99 < 100 ms: {'met' if p99 < 100 else 'NOT met'}")
    p50, p99 = percentile(last_ms, 50), percentile(last_ms, 99)
    print(f"  last client got it   p50 {p50:.1f} ms  p99 {p99:.1f} ms")
    if server_cpu is not None:
        print(
            f"  server CPU per event {server_cpu * 1000:.1f} ms "
            f"({server_cpu * 1e6 / args.clients:.0f} us per client)"
        )


if __name__ == "__main__":
    main()
