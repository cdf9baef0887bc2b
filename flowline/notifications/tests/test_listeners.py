"""What billing and jobs raise through their hooks."""

import pytest
from django.test import TestCase

from flowline.billing import public as credits
from flowline.core.roles import Role
from flowline.jobs import public as jobs
from flowline.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _committed():
    return TestCase.captureOnCommitCallbacks(execute=True)


def test_a_charge_crossing_the_threshold_raises_one_credits_low_per_admin(owner, member_factory):
    # given: 100 credits, threshold 50; an admin and an editor
    admin = member_factory(owner, Role.ADMIN)
    editor = member_factory(owner, Role.EDITOR)
    # when: 100 -> 70 -> 40 (crosses 50) -> 10
    for _ in range(3):
        with _committed():
            credits.credits_charge(account_id=owner.account_id, operation_type="x", amount=30)
    # then: exactly one, to the owner and the admin, saying what is left
    rows = Notification.unscoped.filter(notification_type="credits_low")
    assert sorted(rows.values_list("user_id", flat=True)) == sorted([owner.user.id, admin.user.id])
    assert {row.data["balance"] for row in rows} == {40}
    assert not rows.filter(user=editor.user).exists()
    assert rows.first().link == "/billing/credits"


def _run(owner, kind, payload):
    with TestCase.captureOnCommitCallbacks(execute=False):
        job = jobs.job_start(
            kind=kind, account_id=owner.account_id, user_id=owner.user.id, payload=payload
        )
    with _committed():
        jobs.run(job.id)
    return job


def test_a_job_asking_to_notify_tells_its_user_when_it_completes(owner):
    job = _run(owner, "test.steps", {"steps": 1, "notify": True, "title": "Keyword import"})
    row = Notification.unscoped.get(user=owner.user)
    assert (row.notification_type, row.title) == ("job_completed", "Keyword import finished")
    assert row.link == f"/jobs/{job.id}" and row.data["job_id"] == str(job.id)


def test_a_quiet_job_completes_without_a_notification(owner):
    _run(owner, "test.steps", {"steps": 1})
    assert not Notification.unscoped.exists()


def test_a_failed_job_always_tells_its_user(owner):
    _run(owner, "test.broken", {})
    row = Notification.unscoped.get(user=owner.user)
    assert row.notification_type == "job_failed"
    assert row.body == "The provider rejected the API key."
