"""A fresh `make run` for tests: a new installation (its own var directory, SQLite file and
secret key) migrated, bootstrapped and served by uvicorn in its own process, with none of
Flowline's settings in its environment, exactly as the Makefile's `run` target starts it.

The Makefile itself is not called: its `install` step would pip-install into the venv."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from django.conf import settings

from flowline.realtime.testing import free_port

# Flowline's own configuration, which a fresh install has none of.
OWN_SETTINGS = (
    "FLOWLINE_",
    "DJANGO_",
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "FRONTEND_URL",
    "EMAIL_URL",
    "SOCIAL_",
    "STRIPE_",
    "DRIVE_",
    "META_",
    "VAPID_",
    "CELERY_",
)


@dataclass
class Installation:
    url: str
    var_dir: Path
    email: str
    password: str
    process: subprocess.Popen

    port: int = 0
    env: dict | None = None

    def log(self) -> str:
        return (self.var_dir / "server.log").read_text(errors="replace")

    def restart(self) -> None:
        """Stop the server and start it again on the same installation and port."""
        _stop(self.process)
        self.process = _serve(self.port, self.env, self.var_dir)
        _wait_until_up(self, 120)


def _environment(var_dir: Path, url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(OWN_SETTINGS)}
    return env | {
        "FLOWLINE_EMBEDDED": "true",
        "FLOWLINE_VAR_DIR": str(var_dir),
        "FRONTEND_URL": url,
    }


@contextmanager
def fresh_make_run(var_dir: Path, *, timeout: float = 240):
    """Yield an `Installation` served at http://127.0.0.1:<free port> (the Makefile's `run`:
    migrate, collectstatic, bootstrap, uvicorn); stop its server afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = _environment(var_dir, url)
    manage = [sys.executable, "manage.py"]
    for step in (
        ["migrate", "--noinput", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        ["bootstrap", "--url", url],
    ):
        done = subprocess.run(
            manage + step,
            env=env,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, f"{step[0]} failed:\n{done.stderr}"
    email, password = (var_dir / "admin-credentials.txt").read_text().split()
    process = _serve(port, env, var_dir)
    installation = Installation(url, var_dir, email, password, process, port, env)
    try:
        _wait_until_up(installation, timeout)
        yield installation
    finally:
        _stop(installation.process)


def _serve(port: int, env: dict, var_dir: Path) -> subprocess.Popen:
    uvicorn = [sys.executable, "-m", "uvicorn", "config.asgi:application"]
    with open(var_dir / "server.log", "ab") as log:
        return subprocess.Popen(
            [*uvicorn, "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGINT)  # uvicorn's graceful stop
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_until_up(installation: Installation, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:  # readiness, not timing: bounded by the deadline
        if installation.process.poll() is not None:
            raise AssertionError(f"the server stopped:\n{installation.log()}")
        try:
            if httpx.get(f"{installation.url}/api/v1/system/status/").status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"the server did not start:\n{installation.log()}")
        time.sleep(0.2)
