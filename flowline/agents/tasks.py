"""The scheduler's agent tick (Celery beat, every second)."""

from celery import shared_task

from flowline.agents.services.processes import schedule_tick


@shared_task(name="agents.tick", ignore_result=True, expires=5)
def tick() -> int:
    return schedule_tick()
