"""The Celery app. Embedded mode runs its worker and beat inside the web process
(flowline.jobs.embedded); scaled mode runs `celery -A config worker` and `celery -A config beat`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("flowline")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
