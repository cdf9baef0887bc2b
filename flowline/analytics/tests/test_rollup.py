"""The rollup job: sums per day, idempotent, incremental, never losing a late event."""

import pytest
from django.db.models import Sum
from django.utils import timezone

from flowline.analytics.models import ALL, DailyMetric, RollupState
from flowline.analytics.services.rollup import (
    daily_metrics_recompute,
    daily_metrics_rollup,
    rollup_mark_clean,
)
from flowline.analytics.tasks import rollup_daily_metrics
from flowline.analytics.tests.factories import AnalyticsEventFactory


def _rows(account_id) -> list[tuple]:
    return list(
        DailyMetric.unscoped.filter(account_id=account_id)
        .order_by("date", "platform", "event_type")
        .values_list("date", "platform", "event_type", "count", "value_sum", "unique_sessions")
    )


@pytest.mark.django_db
def test_rollup_sums_each_day_platform_and_type_with_totals(owner, track, at):
    # given
    track(
        owner,
        [
            {"event_type": "page_view", "session_id": "a", "occurred_at": at(1)},
            {"event_type": "page_view", "session_id": "a", "occurred_at": at(1)},
            {"event_type": "purchase", "session_id": "b", "value": 5, "occurred_at": at(1)},
            {"event_type": "purchase", "platform": "instagram", "value": 7, "occurred_at": at(1)},
        ],
    )

    # when
    report = daily_metrics_rollup(account_id=owner.account_id)

    # then
    assert report.clean
    day = at(1)[:10]
    assert [(str(r[0]), *r[1:4], str(r[4]), r[5]) for r in _rows(owner.account_id)] == [
        (day, ALL, ALL, 4, "12.00", 2),
        (day, "instagram", ALL, 1, "7.00", 0),
        (day, "instagram", "purchase", 1, "7.00", 0),
        (day, "web", ALL, 3, "5.00", 2),
        (day, "web", "page_view", 2, "0.00", 1),
        (day, "web", "purchase", 1, "5.00", 1),
    ]
    assert RollupState.unscoped.get(account_id=owner.account_id).dirty_from is None


@pytest.mark.django_db
def test_recomputing_a_day_replaces_its_rows(owner, track, at, today):
    # given
    track(owner, [{"event_type": "page_view", "occurred_at": at(0)}] * 3)
    daily_metrics_rollup(account_id=owner.account_id)
    first = _rows(owner.account_id)

    # when: the same day twice more
    daily_metrics_recompute(account_id=owner.account_id, date_from=today, date_to=today)
    daily_metrics_recompute(account_id=owner.account_id, date_from=today, date_to=today)

    # then
    assert _rows(owner.account_id) == first


@pytest.mark.django_db
def test_events_arriving_during_a_rollup_leave_the_account_behind(owner, track, at):
    # given: a rollup read the state and recomputed, then an event arrived
    track(owner, [{"event_type": "page_view", "occurred_at": at(3)}])
    read = RollupState.unscoped.get(account_id=owner.account_id)
    daily_metrics_recompute(
        account_id=owner.account_id, date_from=read.dirty_from, date_to=read.dirty_from
    )
    track(owner, [{"event_type": "page_view", "occurred_at": at(1)}])

    # when: the rollup tries to mark the account clean
    marked = rollup_mark_clean(
        account_id=owner.account_id, version=read.version, rolled_at=timezone.now()
    )

    # then: it stays behind, and the next run counts both events
    assert marked is False
    assert RollupState.unscoped.get(account_id=owner.account_id).dirty_from == read.dirty_from
    daily_metrics_rollup(account_id=owner.account_id)
    totals = DailyMetric.unscoped.filter(
        account_id=owner.account_id, platform=ALL, event_type=ALL
    ).aggregate(n=Sum("count"))
    assert totals["n"] == 2


@pytest.mark.django_db
def test_events_written_before_the_first_ingestion_are_rolled_up(owner, track, at):
    # given: events imported directly, then one tracked
    AnalyticsEventFactory.create_batch(2, account=owner.account, occurred_at=at(20))
    track(owner, [{"event_type": "page_view", "occurred_at": at(0)}])

    # when
    daily_metrics_rollup(account_id=owner.account_id)

    # then
    dashboard = owner.client.get("/api/v1/analytics/dashboard/", {"date_from": at(25)[:10]}).json()[
        "data"
    ]
    assert dashboard["totals"]["events"] == 3


@pytest.mark.django_db
def test_the_periodic_task_rolls_up_only_accounts_that_are_behind(owner, other_owner, track, at):
    # given
    track(owner, [{"event_type": "page_view", "occurred_at": at(1)}])
    track(other_owner, [{"event_type": "page_view", "occurred_at": at(1)}])
    daily_metrics_rollup(account_id=other_owner.account_id)

    # when
    processed = rollup_daily_metrics()

    # then
    assert processed == 1
    assert not RollupState.unscoped.filter(dirty_from__isnull=False).exists()
    assert rollup_daily_metrics() == 0
