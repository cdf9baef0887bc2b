"""The Flowline processes under test (embedded uvicorn, or the Procfile under honcho), and
their memory and CPU."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
META_SECRET = "mixed-load-meta-secret"
SHELLS = ("sh", "bash", "dash")
THROTTLES = {
    name: "1000000000/min"
    for name in (
        "THROTTLE_USER",
        "THROTTLE_ANON",
        "THROTTLE_AI",
        "THROTTLE_LOGIN",
        "THROTTLE_LOGIN_IDENTITY",
    )
}


def postgres_url(base: str, name: str) -> str:
    import psycopg

    parts = urlsplit(base)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def wait_until_serving(urls: list[str], process, timeout: float = 120) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    for url in urls:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited while starting ({url})")
            try:
                urllib.request.urlopen(f"{url}/api/v1/system/status/", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{url} did not answer in {timeout} s") from None
                time.sleep(0.2)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Deployment:
    """The Flowline processes under test, and their memory."""

    def __init__(self, args, var_dir: str, wordpress_url: str):
        self.mode = args.mode
        self.var_dir = var_dir
        wp_host = urlsplit(wordpress_url).netloc
        self.env = {
            **os.environ,
            **THROTTLES,
            "FLOWLINE_VAR_DIR": var_dir,
            "LOG_LEVEL": "WARNING",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "META_APP_SECRET": META_SECRET,
            "WORDPRESS_ALLOW_HTTP": "true",
            "FLOWLINE_ALLOWED_PRIVATE_HOSTS": wp_host,
            "OPENAI_API_KEY": "",
            "OPENAI_BASE_URL": "",
        }
        for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"):
            self.env.pop(name, None)
        if self.mode == "embedded":
            port = free_port()
            self.urls = [f"http://127.0.0.1:{port}"]
            self.env.update(
                {
                    "DJANGO_SETTINGS_MODULE": "config.settings.base",
                    "FLOWLINE_EMBEDDED": "true",
                    "FRONTEND_URL": self.urls[0],
                }
            )
        else:
            ports = [free_port(), free_port()]
            self.urls = [f"http://127.0.0.1:{p}" for p in ports]
            self.env.update(
                {
                    "DJANGO_SETTINGS_MODULE": "config.settings.production",
                    "DATABASE_URL": postgres_url(args.database_url, args.database_name),
                    "REDIS_URL": args.redis_url,
                    "SECRET_KEY": secrets.token_urlsafe(50),
                    "SECURE_SSL_REDIRECT": "false",
                    "FRONTEND_URL": self.urls[0],
                    "WEB1_PORT": str(ports[0]),
                    "WEB2_PORT": str(ports[1]),
                    "FLOWLINE_SANDBOX": "false",
                }
            )
            subprocess.run(["redis-cli", "-u", args.redis_url, "flushdb"], check=True)
        # Seeding and checking read the same database; they never start a worker.
        self.tool_env = {
            **self.env,
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "FLOWLINE_EMBEDDED_WORKER": "false",
        }
        self.process = None

    def start(self) -> None:
        log = open(Path(self.var_dir) / "server.log", "w")  # noqa: SIM115 (kept open while it runs)
        if self.mode == "embedded":
            command = [
                sys.executable, "-m", "uvicorn", "config.asgi:application", "--host",
                "127.0.0.1", "--port", self.urls[0].rsplit(":", 1)[1], "--no-access-log",
            ]  # fmt: skip
        else:
            command = [str(Path(sys.executable).with_name("honcho")), "start", "-f", "Procfile"]
        self.process = subprocess.Popen(
            command, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        wait_until_serving(self.urls, self.process)

    def processes(self) -> dict[str, list]:
        """Role name -> the psutil processes whose RSS it sums (a worker with its pool)."""
        import psutil

        root = psutil.Process(self.process.pid)
        if self.mode == "embedded":
            return {"web+worker": [root]}
        roles: dict[str, list] = {}
        for child in root.children(recursive=True):
            try:
                cmd = " ".join(child.cmdline())
                # honcho runs each line through a shell; a prefork worker's pool processes
                # are counted with their worker
                parent = child.parent()
                if child.name() in SHELLS or (
                    parent.name() not in SHELLS and "celery" in " ".join(parent.cmdline())
                ):
                    continue
            except psutil.Error:
                continue
            if "uvicorn" in cmd:
                port = cmd.split("--port", 1)[1].split()[0]
                name = "web1" if self.urls[0].endswith(f":{port}") else "web2"
                roles.setdefault(name, []).append(child)
            elif "celery" in cmd and " worker" in cmd:
                name = cmd.split(" -n ", 1)[1].split("@", 1)[0]
                roles.setdefault(name, []).append(child)
            elif "celery" in cmd and " beat" in cmd:
                roles.setdefault("beat", []).append(child)
        return roles

    def rss(self) -> dict[str, float]:
        """MiB per role (a prefork worker counts its pool processes too)."""
        import psutil

        sizes = {}
        for role, processes in self.processes().items():
            total = 0
            for p in processes:
                try:
                    total += p.memory_info().rss
                    if "worker" in role:
                        total += sum(c.memory_info().rss for c in p.children(recursive=True))
                except psutil.Error:
                    pass
            sizes[role] = total / 2**20
        return sizes

    def cpu_seconds(self) -> float:
        """User + system CPU of every Flowline process (web, workers, beat) so far."""
        import psutil

        total = 0.0
        for processes in self.processes().values():
            for p in processes:
                try:
                    for q in [p, *p.children(recursive=True)]:
                        times = q.cpu_times()
                        total += times.user + times.system
                except psutil.Error:
                    pass
        return total

    def stop(self) -> None:
        import signal

        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
