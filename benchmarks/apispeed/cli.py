"""The command line: seed, serve, load, print."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
from pathlib import Path

import apispeed
from apispeed.client import ENDPOINTS, ensure_wrk, measure
from apispeed.report import print_table
from apispeed.servers import (
    APPS,
    SETTINGS,
    THROTTLE,
    base_env,
    first_site_id,
    serve,
    wait_ready,
)
from flowline.core.testing.throwaway import PYTHON, ROOT


def main() -> None:
    parser = argparse.ArgumentParser(description=apispeed.__doc__.splitlines()[0])
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
            wait_ready(server, base)
        bases = {name: base for name, (_, base) in started.items()}
        pids = {name: server.pid for name, (server, _) in started.items()}
        figures = measure(bases, pids, token, site_id, args, wrk_path)
    finally:
        for server, _ in started.values():
            server.stop()
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
