"""The three servers under test: their database, environment, processes and CPU."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from flowline.core.testing import throwaway
from flowline.core.testing.throwaway import PYTHON, free_port

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


def bench_database_url(url: str) -> str:
    """DATABASE_URL with its database name suffixed `_bench` (created if absent):
    `flowline` gives `flowline_bench`; never DATABASE_URL's own database."""
    name = f"{urlsplit(url).path.strip('/') or 'flowline'}_bench"
    return throwaway.database_next_to(url, name, fresh=False)


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
    url = bench_database_url(os.environ["DATABASE_URL"]) if db == "postgres" else None
    return throwaway.on_database(env, url)


def serve(
    app: str,
    env: dict,
    cpu: str,
    extra: list[str],
    *,
    server: str = "uvicorn",
    interface: str = "asgi",
) -> tuple[throwaway.ServerProcess, str]:
    port = free_port()
    if server == "granian":
        command = [
            PYTHON, "-m", "granian", "--interface", interface,
            "--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--no-ws",
            "--no-access-log", "--log-level", "warning", *extra,
        ]  # fmt: skip
        if interface == "wsgi":
            # As many request threads as Flowline's ASGI pool (FLOWLINE_WEB_THREADS).
            command += ["--blocking-threads", env.get("FLOWLINE_WEB_THREADS", "8")]
        command.append(app)
    else:
        asgi = "asgi3" if interface == "asgi" else interface
        command = throwaway.uvicorn_command(
            app, port, "--log-level", "warning", "--interface", asgi, *extra
        )
    # A session of its own: stop() ends the server's worker processes with it (granian
    # runs its worker as a child that outlived a killed parent).
    server_process = throwaway.ServerProcess(command, env=env, cpu=cpu)
    return server_process, f"http://127.0.0.1:{port}"


def wait_ready(server: throwaway.ServerProcess, base: str) -> None:
    """Until the app answers (the raw and stock apps have no status page: `me` without a
    token answers 401), for up to 4 minutes on a loaded machine."""
    server.wait_until_serving([base], path="/api/v1/auth/me/", timeout=240)


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
