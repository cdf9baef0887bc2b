"""Scheduled runs start on their slot, once, and never while the site's previous run is
still open. Time is given to the scheduler explicitly."""

from datetime import UTC, datetime, time, timedelta

import pytest

from flowline.automation.models import AutomationConfig, AutomationLog, AutomationRun
from flowline.automation.services import runs
from flowline.automation.tests.helpers import drive, set_credits
from flowline.core import tenancy

pytestmark = pytest.mark.django_db

MONDAY_1AM = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def _daily_at_two(owner, site):
    # as the settings endpoint does: inside the member's tenant scope
    with tenancy.tenant_scope(owner.account_id, user_id=owner.user.id):
        return runs.config_update(
            site=site,
            user_id=owner.user.id,
            now=MONDAY_1AM,
            is_enabled=True,
            frequency="daily",
            scheduled_time=time(2, 0),
            image_prompts_per_run=0,
            images_per_run=0,
        )


def test_next_run_times_for_each_frequency(owner, sector):
    config = AutomationConfig(site=sector.site, scheduled_time=time(2, 15))
    for frequency, after, expected in [
        ("daily", MONDAY_1AM, datetime(2026, 3, 2, 2, 15, tzinfo=UTC)),
        ("daily", datetime(2026, 3, 2, 2, 15, tzinfo=UTC), datetime(2026, 3, 3, 2, 15, tzinfo=UTC)),
        (
            "hourly",
            datetime(2026, 3, 2, 7, 20, tzinfo=UTC),
            datetime(2026, 3, 2, 8, 15, tzinfo=UTC),
        ),
        ("weekly", MONDAY_1AM, datetime(2026, 3, 2, 2, 15, tzinfo=UTC)),
    ]:
        config.frequency = frequency
        assert runs.next_occurrence(config, after) == expected, frequency


def test_a_scheduled_run_starts_at_its_time_once(owner, sector, two_tasks):
    # given: daily at 02:00, set at 01:00
    config = _daily_at_two(owner, sector.site)
    assert config.next_run_at == datetime(2026, 3, 2, 2, 0, tzinfo=UTC)

    # when the scheduler ticks before, at, and again at the same time
    assert runs.schedule_tick(now=MONDAY_1AM + timedelta(minutes=59)) == 0
    assert runs.schedule_tick(now=MONDAY_1AM + timedelta(hours=1)) == 1
    assert runs.schedule_tick(now=MONDAY_1AM + timedelta(hours=1, seconds=30)) == 0

    # then: one scheduled run, which does the work; the next one is tomorrow
    run = AutomationRun.unscoped.get()
    assert run.trigger == "scheduled" and run.created_by_id == owner.user.id
    config.refresh_from_db()
    assert config.next_run_at == datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
    assert drive(run) == "completed"
    assert AutomationRun.unscoped.get().status == "completed"


def test_a_due_run_is_skipped_while_the_previous_one_is_open(owner, sector, two_tasks):
    _daily_at_two(owner, sector.site)
    runs.schedule_tick(now=datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    first = AutomationRun.unscoped.get()
    with tenancy.tenant_scope(owner.account_id, user_id=owner.user.id):
        runs.run_pause(run=first)

    # the next day the run is still paused: no second run, a line in its log says why
    assert runs.schedule_tick(now=datetime(2026, 3, 3, 2, 0, 5, tzinfo=UTC)) == 0
    assert AutomationRun.unscoped.count() == 1
    skipped = AutomationLog.unscoped.filter(run=first, level="warning").get()
    assert "skipped" in skipped.message and "paused" in skipped.message
    config = AutomationConfig.unscoped.get()
    assert config.next_run_at == datetime(2026, 3, 4, 2, 0, tzinfo=UTC)


def test_missed_slots_are_not_made_up(owner, sector, two_tasks):
    _daily_at_two(owner, sector.site)
    assert runs.schedule_tick(now=datetime(2026, 3, 9, 9, 0, tzinfo=UTC)) == 1
    assert runs.schedule_tick(now=datetime(2026, 3, 9, 9, 1, tzinfo=UTC)) == 0
    assert AutomationConfig.unscoped.get().next_run_at == datetime(2026, 3, 10, 2, 0, tzinfo=UTC)


def test_a_scheduled_run_without_credits_is_recorded_as_not_started(owner, sector, two_tasks):
    _daily_at_two(owner, sector.site)
    set_credits(owner.account_id, 3)
    assert runs.schedule_tick(now=datetime(2026, 3, 2, 2, 0, tzinfo=UTC)) == 0
    run = AutomationRun.unscoped.get()
    assert run.status == "failed" and run.error_code == "insufficient_credits"
    assert run.trigger == "scheduled"
    # a failed run is not open: tomorrow's slot may start
    set_credits(owner.account_id, 100)
    assert runs.schedule_tick(now=datetime(2026, 3, 3, 2, 0, tzinfo=UTC)) == 1


def test_disabled_configs_never_fire(owner, sector, two_tasks):
    _daily_at_two(owner, sector.site)
    with tenancy.tenant_scope(owner.account_id, user_id=owner.user.id):
        runs.config_update(site=sector.site, user_id=owner.user.id, is_enabled=False)
    assert runs.schedule_tick(now=datetime(2026, 3, 5, 2, 0, tzinfo=UTC)) == 0
    assert AutomationRun.unscoped.count() == 0


def test_the_beat_task_is_scheduled():
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["automation-tick"]["task"] == "automation.tick"
