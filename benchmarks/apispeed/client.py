"""The load: wrk on its own core against each server in turn, best run kept."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from pathlib import Path

from apispeed.servers import pg_sessions, tree_cpu_seconds

LUA = Path(__file__).resolve().parents[1] / "wrk_report.lua"
ENDPOINTS = {
    "me": "/api/v1/auth/me/",
    "sites list": "/api/v1/auth/sites/?page_size=25",
    "site detail": "/api/v1/auth/sites/{site_id}/",
}


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


def check(name: str, label: str, url: str, token: str, sites: int) -> None:
    status, body = fetch(url, token)
    # The stock app answers DRF's own bodies, without Flowline's envelope.
    assert status == 200 and (name == "stock" or body["success"]), (name, label, status, body)
    if label == "sites list":
        assert len(body["results"]) == 25 and body["count"] == sites, (name, body["count"])


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
