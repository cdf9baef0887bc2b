"""Identity's periodic work: expired account export archives."""

from celery import shared_task

from flowline.identity.services.account_export import account_exports_sweep


@shared_task(
    name="identity.sweep_account_exports", ignore_result=True, soft_time_limit=300, time_limit=360
)
def sweep_account_exports() -> int:
    """Delete the archives (and jobs) of account exports past their expiry."""
    return account_exports_sweep()
