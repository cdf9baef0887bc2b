"""Celery tasks: the first attempt right away, the rest from the periodic sweep."""

from celery import shared_task

from flowline.webhooks import services


@shared_task(name="webhooks.deliver", acks_late=True, ignore_result=True)
def deliver(delivery_id: int) -> str:
    return services.deliver(delivery_id)


@shared_task(name="webhooks.deliver_due", ignore_result=True, expires=60)
def deliver_due() -> dict:
    return services.deliver_due()
