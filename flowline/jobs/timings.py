"""Where a job's time goes: wall and CPU time per phase (claim, progress writes, events,
the handler, the end and its finish listeners), for `benchmarks/jobs_throughput.py`.

Off unless FLOWLINE_JOB_TIMINGS names a file; then each run of a job (and each start of
one) appends one JSON line with its phases there. A phase's time is its own: a phase
inside another (events inside a progress step) is not counted twice.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from django.conf import settings

_local = threading.local()
_write_lock = threading.Lock()


@cache
def _path() -> str:
    return getattr(settings, "FLOWLINE_JOB_TIMINGS", "")


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Time the block as `name` (exclusive of the phases nested in it)."""
    if not _path():
        yield
        return
    stack = _local.__dict__.setdefault("stack", [])
    totals = _local.__dict__.setdefault("totals", {})
    # [wall at start, cpu at start, wall of nested phases, cpu of nested phases]
    frame = [time.perf_counter(), time.thread_time(), 0.0, 0.0]
    stack.append(frame)
    try:
        yield
    finally:
        stack.pop()
        wall = time.perf_counter() - frame[0]
        cpu = time.thread_time() - frame[1]
        entry = totals.setdefault(name, [0, 0.0, 0.0])
        entry[0] += 1
        entry[1] += wall - frame[2]
        entry[2] += cpu - frame[3]
        if stack:
            stack[-1][2] += wall
            stack[-1][3] += cpu


def flush(where: str, job_id=None) -> None:
    """Write this thread's phases since the last flush as one line tagged `where`."""
    if not _path():
        return
    totals = _local.__dict__.pop("totals", None)
    if not totals:
        return
    line = json.dumps(
        {
            "where": where,
            "job": str(job_id) if job_id is not None else None,
            "at": time.time(),
            "process_cpu": time.process_time(),
            "phases": {
                name: {"n": count, "wall": wall, "cpu": cpu}
                for name, (count, wall, cpu) in totals.items()
            },
        }
    )
    with _write_lock, open(_path(), "a") as out:
        out.write(line + "\n")
