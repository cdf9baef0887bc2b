import pytest

from config.celery import app as celery_app


@pytest.fixture
def eager_tasks():
    """Celery tasks queued during the test run at once, in this thread (Celery's own
    test mode): the email and push deliveries notify() hands to a worker."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous
