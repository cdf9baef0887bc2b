"""notify(): who gets what, worded by the type's template, on which channels."""

import pytest
from django.core import mail

from flowline.core.roles import Role
from flowline.notifications.models import Notification, NotificationPreference
from flowline.notifications.public import notify
from flowline.notifications.services.rendering import render

pytestmark = pytest.mark.django_db

CONTEXTS = {
    "job_completed": (
        {"name": "keyword clustering", "message": "42 clusters."},
        "Keyword clustering finished",
    ),
    "job_failed": (
        {"name": "image generation", "error": "quota exceeded"},
        "Image generation failed",
    ),
    "credits_low": ({"balance": 1, "threshold": 50}, "Credits are running low"),
    "new_message": (
        {"customer": "Ana", "channel": "WhatsApp", "preview": "Size M?"},
        "New message from Ana",
    ),
    "post_published": (
        {"platform": "Instagram", "preview": "Summer sale"},
        "Post published on Instagram",
    ),
    "post_failed": ({"platform": "Facebook", "error": "token expired"}, "Post failed on Facebook"),
    "account_disconnected": (
        {"platform": "Instagram", "account_name": "@shop"},
        "Instagram account disconnected",
    ),
    "low_stock": (
        {"product": "Salt & Pepper mill", "quantity": 2, "threshold": 5},
        "Low stock: Salt & Pepper mill",
    ),
    "invitation_accepted": (
        {"member": "bob@example.com", "role": "editor"},
        "bob@example.com joined your team",
    ),
}


@pytest.mark.parametrize("notification_type", sorted(CONTEXTS))
def test_every_shipped_type_renders_its_texts(notification_type, settings):
    # given
    settings.FRONTEND_URL = "https://app.example.com"
    context, title = CONTEXTS[notification_type]
    # when
    rendered = render(notification_type, context, link="/somewhere")
    # then: plain text (no HTML escaping), nothing left unrendered, a link in the email
    assert rendered.title == title
    assert rendered.body and rendered.email_subject and rendered.email_body
    for text in rendered.__dict__.values():
        assert "{{" not in text and "{%" not in text and "&amp;" not in text
    assert "https://app.example.com/somewhere" in rendered.email_body


def test_credits_low_body_names_the_balance():
    rendered = render("credits_low", {"balance": 3, "threshold": 50})
    assert rendered.body == "3 credits left (alert threshold: 50)."


def test_a_type_without_template_still_reaches_users():
    rendered = render("brand_new_type", {"message": "Hello"})
    assert (rendered.title, rendered.body) == ("Brand new type", "Hello")


def test_none_means_admins_and_owners_and_outsiders_are_ignored(
    owner, other_owner, member_factory, django_capture_on_commit_callbacks
):
    # given
    admin = member_factory(owner, Role.ADMIN)
    editor = member_factory(owner, Role.EDITOR)
    # when
    with django_capture_on_commit_callbacks(execute=False):
        to_admins = notify(
            account_id=owner.account_id,
            user_ids=None,
            notification_type="low_stock",
            context={"product": "Mug", "quantity": 1, "threshold": 3},
        )
        to_listed = notify(
            account_id=owner.account_id,
            user_ids=[editor.user.id, other_owner.user.id],
            notification_type="job_failed",
            context={"name": "x"},
        )
    # then
    rows = Notification.unscoped.filter(account=owner.account)
    assert (to_admins, to_listed) == (2, 1)
    assert sorted(
        rows.filter(notification_type="low_stock").values_list("user_id", flat=True)
    ) == sorted([owner.user.id, admin.user.id])
    assert list(rows.filter(notification_type="job_failed").values_list("user_id", flat=True)) == [
        editor.user.id
    ]
    assert not Notification.unscoped.filter(user=other_owner.user).exists()


def test_data_keeps_the_context_and_link(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notify(
            account_id=owner.account_id,
            user_ids=[owner.user.id],
            notification_type="new_message",
            context={"customer": "Ana", "preview": "Hi", "conversation_id": 7},
            link="/chat/7",
        )
    row = Notification.unscoped.get(user=owner.user)
    assert row.data == {"customer": "Ana", "preview": "Hi", "conversation_id": 7}
    assert (row.title, row.link) == ("New message from Ana", "/chat/7")


def test_email_goes_out_after_commit_when_the_preference_says_so(
    owner, eager_tasks, django_capture_on_commit_callbacks, settings
):
    # given: credits_low emails by default, links into the frontend
    settings.FRONTEND_URL = "https://app.example.com"
    # when
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            account_id=owner.account_id,
            user_ids=None,
            notification_type="credits_low",
            context={"balance": 4, "threshold": 50},
            link="/billing/credits",
        )
        assert mail.outbox == []  # nothing leaves before the commit
    # then
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.user.email]
    assert message.subject == "Your Flowline credits are running low (4 left)"
    assert "https://app.example.com/billing/credits" in message.body


def test_no_email_when_the_preference_is_off(
    owner, eager_tasks, django_capture_on_commit_callbacks
):
    # given: the owner turned credits_low emails off through the API
    owner.client.patch(
        "/api/v1/notifications/preferences/",
        {"preferences": [{"notification_type": "credits_low", "email": False}]},
        format="json",
    )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        reached = notify(
            account_id=owner.account_id,
            user_ids=None,
            notification_type="credits_low",
            context={"balance": 4, "threshold": 50},
        )
    # then: still in the app, not by email
    assert reached == 1 and mail.outbox == []
    assert (
        Notification.unscoped.filter(user=owner.user, notification_type="credits_low").count() == 1
    )


def test_email_only_when_in_app_is_off(owner, eager_tasks, django_capture_on_commit_callbacks):
    # given
    NotificationPreference.unscoped.create(
        account=owner.account,
        user=owner.user,
        notification_type="new_message",
        in_app=False,
        email=True,
        push=False,
    )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        reached = notify(
            account_id=owner.account_id,
            user_ids=None,
            notification_type="new_message",
            context={"customer": "Ana", "preview": "Hi"},
        )
    # then
    assert reached == 1
    assert not Notification.unscoped.filter(user=owner.user).exists()
    assert [m.subject for m in mail.outbox] == ["New message from Ana"]


def test_nothing_is_sent_when_the_callers_transaction_rolls_back(
    owner, eager_tasks, django_capture_on_commit_callbacks
):
    from django.db import transaction

    # when
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(
            account_id=owner.account_id,
            user_ids=None,
            notification_type="credits_low",
            context={"balance": 4, "threshold": 50},
        )
        raise RuntimeError("the caller failed")
    # then
    assert mail.outbox == [] and not Notification.unscoped.exists()
