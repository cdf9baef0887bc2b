"""The three servers under test: their database, environment, processes and CPU."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
THROTTLE = "1000000000/min"
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


def serve(
    app: str,
    env: dict,
    cpu: str,
    extra: list[str],
    *,
    server: str = "uvicorn",
    interface: str = "asgi",
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
