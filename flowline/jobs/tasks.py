"""Celery tasks: thin wrappers over the services, so the same code runs embedded or scaled."""

from celery import shared_task
from celery.signals import worker_ready

from flowline.core import leases
from flowline.jobs import services


@shared_task(name="jobs.run", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_job(job_id: str) -> str:
    return services.run(job_id)


@leases.sweep_task("jobs.recover")
def recover_jobs() -> int:
    return services.recover()


@worker_ready.connect
def _recover_on_start(**kwargs) -> None:
    """A (re)started worker sends again what stopped processes left behind."""
    services.recover()
