import contextlib

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from config.celery import app as celery_app
from flowline.sandbox.push.push_service import b64url


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


@pytest.fixture
def vapid(settings):
    """A fresh VAPID key pair in the settings; yields the public key browsers see."""
    key = ec.generate_private_key(ec.SECP256R1())
    settings.VAPID_PRIVATE_KEY = b64url(key.private_numbers().private_value.to_bytes(32, "big"))
    settings.VAPID_PUBLIC_KEY = ""
    settings.VAPID_SUBJECT = "mailto:ops@flowline.test"
    return b64url(
        key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )
