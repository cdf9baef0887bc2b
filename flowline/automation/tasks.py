"""The scheduler's automation tick (Celery beat, every minute)."""

from celery import shared_task

from flowline.automation.services.runs import schedule_tick


@shared_task(name="automation.tick", ignore_result=True, expires=55)
def tick() -> int:
    return schedule_tick()
