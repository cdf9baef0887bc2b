"""Every periodic task in the beat schedule can be sent: it is registered, and its soft
time limit is below its hard one (Celery refuses to send a task otherwise, so beat would
log an error every period and the work would never run)."""

import pytest
from django.conf import settings

from config.celery import app as celery_app


@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_each_beat_entry_names_a_task_that_can_be_sent(entry):
    celery_app.loader.import_default_modules()
    name = settings.CELERY_BEAT_SCHEDULE[entry]["task"]

    assert name in celery_app.tasks, f"{entry}: no task named {name!r}"
    task = celery_app.tasks[name]
    soft = task.soft_time_limit or celery_app.conf.task_soft_time_limit
    hard = task.time_limit or celery_app.conf.task_time_limit
    assert soft is None or hard is None or soft <= hard, f"{name}: soft {soft} > hard {hard}"


def test_each_periodic_task_expires_within_its_period():
    # A periodic task queued while no worker runs is dropped at its next tick instead of
    # piling up and running in a burst when workers come back.
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        expires = entry.get("options", {}).get("expires")
        assert expires is not None and 0 < expires <= float(entry["schedule"]), name
