"""The lease-and-retry pieces the durable queues share (core.leases, core.backoff)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from flowline.core import leases
from flowline.core.backoff import Backoff
from flowline.jobs.models import Job


def test_backoff_doubles_up_to_its_cap_within_its_jitter():
    policy = Backoff(base=10.0, cap=60.0, jitter=(0.8, 1.2))
    waits = [policy.seconds(attempt) for attempt in range(1, 6)]
    assert 8 <= waits[0] <= 12 and 16 <= waits[1] <= 24 and 32 <= waits[2] <= 48
    assert 48 <= waits[3] <= 72 and 48 <= waits[4] <= 72  # capped at 60, then jittered


def test_backoff_steps_repeat_the_last_and_a_retry_after_wins_within_its_cap():
    policy = Backoff(steps=(30, 120), jitter=(1.0, 1.0), retry_after_cap=100.0, floor=1.0)
    assert [policy.seconds(n) for n in (1, 2, 3)] == [30, 120, 120]
    assert policy.seconds(1, retry_after=7) == 7
    assert policy.seconds(1, retry_after=1000) == 100
    assert policy.seconds(1, retry_after=0.2) == 1.0  # the floor
    assert policy.delay(2) == timedelta(seconds=120)


def test_backoff_runs_out_after_its_attempts_or_the_rows_own_bound():
    policy = Backoff(max_attempts=3)
    assert not policy.exhausted(2) and policy.exhausted(3)
    assert not policy.exhausted(3, max_attempts=5) and policy.exhausted(5, max_attempts=5)


def test_a_lease_says_when_a_claim_runs_out_and_when_it_was_abandoned():
    lease = leases.Lease(30)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert lease.until(now) == now + timedelta(seconds=30)
    assert lease.abandoned_before(now) == now - timedelta(seconds=30)


def test_a_sweep_stops_at_its_limit_or_when_nothing_is_due():
    due = iter(range(10))
    assert list(leases.claimed(lambda: next(due), limit=3, budget=60)) == [0, 1, 2]
    few = iter([1, 2, None, 4])
    assert list(leases.claimed(lambda: next(few), limit=10, budget=60)) == [1, 2]
    assert list(leases.claimed(lambda: 1, limit=10, budget=-1)) == []  # budget spent


def _take_queued(skip=()):
    def take(row):
        if row.id in skip:
            return None  # as if the conditional UPDATE found it changed by another worker
        claimed = Job.unscoped.filter(id=row.id, status=Job.Status.QUEUED).update(
            status=Job.Status.PROCESSING
        )
        return row.id if claimed else None

    return take


def _due():
    return Job.unscoped.filter(status=Job.Status.QUEUED).order_by("created_at", "id")


@pytest.mark.django_db
def test_claim_next_claims_the_oldest_due_row_once(owner):
    first = Job.unscoped.create(account_id=owner.account_id, kind="test.echo")
    second = Job.unscoped.create(account_id=owner.account_id, kind="test.echo")
    assert leases.claim_next(_due(), _take_queued()) == first.id
    assert leases.claim_next(_due(), _take_queued()) == second.id
    assert leases.claim_next(_due(), _take_queued()) is None


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.features.has_select_for_update_skip_locked,
    reason="with SKIP LOCKED, rows another worker holds are never read",
)
def test_without_row_locks_a_row_another_worker_took_is_passed_over(owner):
    taken = Job.unscoped.create(account_id=owner.account_id, kind="test.echo")
    free = Job.unscoped.create(account_id=owner.account_id, kind="test.echo")
    assert leases.claim_next(_due(), _take_queued(skip={taken.id})) == free.id


@pytest.mark.django_db
def test_abandoned_rows_are_given_up_and_an_idle_sweep_only_reads(owner, django_assert_num_queries):
    Job.unscoped.create(account_id=owner.account_id, kind="test.echo")
    queued = Job.unscoped.filter(status=Job.Status.QUEUED)
    assert leases.end_abandoned(queued, status=Job.Status.FAILED) == 1
    with django_assert_num_queries(1):
        assert leases.end_abandoned(queued, status=Job.Status.FAILED) == 0


def test_a_sweep_task_keeps_no_result_expires_with_its_period_and_is_time_limited():
    @leases.sweep_task("core.test_sweep", every=30, runs_for=20, grace=10)
    def sweep() -> int:
        return 1

    assert sweep.name == "core.test_sweep" and sweep.ignore_result
    assert (sweep.expires, sweep.soft_time_limit, sweep.time_limit) == (30, 20, 30)
    assert sweep() == 1
