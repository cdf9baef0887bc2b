"""One heartbeat for leases: while a long step runs, a thread renews its lease, so the lease
can be short (a dead worker's work is taken over in seconds) and never run out under a
worker that is alive but slow (a long AI call, a platform that takes its time)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

logger = logging.getLogger("flowline.heartbeat")


@contextmanager
def beating(beat: Callable[[], object], *, every: float, name: str = "heartbeat") -> Iterator[None]:
    """Call `beat()` every `every` seconds in a thread until the block ends."""
    stop = threading.Event()

    def run() -> None:
        from django.db import connection

        try:
            while not stop.wait(every):
                try:
                    beat()
                except Exception:  # a missed beat must not kill the others (DB blip)
                    logger.warning("%s: a beat failed", name, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=run, daemon=True, name=name)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
