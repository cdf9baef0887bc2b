"""The Flowline processes under test (embedded uvicorn, or the Procfile under honcho), and
their memory and CPU."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flowline.core.testing import throwaway
from flowline.core.testing.throwaway import free_port

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
                    "DATABASE_URL": throwaway.database_next_to(
                        args.database_url, args.database_name
                    ),
                    "REDIS_URL": args.redis_url,
                    "SECRET_KEY": secrets.token_urlsafe(50),
                    "SECURE_SSL_REDIRECT": "false",
                    "FRONTEND_URL": self.urls[0],
                    "WEB1_PORT": str(ports[0]),
                    "WEB2_PORT": str(ports[1]),
                    "FLOWLINE_SANDBOX": "false",
                }
            )
            throwaway.redis_flush(args.redis_url)
        # Seeding and checking read the same database; they never start a worker.
        self.tool_env = {
            **self.env,
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "FLOWLINE_EMBEDDED_WORKER": "false",
        }
        self.server: throwaway.ServerProcess | None = None

    def start(self) -> None:
        if self.mode == "embedded":
            port = int(self.urls[0].rsplit(":", 1)[1])
            command = throwaway.uvicorn_command("config.asgi:application", port)
        else:
            command = throwaway.honcho_command()
        log = Path(self.var_dir) / "server.log"
        self.server = throwaway.ServerProcess(command, env=self.env, log=log)
        self.server.wait_until_serving(self.urls, timeout=120)

    def processes(self) -> dict[str, list]:
        """Role name -> the psutil processes whose RSS it sums (a worker with its pool)."""
        import psutil

        root = psutil.Process(self.server.pid)
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
        if self.server is not None:
            self.server.stop()
