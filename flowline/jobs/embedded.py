"""Embedded mode: a Celery worker and beat running as threads of the web process.

The same Celery tasks run as with separate worker processes; the broker is in memory,
so the database is the durable queue: at start, `recover()` re-sends every job a
previous process left queued or half-done.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import connections

logger = logging.getLogger("flowline.jobs")


class EmbeddedRuntime:
    def __init__(self):
        self.worker = None
        self.beat = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        from celery import beat

        from config.celery import app
        from flowline.jobs.services import recover

        with self._lock:
            if self.running:
                return
            app.loader.import_default_modules()
            self.worker = app.WorkController(
                concurrency=settings.FLOWLINE_EMBEDDED_CONCURRENCY,
                pool="threads",
                loglevel="WARNING",
                hostname=f"embedded@{threading.get_native_id()}",
                without_heartbeat=True,
                without_mingle=True,
                without_gossip=True,
                queues=[settings.CELERY_TASK_DEFAULT_QUEUE],
            )
            self._thread = threading.Thread(
                target=self.worker.start, daemon=True, name="celery-embedded"
            )
            self._thread.start()
            self.beat = beat.EmbeddedService(app, thread=True)
            self.beat.start()
        try:
            # An in-memory broker starts empty: every queued job's message is gone.
            forgot = settings.CELERY_BROKER_URL.startswith("memory://")
            recovered = recover(resend_after=0 if forgot else None)
        finally:
            # Called from a short-lived thread (the server's startup): a connection left
            # open here would never go back to the pool.
            connections.close_all()
        logger.info("Embedded worker started; %s unfinished jobs sent again", recovered)

    def stop(self) -> None:
        with self._lock:
            if self.beat is not None:
                self.beat.stop()
                self.beat = None
            if self.worker is not None:
                self.worker.stop(in_sighandler=False)
                self.worker = None
            if self._thread is not None:
                self._thread.join(timeout=10)
                self._thread = None


runtime = EmbeddedRuntime()


def start_if_enabled() -> None:
    """Start the embedded worker with the web server, when FLOWLINE_EMBEDDED_WORKER is on."""
    if settings.FLOWLINE_EMBEDDED_WORKER:
        runtime.start()


def stop_if_enabled() -> None:
    if settings.FLOWLINE_EMBEDDED_WORKER:
        runtime.stop()
