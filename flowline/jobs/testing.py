"""Job kinds for tests: they wait on events the test controls, so no test sleeps."""

from __future__ import annotations

import threading
from collections import defaultdict

from flowline.jobs.handlers import PermanentJobError, TransientJobError, job_handler

# A test opens a gate to let a waiting job take its next step.
gates: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(0))
runs: dict[str, int] = defaultdict(int)


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
