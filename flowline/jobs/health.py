"""Broker and worker checks for `system/status/`."""

from django.conf import settings

from flowline.system import health


def _broker() -> str:
    if settings.CELERY_BROKER_URL.startswith("memory://"):
        return "embedded"
    from config.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=2)
    return "connected"


def _worker() -> str:
    if settings.FLOWLINE_EMBEDDED_WORKER:
        from flowline.jobs.embedded import runtime

        return "running (embedded)" if runtime.running else "not running (embedded)"
    from config.celery import app

    replies = app.control.ping(timeout=1.0)
    if not replies:
        raise RuntimeError("no worker answered")
    return f"running ({len(replies)} workers)"


health.register("broker", _broker)
# Workers may be briefly away (deploys); jobs wait in the queue, so the API stays up.
health.register("worker", _worker, required=False, aliases=("celery",))
