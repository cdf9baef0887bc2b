"""Job kinds for tests: they wait on events the test controls, so no test sleeps."""

from __future__ import annotations

import os
import threading
from collections import defaultdict

from flowline.jobs.handlers import PermanentJobError, TransientJobError, job_handler
from flowline.jobs.services import register_finish_listener

# A test opens a gate to let a waiting job take its next step.
gates: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(0))
runs: dict[str, int] = defaultdict(int)
# Set when a job (of any kind) has ended and its end is recorded, for a test to wait on.
ended: dict[str, threading.Event] = defaultdict(threading.Event)
register_finish_listener(lambda job: ended[str(job.id)].set())


@job_handler("test.steps", max_attempts=3)
def steps(job):
    """Goes through `steps` steps; with `gated`, waits for the test before each one."""
    total = int(job.payload.get("steps", 4))
    runs[str(job.id)] += 1
    for step in range(1, total + 1):
        if job.payload.get("gated") and not gates[str(job.id)].acquire(timeout=30):
            raise PermanentJobError("test gate never opened", code="test_timeout")
        job.progress(
            int(step * 100 / total), phase=f"STEP_{step}", message=f"Step {step} of {total}"
        )
    return {"steps": total}


@job_handler("test.flaky", max_attempts=3)
def flaky(job):
    """Fails transiently until its attempt number reaches `succeed_on`."""
    runs[str(job.id)] += 1
    if job.attempt < int(job.payload.get("succeed_on", 2)):
        raise TransientJobError("provider is busy", code="rate_limited", retry_after=0.01)
    return {"attempt": job.attempt}


@job_handler("test.broken", max_attempts=3)
def broken(job):
    """Fails for good at once."""
    raise PermanentJobError("The provider rejected the API key.", code="bad_key")


@job_handler("test.wait_for_release", max_attempts=3)
def wait_for_release(job):
    """Reports it started, then blocks until the test pushes to a Redis list (cross-process)."""
    import redis
    from django.conf import settings

    runs[str(job.id)] += 1
    # the pid tells a multi-process test which worker process to kill
    job.progress(10, phase="WAITING", message=f"attempt {job.attempt} pid {os.getpid()}")
    client = redis.Redis.from_url(settings.REDIS_URL)
    key = f"flowline:test:release:{job.id}"
    for _ in range(120):
        if client.blpop([key], timeout=1):
            break
        job.check_cancelled()
    else:
        raise PermanentJobError("never released", code="test_timeout")
    return {"attempt": job.attempt}
