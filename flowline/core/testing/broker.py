"""A broker that is down: Celery pointed at a closed port, for tests of what happens
when a message cannot be sent (nothing lost, no 500)."""

from __future__ import annotations

import contextlib

from config.celery import app as celery_app


@contextlib.contextmanager
def broker_down():
    """Within the block every `apply_async` fails at once with kombu's OperationalError,
    as it does when Redis or RabbitMQ refuses the connection."""
    conf = celery_app.conf
    saved = (
        conf.broker_url,
        conf.broker_connection_retry,
        conf.broker_transport_options,
        celery_app._pool,
        celery_app.amqp._producer_pool,
    )
    conf.broker_url = "amqp://guest@127.0.0.1:9//"  # the discard port: nothing listens
    conf.broker_connection_retry = False
    conf.broker_transport_options = {"max_retries": 0}
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        if celery_app._pool is not None:
            celery_app._pool.force_close_all()
        (
            conf.broker_url,
            conf.broker_connection_retry,
            conf.broker_transport_options,
            celery_app._pool,
            celery_app.amqp._producer_pool,
        ) = saved
