"""Start a throwaway Flowline server for a benchmark and sign in to it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def flowline_server(extra_env: dict | None = None, *, cpu: str | None = None):
    """Migrate a fresh embedded database, start uvicorn, yield (base_url, env, credentials)."""
    var_dir = tempfile.mkdtemp(prefix="flowline-bench-")
    env = {
        **os.environ,
        "FLOWLINE_VAR_DIR": var_dir,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "FLOWLINE_EMBEDDED": "true",  # an embedded install: it makes its own SECRET_KEY
        "THROTTLE_USER": "100000000/min",
        "THROTTLE_ANON": "100000000/min",
        "THROTTLE_AI": "100000000/min",
        "LOG_LEVEL": "WARNING",
        **(extra_env or {}),
    }
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*manage, "bootstrap"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    email, password = (Path(var_dir) / "admin-credentials.txt").read_text().split()
    port = free_port()
    command = [
        PYTHON,
        "-m",
        "uvicorn",
        "config.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    if cpu:
        command = ["taskset", "-c", cpu, *command]
    server = subprocess.Popen(command, env=env, cwd=ROOT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(1200):  # up to 60 s: a loaded machine starts Django slowly
            if server.poll() is not None:
                raise RuntimeError("the server exited while starting")
            try:
                # The status pings the Celery workers for up to 1 s: with none yet (scaled
                # mode starts its worker after the server) a 1 s timeout never succeeded.
                urllib.request.urlopen(f"{base_url}/api/v1/system/status/", timeout=10)
                break
            except OSError:
                time.sleep(0.05)
        yield base_url, env, {"email": email, "password": password}
    finally:
        server.terminate()
        server.wait(timeout=20)


def login(base_url: str, credentials: dict) -> str:
    request = urllib.request.Request(
        f"{base_url}/api/v1/auth/login/",
        data=json.dumps(credentials).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["data"]["tokens"]["access"]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]
