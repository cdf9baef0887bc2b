"""The email/push outbox: a broker that is down at commit loses nothing, answers no
500, and the sweep sends the mail once the broker is back -- once per recipient."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from flowline.core.testing.broker import broker_down
from flowline.notifications.models import Notification, PendingDelivery
from flowline.notifications.public import notify
from flowline.notifications.services import outbox
from flowline.notifications.tests.conftest import tasks_run_eagerly

pytestmark = pytest.mark.django_db


def _credits_low(owner):
    return notify(
        account_id=owner.account_id,
        user_ids=None,
        notification_type="credits_low",
        context={"balance": 4, "threshold": 50},
        link="/billing/credits",
    )


def test_mail_waits_in_the_outbox_while_the_broker_is_down(
    owner, django_capture_on_commit_callbacks
):
    # when: the broker refuses connections as the caller's transaction commits
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        assert _credits_low(owner) == 1

    # then: the in-app notification is there, the mail is not lost but pending
    assert Notification.unscoped.filter(user=owner.user).count() == 1
    assert mail.outbox == []
    (pending,) = PendingDelivery.unscoped.all()
    assert pending.sent_at is None and pending.enqueued_at is None

    # when: the broker is back and the sweep runs two minutes later
    with tasks_run_eagerly():
        handed = outbox.sweep(now=timezone.now() + timedelta(minutes=3))

    # then: the mail goes out once and the row is marked sent
    assert handed == 1
    assert [message.to for message in mail.outbox] == [[owner.user.email]]
    pending.refresh_from_db()
    assert pending.sent_at is not None

    # and: another sweep sends nothing again
    with tasks_run_eagerly():
        assert outbox.sweep(now=timezone.now() + timedelta(minutes=10)) == 0
    assert len(mail.outbox) == 1


def test_a_batch_handed_over_twice_is_mailed_once(
    owner, eager_tasks, django_capture_on_commit_callbacks
):
    # given: the first hand-over got lost after the broker took it (enqueued, never run)
    with django_capture_on_commit_callbacks(execute=False):
        _credits_low(owner)
    pending = PendingDelivery.unscoped.get()

    # when: the batch is handed over twice (the late message and the sweep)
    outbox.enqueue(pending.batch_id)
    outbox.enqueue(pending.batch_id)

    # then
    assert len(mail.outbox) == 1


def test_a_recent_row_the_broker_took_is_left_alone(owner, django_capture_on_commit_callbacks):
    # given: a batch handed to the broker a moment ago (no worker ran it yet)
    with django_capture_on_commit_callbacks(execute=False):
        _credits_low(owner)
    PendingDelivery.unscoped.update(enqueued_at=timezone.now())

    # then: the sweep does not hand it over again yet
    assert outbox.sweep(now=timezone.now() + timedelta(seconds=30)) == 0


def test_nothing_is_kept_when_the_callers_transaction_rolls_back(owner):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        _credits_low(owner)
        raise RuntimeError("caller failed")
    assert not PendingDelivery.unscoped.exists()


def test_sent_batches_are_forgotten_after_a_week(
    owner, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _credits_low(owner)
    assert PendingDelivery.unscoped.get().sent_at is not None

    assert outbox.purge(now=timezone.now() + timedelta(days=1)) == 0
    assert outbox.purge(now=timezone.now() + timedelta(days=8)) == 1
