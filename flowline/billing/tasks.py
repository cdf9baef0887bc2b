"""Scheduled billing work (Celery beat)."""

from celery import shared_task

from flowline.billing.services.subscriptions import subscriptions_renew_due


@shared_task(name="billing.renew_subscriptions", ignore_result=True)
def renew_subscriptions() -> int:
    return subscriptions_renew_due()
