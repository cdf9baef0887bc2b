"""Celery tasks: thin wrappers over the services, so the same code runs embedded or scaled."""

from celery import shared_task

from flowline.jobs import services


@shared_task(name="jobs.run", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_job(job_id: str) -> str:
    return services.run(job_id)


@shared_task(name="jobs.recover", ignore_result=True)
def recover_jobs() -> int:
    return services.recover()
