"""Scaled mode: Celery workers as processes on Redis. A worker killed mid-job loses nothing."""

import pytest
import redis
from django.conf import settings
from django.db import connection

from flowline.core.testing.workers import kill, wait_until
from flowline.jobs import services
from flowline.jobs.models import Job

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not settings.REDIS_URL or connection.vendor != "postgresql",
        reason="needs Redis as broker and PostgreSQL shared between processes",
    ),
]


# A short visibility timeout and stale window, so a killed worker's job comes back soon.
WORKER_ENV = {
    "CELERY_VISIBILITY_TIMEOUT": "3",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    "FLOWLINE_JOB_STALE_SECONDS": "3",
}


def _worker(start, name: str):
    return start(name, env=WORKER_ENV, imports=["flowline.jobs.testing"])


def test_a_worker_killed_mid_job_does_not_lose_it(owner, worker_processes):
    client = redis.Redis.from_url(settings.REDIS_URL)
    first = _worker(worker_processes, "first")
    # given: a job running on the first worker
    job = services.job_start(kind="test.wait_for_release", account_id=owner.account_id)
    wait_until(lambda: Job.unscoped.get(id=job.id).status == Job.Status.PROCESSING, what="start")
    # when: the worker is killed without warning, and another one is running
    kill(first)
    _worker(worker_processes, "second")
    # then: the job is delivered again and taken over, and finishes once released
    wait_until(lambda: Job.unscoped.get(id=job.id).attempts >= 2, what="takeover")
    client.rpush(f"flowline:test:release:{job.id}", "go")
    wait_until(lambda: Job.unscoped.get(id=job.id).status == Job.Status.COMPLETED, what="end")
    assert Job.unscoped.get(id=job.id).result == {"attempt": 2}
