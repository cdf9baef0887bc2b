"""Scaled mode: Celery workers as processes on Redis. A worker killed mid-job loses nothing."""

import os
import signal
import subprocess
import sys
import time

import pytest
import redis
from django.conf import settings
from django.db import connection

from flowline.jobs import services
from flowline.jobs.models import Job

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not settings.REDIS_URL or connection.vendor != "postgresql",
        reason="needs Redis as broker and PostgreSQL shared between processes",
    ),
]


def _worker(name: str) -> subprocess.Popen:
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        "FLOWLINE_JOB_STALE_SECONDS": "3",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-P",
            "solo",
            "-n",
            f"{name}@%h",
            "-I",
            "flowline.jobs.testing",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "WARNING",
            "-Q",
            settings.CELERY_TASK_DEFAULT_QUEUE,
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait(predicate, timeout=60.0, *, what=""):
    deadline = time.monotonic() + timeout
    while not predicate():  # polling the database for another process's progress
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_a_worker_killed_mid_job_does_not_lose_it(owner):
    client = redis.Redis.from_url(settings.REDIS_URL)
    first = _worker("first")
    second = None
    try:
        # given: a job running on the first worker
        job = services.job_start(kind="test.wait_for_release", account_id=owner.account_id)
        _wait(lambda: Job.unscoped.get(id=job.id).status == Job.Status.PROCESSING, what="start")
        # when: the worker is killed without warning, and another one is running
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        second = _worker("second")
        # then: the job is delivered again and taken over, and finishes once released
        _wait(lambda: Job.unscoped.get(id=job.id).attempts >= 2, what="takeover")
        client.rpush(f"flowline:test:release:{job.id}", "go")
        _wait(lambda: Job.unscoped.get(id=job.id).status == Job.Status.COMPLETED, what="end")
        assert Job.unscoped.get(id=job.id).result == {"attempt": 2}
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=10)
            if process is not None:
                print(process.stderr.read().decode()[-3000:])
