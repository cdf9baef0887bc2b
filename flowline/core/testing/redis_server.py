"""A Redis of a test's own, started and stopped by the test, that can be paused.

`RedisServer()` runs `redis-server` on a free port without persistence; it is ready when
the server says so on its output. `pause()` holds every client's commands
(`CLIENT PAUSE ... ALL`) as a stalled or overloaded Redis would: connections succeed,
answers never come. Leaving the block kills the server, paused or not.
"""

from __future__ import annotations

import shutil
import socket
import subprocess

import redis


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    def __enter__(self) -> RedisServer:
        self._process = subprocess.Popen(  # noqa: S603 (fixed arguments, a test's own server)
            [
                shutil.which("redis-server") or "redis-server",
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--loglevel", "notice"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for line in self._process.stdout:
            if "Ready to accept connections" in line:
                return self
        self.__exit__(None, None, None)
        raise RuntimeError("redis-server exited before accepting connections")

    def pause(self, seconds: int = 120) -> None:
        """Hold every command of every client for `seconds` (or until the server stops)."""
        client = redis.Redis.from_url(self.url, socket_timeout=5)
        client.execute_command("CLIENT", "PAUSE", str(seconds * 1000), "ALL")
        client.close()

    def __exit__(self, *exc) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process.stdout.close()
            self._process = None
