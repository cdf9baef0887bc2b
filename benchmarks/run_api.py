"""Flowline's API against a raw ASGI app and a stock DRF app doing the same queries.

    .venv/bin/python benchmarks/run_api.py [--db sqlite|postgres] [--duration 12]
        [--server uvicorn|granian] [--interface asgi|wsgi]

It starts three servers (the raw app of raw_asgi.py, the stock DRF app of stock_drf/ and
Flowline's config.asgi) with uvicorn (or granian, `--server`) as production would
(1 worker, no access log, DEBUG off, persistent database connections, no embedded Celery
worker), pinned to core 0, and loads them from core 1 with wrk: 16 connections,
--duration seconds per run, on 127.0.0.1 only, with a Bearer token. `--interface wsgi`
serves Flowline and the stock app through their WSGI entry points instead (the raw app
is ASGI only). Per endpoint, after a warm-up, the servers are loaded in turn --rounds
times (interleaved, so a busy neighbour hurts all alike) and the best run of each is
kept. It prints req/s, p50 and p99 per endpoint, the ratios Flowline / raw and
Flowline / stock DRF and whether the bars (ratio to raw >= 0.33, to stock >= 3,
p99 < 50 ms) are met, and stops by itself. On PostgreSQL it also prints how
many database sessions each server opened while measured (persistent connections: a few,
not one per request). FLOWLINE_ASGI_HANDLER=django measures Django's stock ASGI handler instead.

Throttling stays on, with THROTTLE_USER/THROTTLE_ANON raised so that it counts every
request (in the cache, Redis when REDIS_URL is set) but never answers 429.
--db postgres uses a `<name>_bench` database next to DATABASE_URL's `<name>` (created
when missing), never DATABASE_URL's own.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
LUA = Path(__file__).with_name("wrk_report.lua")
ENDPOINTS = {
    "me": "/api/v1/auth/me/",
    "sites list": "/api/v1/auth/sites/?page_size=25",
    "site detail": "/api/v1/auth/sites/{site_id}/",
}
THROTTLE = "1000000000/min"
BAR_RATIO, BAR_STOCK_RATIO, BAR_P99_MS = 0.33, 3.0, 50
# module:app per server and interface; the raw app is ASGI only.
APPS = {
    "raw": {"asgi": "benchmarks.raw_asgi:app", "wsgi": "benchmarks.raw_asgi:app"},
    "stock": {
        "asgi": "benchmarks.stock_drf.asgi:application",
        "wsgi": "benchmarks.stock_drf.wsgi:application",
    },
    "flowline": {"asgi": "config.asgi:application", "wsgi": "config.wsgi:application"},
}
SETTINGS = {"stock": "benchmarks.stock_drf.settings"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    print("wrk is missing: apt-get install -y wrk", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, timeout=300)
    path = shutil.which("wrk")
    if not path:
        subprocess.run(["apt-get", "update", "-qq"], check=False, timeout=300)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, timeout=300)
        path = shutil.which("wrk")
    return path


def bench_database_url(url: str) -> str:
    """DATABASE_URL with its database name suffixed `_bench` (created if absent):
    `flowline` gives `flowline_bench`; never DATABASE_URL's own database."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = f"{parts.path.strip('/') or 'flowline'}_bench"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(parts._replace(path=f"/{name}"))


def base_env(db: str, var_dir: Path) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "FLOWLINE_EMBEDDED": "true",  # an embedded install: it makes its own SECRET_KEY
        "FLOWLINE_VAR_DIR": str(var_dir),
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "THROTTLE_USER": THROTTLE,
        "THROTTLE_ANON": THROTTLE,
        "JWT_ACCESS_MINUTES": "600",
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "600"),
        # Production runs the worker and the scheduler as processes of their own.
        "FLOWLINE_EMBEDDED_WORKER": "false",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if db == "postgres":
        env["DATABASE_URL"] = bench_database_url(os.environ["DATABASE_URL"])
        # PostgreSQL connections persist in psycopg's pool (Django refuses the pool
        # together with CONN_MAX_AGE).
        env["DB_CONN_MAX_AGE"] = "0"
    else:
        env.pop("DATABASE_URL", None)
    return env


