"""Start a throwaway Flowline server for a benchmark and sign in to it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flowline.core.testing import throwaway  # noqa: E402 (after the path it needs)
from flowline.core.testing.throwaway import PYTHON, free_port  # noqa: E402


@contextmanager
def flowline_server(extra_env: dict | None = None, *, cpu: str | None = None):
    """Migrate a fresh embedded database, start uvicorn, yield (base_url, env, credentials)."""
    var = throwaway.var_dir("flowline-bench-")
    env = {
        **os.environ,
        "FLOWLINE_VAR_DIR": var,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "FLOWLINE_EMBEDDED": "true",  # an embedded install: it makes its own SECRET_KEY
        "THROTTLE_USER": "100000000/min",
        "THROTTLE_ANON": "100000000/min",
        "THROTTLE_AI": "100000000/min",
        "LOG_LEVEL": "WARNING",
        **(extra_env or {}),
    }
    throwaway.migrate(env)
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "bootstrap"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    email, password = (Path(var) / "admin-credentials.txt").read_text().split()
    port = free_port()
    command = throwaway.uvicorn_command("config.asgi:application", port, "--log-level", "warning")
    base_url = f"http://127.0.0.1:{port}"
    with throwaway.ServerProcess(command, env=env, cpu=cpu) as server:
        # The status pings the Celery workers for up to 1 s: with none yet (scaled mode
        # starts its worker after the server) a shorter timeout never succeeds.
        server.wait_until_serving([base_url])
        yield base_url, env, {"email": email, "password": password}


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
