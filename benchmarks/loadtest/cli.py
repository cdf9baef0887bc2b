"""The command line: seed, start the servers, run Locust, audit, report."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import loadtest
from flowline.core.testing import throwaway
from flowline.core.testing.throwaway import ROOT
from loadtest.report import error_kinds, memory_summary, print_report, report_stats
from loadtest.servers import Deployment
from loadtest.users import build_users

SCRIPT = ROOT / "benchmarks" / "mixed_load.py"


def internal(command: str, spec_path: str) -> None:
    """`--internal seed|verify|wordpress SPEC`: the parts that run in their own process."""
    spec = json.loads(Path(spec_path).read_text())
    if command == "wordpress":
        from flowline.sandbox.wordpress.fake_wordpress import FakeWordPress

        server = FakeWordPress()
        server.mounted_history = 0
        server.start()
        Path(spec["out"]).write_text(json.dumps({"base_url": server.base_url}))
        while True:  # until the driver terminates it
            time.sleep(3600)
    import django

    django.setup()
    from loadtest.audit import verify
    from loadtest.seed import seed

    result = seed(spec) if command == "seed" else verify(spec)
    Path(spec["out"]).write_text(json.dumps(result, indent=2, default=str))


def load_average() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


def run_internal(command: str, spec: dict, env: dict, var_dir: str) -> dict:
    spec_path = Path(var_dir) / f"{command}-spec.json"
    out = Path(var_dir) / f"{command}-out.json"
    spec_path.write_text(json.dumps({**spec, "out": str(out)}))
    subprocess.run(
        [sys.executable, str(SCRIPT), "--internal", command, str(spec_path)],
        env=env,
        cwd=ROOT,
        check=True,
    )
    return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=loadtest.__doc__.splitlines()[0])
    parser.add_argument("--internal", nargs=2, metavar=("COMMAND", "SPEC"), help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=["embedded", "scaled"], default="embedded")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=2.0, help="users started per s")
    parser.add_argument("--duration", type=float, default=600.0)
    parser.add_argument("--soak", type=float, default=0.0, help="a memory soak of this many s")
    parser.add_argument("--warmup", type=float, default=None, help="s (default: a fifth)")
    parser.add_argument("--sample", type=float, default=5.0, help="RSS sampling period, s")
    parser.add_argument("--grace", type=float, default=300.0, help="s for the jobs to end")
    parser.add_argument("--accounts", type=int, default=5)
    parser.add_argument("--users-per-account", type=int, default=8)
    parser.add_argument("--wait", type=float, nargs=2, default=(1.0, 5.0), metavar=("MIN", "MAX"))
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres",
    )
    parser.add_argument("--database-name", default="flowline_h7_load")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--json", help="write every figure here")
    args = parser.parse_args()
    if args.internal:
        internal(*args.internal)
        return
    duration = args.soak or args.duration
    warmup = args.warmup if args.warmup is not None else duration / 5
    run(args, duration, warmup)


def run(args, duration: float, warmup: float) -> None:
    var_dir = throwaway.var_dir(f"flowline-load-{args.mode}-")
    print(f"mixed load, {args.mode}: {args.users} users for {duration:.0f} s; var {var_dir}")
    print(f"  load average at start: {load_average()}", flush=True)
    wp_spec = Path(var_dir) / "wordpress-spec.json"
    wp_out = Path(var_dir) / "wordpress.json"
    wp_spec.write_text(json.dumps({"out": str(wp_out)}))
    wordpress = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--internal", "wordpress", str(wp_spec)], cwd=ROOT
    )
    deployment = None
    try:
        while not wp_out.exists():
            if wordpress.poll() is not None:
                raise RuntimeError("the sandbox WordPress did not start")
            time.sleep(0.1)
        wordpress_url = json.loads(wp_out.read_text())["base_url"]
        deployment = Deployment(args, var_dir, wordpress_url)
        started = time.perf_counter()
        seeded = run_internal(
            "seed",
            {
                "accounts": args.accounts,
                "users_per_account": args.users_per_account,
                "wordpress_url": wordpress_url,
            },
            deployment.tool_env,
            var_dir,
        )
        print(f"  seeded in {time.perf_counter() - started:.0f} s", flush=True)
        deployment.start()
        print(f"  serving at {', '.join(deployment.urls)}; load average {load_average()}")
        result = drive(args, deployment, seeded, duration, warmup)
        checked = run_internal(
            "verify",
            {
                "accounts": [a["id"] for a in seeded["accounts"]],
                "grace": args.grace,
                "job_ids": result["ledger"]["job_ids"],
                "paid_kinds": ["ai.generate_text", "planner.auto_cluster"],
            },
            deployment.tool_env,
            var_dir,
        )
        result["verify"] = checked
        result["load_average_end"] = load_average()
    finally:
        if deployment is not None:
            deployment.stop()
        wordpress.terminate()
        wordpress.wait(timeout=10)
    print_report(args, result, duration, warmup)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, default=str))


def drive(args, deployment: Deployment, seeded: dict, duration: float, warmup: float) -> dict:
    import gevent
    from locust.env import Environment

    ledger = {"job_ids": [], "chat_sent": 0, "events_accepted": 0}
    classes = build_users(seeded, deployment.urls, ledger, tuple(args.wait))
    environment = Environment(user_classes=classes)
    runner = environment.create_local_runner()
    samples: list[tuple[float, dict[str, float], str]] = []
    began = time.monotonic()

    def sample_memory() -> None:
        while True:
            samples.append((time.monotonic() - began, deployment.rss(), load_average()))
            gevent.sleep(args.sample)

    def progress() -> None:
        while True:
            gevent.sleep(60)
            total = environment.stats.total
            rss = ", ".join(f"{k} {v:.0f}" for k, v in samples[-1][1].items()) if samples else ""
            print(
                f"  [{time.monotonic() - began:5.0f} s] {total.num_requests} requests, "
                f"{total.num_failures} failed, p99 so far "
                f"{total.get_response_time_percentile(0.99) if total.num_requests else 0} ms; "
                f"RSS MiB {rss}; load {load_average()}",
                flush=True,
            )

    sampler = gevent.spawn(sample_memory)
    reporter = gevent.spawn(progress)
    cpu_before = deployment.cpu_seconds()
    runner.start(args.users, spawn_rate=args.spawn_rate)
    gevent.sleep(duration)
    runner.stop()
    runner.quit()
    samples.append((time.monotonic() - began, deployment.rss(), load_average()))
    cpu = deployment.cpu_seconds() - cpu_before
    sampler.kill()
    reporter.kill()
    rows, details = report_stats(environment.stats)
    errors = [
        {"name": e.name, "error": str(e.error)[:300], "occurrences": e.occurrences}
        for e in environment.stats.errors.values()
    ]
    return {
        "mode": args.mode,
        "users": args.users,
        "duration_s": duration,
        "warmup_s": warmup,
        "journeys": rows,
        **details,
        "errors": sorted(errors, key=lambda e: -e["occurrences"])[:30],
        "error_kinds": error_kinds(errors),
        "server_cpu_s": cpu,
        "server_cpu_ms_per_request": 1000 * cpu / max(1, environment.stats.total.num_requests),
        "memory": memory_summary(samples, warmup),
        "memory_samples": [(round(t), rss, la) for t, rss, la in samples],
        "ledger": ledger,
    }
