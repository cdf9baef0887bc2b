"""A throwaway Flowline for benchmarks and multi-process tests.

A scratch database (a temporary var dir for SQLite, or a PostgreSQL database dropped and
made again next to the one a URL names, never that one), a flushed Redis db, migrations,
and server processes (uvicorn, the Procfile under honcho) started in a session of their
own, waited for until they answer and stopped with every process they started. It imports
nothing of Django's: a benchmark's driver uses it before (and without) setting Django up.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[3]
PYTHON = sys.executable
STATUS_PATH = "/api/v1/system/status/"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def var_dir(prefix: str = "flowline-") -> str:
    """A new temporary FLOWLINE_VAR_DIR: an embedded install's SQLite database, secret key
    and files."""
    return tempfile.mkdtemp(prefix=prefix)


def _admin_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def database_next_to(url: str, name: str, *, fresh: bool = True) -> str:
    """The URL of database `name` on the PostgreSQL server of `url`: dropped and made again
    when `fresh` (never `url`'s own database), else made only when missing."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    if fresh and name == parts.path.strip("/"):
        raise ValueError(f"{name} is the database of {url}: a scratch one must be another")
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        if fresh:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_drop(url: str) -> None:
    """Drop the PostgreSQL database `url` names, ending its sessions."""
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.strip("/")
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def on_database(env: dict[str, str], url: str | None) -> dict[str, str]:
    """`env` pointed at the PostgreSQL database `url`, or with None at the var dir's SQLite.
    PostgreSQL connections persist in psycopg's pool (Django refuses the pool together with
    CONN_MAX_AGE, so that is 0)."""
    env = dict(env)
    if url:
        env.update({"DATABASE_URL": url, "DB_CONN_MAX_AGE": "0"})
    else:
        env.pop("DATABASE_URL", None)
    return env


def redis_flush(url: str) -> None:
    """Empty the Redis db `url` names (a scratch one: never the CI's or your neighbours')."""
    import redis

    redis.Redis.from_url(url).flushdb()


def migrate(env: dict[str, str]) -> None:
    """`manage.py migrate` in a process of its own, on the database `env` names."""
    command = [PYTHON, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"]
    subprocess.run(command, env=env, cwd=ROOT, check=True)  # noqa: S603 (our interpreter)


def uvicorn_command(app: str, port: int, *extra: str) -> list[str]:
    """uvicorn serving `app` on 127.0.0.1:`port`, no access log."""
    return [
        PYTHON, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
        "--no-access-log", *extra,
    ]  # fmt: skip


def honcho_command() -> list[str]:
    """The project's Procfile under honcho: two web nodes, two Celery workers and beat."""
    return [str(Path(PYTHON).with_name("honcho")), "start", "-f", "Procfile"]


class ServerProcess:
    """A server command in a session of its own, so that stopping it ends every process it
    started (honcho's nodes and workers, a worker granian left behind)."""

    def __init__(
        self,
        command: list[str],
        *,
        env: dict[str, str],
        log: Path | None = None,
        cpu: str | None = None,
        cwd: Path = ROOT,
    ):
        if cpu is not None:
            command = ["taskset", "-c", cpu, *command]
        self.log = log
        output = log.open("w") if log is not None else None
        self.process = subprocess.Popen(  # noqa: S603 (the caller's own server command)
            command,
            env=env,
            cwd=cwd,
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
            start_new_session=True,
        )
        if output is not None:
            output.close()  # the child holds its own copy
        self.pid = self.process.pid

    def log_tail(self, size: int = 3000) -> str:
        return self.log.read_text()[-size:] if self.log is not None else ""

    def wait_until_serving(
        self, urls: list[str], *, path: str = STATUS_PATH, timeout: float = 60.0
    ) -> None:
        """Return once every URL answers `path` with any status under 500; raise if the
        process exits or `timeout` s pass first (a loaded machine starts Django slowly)."""
        deadline = time.monotonic() + timeout
        for url in urls:
            while True:  # readiness of another process, bounded by the deadline
                if self.process.poll() is not None:
                    raise RuntimeError(
                        f"the server exited while starting ({url})\n{self.log_tail()}"
                    )
                try:
                    urllib.request.urlopen(f"{url}{path}", timeout=10).close()  # noqa: S310 (http)
                    break
                except urllib.error.HTTPError as answer:
                    if answer.code < 500:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{url} did not answer in {timeout} s\n{self.log_tail()}")
                time.sleep(0.1)

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM to the session, SIGKILL if it has not ended within `timeout` s; then
        SIGKILL to whatever of the session outlived its leader."""
        try:
            os.killpg(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=timeout)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