def wait_ready(url: str, server: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited with {server.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not come up in {timeout}s")


def fetch(url: str, token: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())


def wrk(wrk_path: str, url: str, token: str, *, seconds: int, connections: int, cpu: str) -> dict:
    command = [
        "taskset", "-c", cpu, wrk_path, "-t1", f"-c{connections}", f"-d{seconds}s",
        "--timeout", "5s", "-s", str(LUA), url,
    ]  # fmt: skip
    env = {**os.environ, "BENCH_TOKEN": token}
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=seconds + 30, check=True
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON "))
    return json.loads(line.removeprefix("BENCH_JSON "))


def serve(
    app: str, env: dict, cpu: str, extra: list[str], *, server: str, interface: str
) -> tuple[subprocess.Popen, str]:
    port = free_port()
    if server == "granian":
        command = [
            "taskset", "-c", cpu, PYTHON, "-m", "granian", "--interface", interface,
            "--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--no-ws",
            "--no-access-log", "--log-level", "warning", *extra,
        ]  # fmt: skip
        if interface == "wsgi":
            # As many request threads as Flowline's ASGI pool (FLOWLINE_WEB_THREADS).
            command += ["--blocking-threads", env.get("FLOWLINE_WEB_THREADS", "8")]
        command.append(app)
    else:
        command = [
            "taskset", "-c", cpu, PYTHON, "-m", "uvicorn", app, "--host", "127.0.0.1",
            "--port", str(port), "--no-access-log", "--log-level", "warning",
            "--interface", "asgi3" if interface == "asgi" else interface, *extra,
        ]  # fmt: skip
    # A session of its own: stop() ends the server's worker processes with it (granian
    # runs its worker as a child that outlived a killed parent).
    process = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    return process, f"http://127.0.0.1:{port}"


def stop(server: subprocess.Popen) -> None:
    """End the server and every process of its session (its workers)."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        with contextlib.suppress(ProcessLookupError):  # a worker the parent left behind
            os.killpg(server.pid, signal.SIGKILL)
        return


def check(name: str, label: str, url: str, token: str, sites: int) -> None:
    status, body = fetch(url, token)
    # The stock app answers DRF's own bodies, without Flowline's envelope.
    assert status == 200 and (name == "stock" or body["success"]), (name, label, status, body)
    if label == "sites list":
        assert len(body["results"]) == 25 and body["count"] == sites, (name, body["count"])


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and all its descendants (Linux /proc): the
    server's cost per request, which a loaded machine changes far less than req/s."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry.name))
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += times.get(current, 0.0)
        todo.extend(parents.get(current, []))
    return total


def pg_sessions(database_url: str | None) -> int | None:
    """Sessions ever opened on the benchmark database (PostgreSQL 14+), or None."""
    if not database_url:
        return None
    import psycopg

    parts = urlsplit(database_url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        row = conn.execute(
            "SELECT sessions FROM pg_stat_database WHERE datname = %s", (parts.path[1:],)
        ).fetchone()
    return None if row is None else int(row[0])


def measure(servers: dict, pids: dict, token: str, site_id: int, args, wrk_path: str) -> dict:
    """Interleaved: per endpoint, each server in turn, --rounds times; keep each best run."""
    figures: dict = {name: {} for name in servers}
    figures["sessions"] = {name: 0 for name in servers}
    for label, path in ENDPOINTS.items():
        if label not in args.endpoints:
            continue
        for name, base in servers.items():
            url = base + path.format(site_id=site_id)
            check(name, label, url, token, args.sites)
            wrk(wrk_path, url, token, seconds=2, connections=args.connections, cpu=args.load_cpu)
        for _ in range(args.rounds):
            for name, base in servers.items():
                url = base + path.format(site_id=site_id)
                sessions = pg_sessions(args.database_url)
                cpu = tree_cpu_seconds(pids[name])
                stats = wrk(
                    wrk_path,
                    url,
                    token,
                    seconds=args.duration,
                    connections=args.connections,
                    cpu=args.load_cpu,
                )
                cpu = tree_cpu_seconds(pids[name]) - cpu
                stats["cpu_ms"] = cpu * 1000 / max(stats["requests"], 1)
                if sessions is not None:
                    figures["sessions"][name] += pg_sessions(args.database_url) - sessions
                if stats["non2xx"] or stats["errors"]:
                    print(
                        f"  !! {name} {label}: {stats['non2xx']} non-2xx, {stats['errors']} errors"
                    )
                print(
                    f"  {name:<9} {label:<12} {stats['rps']:>8.0f} req/s  "
                    f"p50 {stats['p50_ms']:6.2f} ms  p99 {stats['p99_ms']:6.2f} ms  "
                    f"server CPU {stats['cpu_ms']:.3f} ms/request",
                    flush=True,
                )
                best = figures[name].get(label)
                if best is not None:
                    stats["cpu_ms"] = min(stats["cpu_ms"], best["cpu_ms"])
                if best is None or stats["rps"] > best["rps"]:
                    figures[name][label] = stats
                else:
                    best["cpu_ms"] = stats["cpu_ms"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres"],
        default="postgres" if os.environ.get("DATABASE_URL") else "sqlite",
    )
    parser.add_argument("--duration", type=int, default=12, help="seconds per endpoint (<=60)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2, help="interleaved runs, best kept")
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--endpoints", nargs="+", default=list(ENDPOINTS), choices=list(ENDPOINTS))
    parser.add_argument("--app", default="config.asgi:application", help="Flowline's app")
    parser.add_argument("--only", nargs="+", choices=list(APPS), help="measure these servers only")
    parser.add_argument("--server", choices=["uvicorn", "granian"], default="uvicorn")
    parser.add_argument(
        "--interface",
        choices=["asgi", "wsgi"],
        default="asgi",
        help="how Flowline and the stock app are served (the raw app is ASGI only)",
    )
    parser.add_argument(
        "--uvicorn-arg", "--server-arg", action="append", default=[], help="extra server flag"
    )
    parser.add_argument("--server-cpu", default="0")
    parser.add_argument("--load-cpu", default="1")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    args.duration = max(1, min(args.duration, 60))
    args.rounds = max(1, min(args.rounds, 5))

    wrk_path = ensure_wrk()
    var_dir = Path(tempfile.gettempdir()) / f"flowline-bench-{args.db}"
    var_dir.mkdir(exist_ok=True)
    env = base_env(args.db, var_dir)
    print(f"seeding {args.sites} sites ({args.db}, {var_dir}) ...", flush=True)
    seeded = subprocess.run(
        [PYTHON, str(ROOT / "benchmarks" / "seed.py"), "--sites", str(args.sites)],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    token = seeded.stdout.strip().splitlines()[-1]
    bench = json.loads((var_dir / "bench.json").read_text())
    site_id = first_site_id(env, bench)
    print(
        f"{args.server} ({args.interface}) 1 worker on core {args.server_cpu}, "
        f"wrk on core {args.load_cpu}, "
        f"{args.connections} connections, best of {args.rounds} interleaved runs of "
        f"{args.duration}s per endpoint; DEBUG off, "
        f"connections: {'psycopg pool' if args.db == 'postgres' else 'CONN_MAX_AGE='}"
        f"{'' if args.db == 'postgres' else env['DB_CONN_MAX_AGE']}, cache="
        f"{'redis' if env.get('REDIS_URL') else 'locmem'}, "
        f"throttling on with THROTTLE_USER={THROTTLE} so it never answers 429",
        flush=True,
    )
    args.database_url = env.get("DATABASE_URL")
    apps = {name: choices[args.interface] for name, choices in APPS.items()}
    if args.app != "config.asgi:application":
        apps["flowline"] = args.app
    if args.only:
        apps = {name: app for name, app in apps.items() if name in args.only}
    started = {}
    try:
        for name, app in apps.items():
            interface = "asgi" if name == "raw" else args.interface
            server_env = {
                **env,
                "DJANGO_SETTINGS_MODULE": SETTINGS.get(name, env["DJANGO_SETTINGS_MODULE"]),
            }
            started[name] = serve(
                app, server_env, args.server_cpu, args.uvicorn_arg,
                server=args.server, interface=interface,
            )  # fmt: skip
        for server, base in started.values():
            wait_ready(f"{base}/api/v1/auth/me/", server)
        bases = {name: base for name, (_, base) in started.items()}
        pids = {name: server.pid for name, (server, _) in started.items()}
        figures = measure(bases, pids, token, site_id, args, wrk_path)
    finally:
        for server, _ in started.values():
            stop(server)
    sessions = figures.pop("sessions")
    if args.database_url:
        # A persistent connection or pool opens a handful of sessions, not one per request.
        print(
            "PostgreSQL sessions opened during the measured runs: "
            + ", ".join(f"{name} {count}" for name, count in sessions.items())
        )
    if "flowline" in figures and len(figures) > 1:
        print_table(figures, args.db)
    if args.json:
        Path(args.json).write_text(
            json.dumps({"db": args.db, **figures, "pg_sessions": sessions}, indent=2)
        )


def print_table(figures: dict, db: str) -> None:
    def figure(name: str, label: str, key: str, spec: str) -> str:
        return format(figures[name][label][key], spec) if name in figures else "-"

    def ratio(name: str, label: str) -> str:
        if name not in figures:
            return "-"
        return f"{figures['flowline'][label]['rps'] / figures[name][label]['rps']:.2f}"

    print()
    print(
        f"| endpoint ({db}) | raw req/s | stock DRF req/s | Flowline req/s "
        "| Flowline / raw | Flowline / stock | Flowline p50 | Flowline p99 "
        f"| bar (raw >= {BAR_RATIO}, stock >= {BAR_STOCK_RATIO:g}, p99 < {BAR_P99_MS} ms) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for label, flow in figures["flowline"].items():
        met = flow["p99_ms"] < BAR_P99_MS
        if "raw" in figures:
            met = met and flow["rps"] / figures["raw"][label]["rps"] >= BAR_RATIO
        if "stock" in figures:
            met = met and flow["rps"] / figures["stock"][label]["rps"] >= BAR_STOCK_RATIO
        print(
            f"| {label} | {figure('raw', label, 'rps', '.0f')} "
            f"| {figure('stock', label, 'rps', '.0f')} | {flow['rps']:.0f} "
            f"| {ratio('raw', label)} | {ratio('stock', label)} | {flow['p50_ms']:.1f} ms "
            f"| {flow['p99_ms']:.1f} ms | {'met' if met else 'NOT met'} |"
        )
    print()
    print(
        f"| endpoint ({db}) | raw server CPU | stock DRF server CPU | Flowline server CPU "
        "| stock / Flowline (target >= 3) | Flowline <= 1 ms |"
    )
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for label, flow in figures["flowline"].items():
        stock = figures.get("stock", {}).get(label)
        versus = f"{stock['cpu_ms'] / flow['cpu_ms']:.2f}x" if stock else "-"
        print(
            f"| {label} | {figure('raw', label, 'cpu_ms', '.3f')} ms "
            f"| {figure('stock', label, 'cpu_ms', '.3f')} ms | {flow['cpu_ms']:.3f} ms "
            f"| {versus} "
            f"| {'met' if flow['cpu_ms'] <= 1 else 'NOT met'} |"
        )


def first_site_id(env: dict, bench: dict) -> int:
    if env.get("DATABASE_URL"):
        import psycopg

        with psycopg.connect(env["DATABASE_URL"]) as conn:
            row = conn.execute(
                "SELECT MIN(id) FROM sites_site WHERE account_id = %s", (bench["account_id"],)
            ).fetchone()
    else:
        import sqlite3

        with sqlite3.connect(Path(env["FLOWLINE_VAR_DIR"]) / "flowline.sqlite3") as conn:
            row = conn.execute(
                "SELECT MIN(id) FROM sites_site WHERE account_id = ?", (bench["account_id"],)
            ).fetchone()
    return row[0]


if __name__ == "__main__":
    main()
