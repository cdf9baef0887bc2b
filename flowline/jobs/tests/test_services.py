"""The job engine, driven through its services (no worker needed)."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from flowline.core.errors import ConflictError
from flowline.jobs import services
from flowline.jobs.models import Job
from flowline.jobs.testing import runs


@pytest.fixture
def start(owner, django_capture_on_commit_callbacks):
    def start_job(kind="test.steps", payload=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=False):
            return services.job_start(
                kind=kind,
                account_id=owner.account_id,
                user_id=owner.user.id,
                payload=payload or {},
                **kwargs,
            )

    return start_job


def test_job_runs_to_completion_with_rising_progress(start):
    # given
    job = start(payload={"steps": 4})
    assert job.status == Job.Status.QUEUED
    # when
    outcome = services.run(job.id)
    # then
    job.refresh_from_db()
    assert outcome == "completed"
    assert (job.status, job.progress, job.result) == (Job.Status.COMPLETED, 100, {"steps": 4})
    assert job.started_at and job.finished_at and job.attempts == 1


def test_a_job_is_never_run_twice(start):
    # given: a job that already ran
    job = start()
    services.run(job.id)
    # when: its message is delivered again (redelivery, recovery, a second worker)
    outcome = services.run(job.id)
    # then
    assert outcome == "skipped"
    assert runs[str(job.id)] == 1


def test_transient_errors_retry_with_backoff_then_succeed(start):
    # given: a job whose provider is busy on the first attempt
    job = start(kind="test.flaky", payload={"succeed_on": 2})
    # when
    first = services.run(job.id)
    job.refresh_from_db()
    # then: queued again for later, with the reason
    assert first == "retrying"
    assert job.status == Job.Status.QUEUED and job.run_after is not None
    assert job.error_code == "rate_limited"
    # when: the retry runs
    assert services.run(job.id) == "completed"
    job.refresh_from_db()
    assert job.result == {"attempt": 2} and job.attempts == 2


def test_transient_errors_stop_after_max_attempts(start):
    job = start(kind="test.flaky", payload={"succeed_on": 99})
    outcomes = [services.run(job.id) for _ in range(3)]
    job.refresh_from_db()
    assert outcomes == ["retrying", "retrying", "failed"]
    assert job.status == Job.Status.FAILED and job.error_code == "rate_limited"


def test_permanent_error_fails_at_once_with_a_clear_error(start):
    job = start(kind="test.broken")
    assert services.run(job.id) == "failed"
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "The provider rejected the API key." and job.error_code == "bad_key"
    assert job.attempts == 1


def test_cancelling_a_queued_job_keeps_it_from_running(start):
    job = start()
    services.job_cancel(job=job)
    assert job.status == Job.Status.CANCELLED
    assert services.run(job.id) == "skipped"
    assert runs[str(job.id)] == 0


def test_a_job_whose_worker_died_is_taken_over(start):
    # given: a job left "processing" by a worker that stopped beating
    job = start()
    Job.unscoped.filter(id=job.id).update(
        status=Job.Status.PROCESSING,
        attempts=1,
        heartbeat_at=timezone.now() - timedelta(minutes=10),
    )
    # when
    outcome = services.run(job.id)
    # then
    job.refresh_from_db()
    assert outcome == "completed" and job.attempts == 2


def test_a_running_job_with_a_live_worker_is_not_taken_over(start):
    # given: a job another worker is running and beating for
    job = start()
    Job.unscoped.filter(id=job.id).update(status=Job.Status.PROCESSING, heartbeat_at=timezone.now())
    # when: a duplicate message for it arrives
    outcome = services.run(job.id)
    # then: it is not run here, only watched in case that worker dies
    assert outcome == "watching"
    assert runs[str(job.id)] == 0
    assert Job.unscoped.get(id=job.id).attempts == 0


def test_recover_resends_queued_and_orphaned_jobs_but_not_finished_or_live_ones(start):
    queued = start()
    orphan = start()
    Job.unscoped.filter(id=orphan.id).update(
        status=Job.Status.PROCESSING, heartbeat_at=timezone.now() - timedelta(minutes=10)
    )
    live = start()
    Job.unscoped.filter(id=live.id).update(
        status=Job.Status.PROCESSING, heartbeat_at=timezone.now()
    )
    done = start()
    services.run(done.id)
    assert services.recover() == 2
    assert {queued.id, orphan.id} <= set(
        Job.unscoped.exclude(status=Job.Status.COMPLETED).values_list("id", flat=True)
    )


def test_same_idempotency_key_returns_the_same_job(start):
    first = start(payload={"steps": 2}, idempotency_key="abc")
    again = start(payload={"steps": 2}, idempotency_key="abc")
    assert again.id == first.id
    assert Job.unscoped.filter(idempotency_key="abc").count() == 1


def test_idempotency_key_reused_for_another_request_is_a_conflict(start):
    start(payload={"steps": 2}, idempotency_key="abc")
    with pytest.raises(ConflictError):
        start(payload={"steps": 3}, idempotency_key="abc")


def test_recover_leaves_alone_a_job_whose_message_was_sent_recently(start):
    # given: a job whose message went to the broker, and one whose send failed
    sent = start()
    services.enqueue(sent.id)
    unsent = start()
    # when: recovery runs again and again, as beat and each starting worker make it
    first, second = services.recover(), services.recover()
    # then: only the job with no message is sent, and once
    assert (first, second) == (1, 0)
    assert services.run(sent.id) == "completed" and services.run(unsent.id) == "completed"


def test_recover_resends_a_job_whose_message_is_overdue_once_per_period(start, settings):
    # given: a queued job whose message was sent longer ago than the resend period and
    # never claimed (lost with a broker that forgot it)
    job = start()
    services.enqueue(job.id)
    long_ago = timezone.now() - timedelta(seconds=settings.FLOWLINE_JOB_RESEND_SECONDS + 1)
    Job.unscoped.filter(id=job.id).update(sent_at=long_ago)
    # when: recovery runs twice
    counts = services.recover(), services.recover()
    # then: the job is sent once more, not once per run
    assert counts == (1, 0)


def test_a_retry_waiting_for_its_countdown_is_not_resent(start, settings):
    # given: a job waiting to retry in 10 minutes, its delayed message in the broker
    job = start()
    Job.unscoped.filter(id=job.id).update(run_after=timezone.now() + timedelta(minutes=10))
    services.enqueue(job.id, countdown=600)
    # when: recovery runs before and just after it is due
    soon = timezone.now() + timedelta(minutes=10, seconds=1)
    # then: nothing is resent until its message is overdue too
    assert services.recover() == 0
    assert services.recover(now=soon) == 0
    overdue = soon + timedelta(seconds=settings.FLOWLINE_JOB_RESEND_SECONDS)
    assert services.recover(now=overdue) == 1


def test_a_dead_workers_job_is_taken_over_within_a_minute_by_default():
    # A killed worker's job waits for its heartbeat to go stale, then for the next recovery.
    from config.settings import jobs as defaults

    stale = defaults.FLOWLINE_JOB_STALE_SECONDS
    period = defaults.CELERY_BEAT_SCHEDULE["jobs-recover"]["schedule"]
    assert stale + period <= 60


def test_a_job_whose_worker_went_silent_says_so_until_taken_over(start):
    # given: a running job whose worker stopped beating
    job = start()
    Job.unscoped.filter(id=job.id).update(
        status=Job.Status.PROCESSING, heartbeat_at=timezone.now() - timedelta(minutes=10)
    )
    # when: recovery sends it again
    assert services.recover() == 1
    # then: its state tells the truth meanwhile
    job.refresh_from_db()
    assert job.status == "processing" and "stopped responding" in job.message


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_tracked_step_longer_than_the_stale_period_keeps_beating_and_is_not_recovered(
    owner, settings
):
    # given: jobs count as abandoned after a second without a heartbeat
    settings.FLOWLINE_JOB_STALE_SECONDS = 1
    with services.job_tracked(kind="agent.process_file", account_id=owner.account_id) as step:
        first = Job.unscoped.get(id=step.id).heartbeat_at
        # when: the step outlives the stale period (bounded wait for the beat, no fixed sleep)
        deadline = time.monotonic() + 10
        while Job.unscoped.get(id=step.id).heartbeat_at == first:
            assert time.monotonic() < deadline, "the tracked step never beat"
            time.sleep(0.05)
        beat = Job.unscoped.get(id=step.id).heartbeat_at
        # then: recovery sees a live step, not one to hand to another worker
        assert services.recover(now=beat + timedelta(milliseconds=500)) == 0
    assert Job.unscoped.get(id=step.id).status == Job.Status.COMPLETED
