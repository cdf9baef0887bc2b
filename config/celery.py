"""The Celery app. Embedded mode runs its worker and beat inside the web process
(flowline.jobs.embedded); scaled mode runs `celery -A config worker` and `celery -A config beat`."""

import os
import sys

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("flowline")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Celery's Django fix-up closes this thread's database connections before and after every
# task unless CELERY_DB_REUSE_MAX is set, so each job opened a new one (on SQLite a new
# handle and its set-up, about 2 ms of CPU; on PostgreSQL a checkout with its health
# query). Its own count then never comes round; connections are handed back the way
# Django does after a request instead: kept for CONN_MAX_AGE (SQLite), returned to
# psycopg's pool (PostgreSQL, CONN_MAX_AGE 0), dropped when unusable.
app.conf["CELERY_DB_REUSE_MAX"] = sys.maxsize


@task_prerun.connect
@task_postrun.connect
def _hand_back_connections(task=None, **kwargs) -> None:
    from django.db import close_old_connections

    if task is not None and getattr(task.request, "is_eager", False):
        return  # run inline by its caller, inside the caller's transaction (as the fix-up)
    close_old_connections()
