"""Celery workers as real processes, for the scaled-mode tests (Redis as the broker,
PostgreSQL shared between processes): started on the test database, killed without
warning, and always stopped when the test ends (their log's tail printed)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable

import pytest
from django.conf import settings


def worker_process(name: str, *, env: dict | None = None, imports=()) -> subprocess.Popen:
    """A solo-pool Celery worker process on the test database, with `env` on top of ours
    and `imports` (modules registering test-only tasks or job kinds) loaded."""
    db = settings.DATABASES["default"]
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        **(env or {}),
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo"]
    command += ["-n", f"{name}@%h"]
    for module in imports:
        command += ["-I", module]
    command += ["--without-heartbeat", "--without-mingle", "--without-gossip"]
    command += ["-l", "WARNING", "-Q", settings.CELERY_TASK_DEFAULT_QUEUE]
    return subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        command,
        env=environment,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def kill(process: subprocess.Popen) -> None:
    """Kill without warning (SIGKILL), as a crash or an OOM kill would."""
    process.kill()
    process.wait(timeout=10)


def wait_until(
    predicate: Callable[[], bool],
    timeout: float = 60.0,
    *,
    what: str = "",
    every: float = 0.2,
    tick: Callable[[], object] | None = None,
) -> None:
    """Poll the database for another process's progress until `predicate()` holds
    (failing after `timeout`); `tick()` runs between looks (kick a sweep, say)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        if tick:
            tick()
        time.sleep(every)


@pytest.fixture
def worker_processes():
    """`start(name, env=..., imports=...)`: a worker process, stopped after the test."""
    started: list[subprocess.Popen] = []

    def start(name: str, **options) -> subprocess.Popen:
        process = worker_process(name, **options)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)
        print(process.stderr.read().decode()[-3000:])
