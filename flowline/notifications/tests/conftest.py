import contextlib

import pytest

from config.celery import app as celery_app


@contextlib.contextmanager
def tasks_run_eagerly():
    """Celery tasks queued in the block run at once, in this thread (Celery's own test
    mode): the email and push deliveries notify() hands to a worker."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


@pytest.fixture
def eager_tasks():
    with tasks_run_eagerly():
        yield
