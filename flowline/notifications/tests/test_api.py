"""001 Notifications through HTTP: each user sees only their own, in their account."""

import pytest
from django.utils import timezone

from flowline.core.roles import Role
from flowline.notifications.models import Notification, NotificationPreference
from flowline.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/notifications/"


def test_a_user_lists_only_their_own_notifications_newest_first(owner, member_factory):
    # given: two notifications for the owner, one for a colleague in the same account
    editor = member_factory(owner, Role.EDITOR)
    older = NotificationFactory(account=owner.account, title="older")
    newer = NotificationFactory(account=owner.account, title="newer")
    NotificationFactory(account=owner.account, user=editor.user, title="not yours")
    # when
    response = owner.client.get(URL)
    # then
    body = response.json()
    assert response.status_code == 200 and body["success"] is True
    assert [row["id"] for row in body["results"]] == [newer.id, older.id]
    assert set(body["results"][0]) == {
        "id",
        "notification_type",
        "title",
        "body",
        "data",
        "link",
        "is_read",
        "read_at",
        "created_at",
    }


def test_list_filters_by_read_state_and_type(owner):
    # given
    unread = NotificationFactory(account=owner.account, notification_type="job_failed")
    read = NotificationFactory(account=owner.account, read_at=timezone.now())
    # when / then
    ids = lambda params: [r["id"] for r in owner.client.get(URL, params).json()["results"]]  # noqa: E731
    assert ids({"is_read": "false"}) == [unread.id]
    assert ids({"is_read": "true"}) == [read.id]
    assert ids({"notification_type": "job_failed"}) == [unread.id]
    assert ids({"type": "job_completed"}) == [read.id]


def test_another_users_notification_is_404_for_read_and_mark_read(owner, member_factory):
    # given: an admin of the same account, and the owner's notification
    admin = member_factory(owner, Role.ADMIN)
    mine = NotificationFactory(account=owner.account)
    # when
    seen = admin.client.get(f"{URL}{mine.id}/")
    marked = admin.client.post(f"{URL}{mine.id}/mark_read/")
    # then
    assert (seen.status_code, marked.status_code) == (404, 404)
    assert marked.json()["success"] is False
    mine.refresh_from_db()
    assert mine.read_at is None


def test_mark_read_count_and_mark_all_read(owner, member_factory):
    # given: three unread for the owner, one for a colleague
    viewer = member_factory(owner, Role.VIEWER)
    first, *_ = [NotificationFactory(account=owner.account) for _ in range(3)]
    theirs = NotificationFactory(account=owner.account, user=viewer.user)
    assert owner.client.get(f"{URL}count/").json()["data"] == {"unread_count": 3}
    # when: one is read
    response = owner.client.post(f"{URL}{first.id}/mark_read/")
    # then
    assert response.status_code == 200 and response.json()["data"]["is_read"] is True
    read_at = response.json()["data"]["read_at"]
    again = owner.client.post(f"{URL}{first.id}/mark_read/").json()["data"]
    assert again["read_at"] == read_at  # the first read time stays
    assert owner.client.get(f"{URL}count/").json()["data"] == {"unread_count": 2}
    # when: all are read
    response = owner.client.post(f"{URL}mark_all_read/")
    # then: only the owner's, and a viewer may do it for their own
    assert response.json()["data"] == {"updated_count": 2, "unread_count": 0}
    assert owner.client.get(f"{URL}count/").json()["data"] == {"unread_count": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert viewer.client.post(f"{URL}mark_all_read/").json()["data"]["updated_count"] == 1


def test_notifications_of_another_account_never_show(owner, other_owner):
    # given: the same user has no business seeing another account's rows
    NotificationFactory(account=other_owner.account)
    # when / then
    assert owner.client.get(URL).json()["count"] == 0
    assert owner.client.get(f"{URL}count/").json()["data"]["unread_count"] == 0


def test_preferences_show_defaults_for_every_type(owner):
    # when
    response = owner.client.get(f"{URL}preferences/")
    # then
    rows = {row["notification_type"]: row for row in response.json()["data"]}
    assert response.status_code == 200
    assert {"job_completed", "job_failed", "credits_low", "new_message", "low_stock"} <= set(rows)
    assert rows["credits_low"] == {
        "notification_type": "credits_low",
        "in_app": True,
        "email": True,
        "push": True,
    }
    assert rows["new_message"]["email"] is False  # chatty types do not email by default


def test_patch_changes_some_channels_put_needs_all_of_them(owner, member_factory):
    # given
    url = f"{URL}preferences/"
    viewer = member_factory(owner, Role.VIEWER)
    # when: PATCH one channel
    patched = viewer.client.patch(
        url,
        {"preferences": [{"notification_type": "credits_low", "email": False}]},
        format="json",
    )
    # then
    row = next(r for r in patched.json()["data"] if r["notification_type"] == "credits_low")
    assert patched.status_code == 200
    assert (row["in_app"], row["email"], row["push"]) == (True, False, True)
    # when: PUT without every channel
    refused = viewer.client.put(
        url,
        {"preferences": [{"notification_type": "credits_low", "push": False}]},
        format="json",
    )
    # then
    assert refused.status_code == 400 and "email" in refused.json()["errors"]
    # when: PUT with all
    viewer.client.put(
        url,
        {
            "preferences": [
                {"notification_type": "job_failed", "in_app": False, "email": False, "push": True}
            ]
        },
        format="json",
    )
    # then: stored for this user only
    stored = NotificationPreference.unscoped.get(user=viewer.user, notification_type="job_failed")
    assert (stored.in_app, stored.email, stored.push) == (False, False, True)
    assert not NotificationPreference.unscoped.filter(user=owner.user).exists()


def test_unknown_type_or_field_in_preferences_is_400(owner):
    url = f"{URL}preferences/"
    unknown_type = owner.client.patch(
        url, {"preferences": [{"notification_type": "nope", "email": False}]}, format="json"
    )
    unknown_field = owner.client.patch(
        url, {"preferences": [{"notification_type": "credits_low", "sms": True}]}, format="json"
    )
    assert unknown_type.status_code == 400
    assert unknown_type.json()["code"] == "unknown_notification_type"
    assert unknown_field.status_code == 400
    assert not NotificationPreference.unscoped.exists()


def test_list_query_count_does_not_grow_with_rows(owner, django_assert_num_queries):
    # given
    for _ in range(25):
        NotificationFactory(account=owner.account)
    owner.client.get(URL)  # warm up what authentication caches
    # when / then: the membership behind the token, the page (a page that ends the list
    # needs no count query)
    with django_assert_num_queries(2):
        response = owner.client.get(URL, {"page_size": 25})
    assert len(response.json()["results"]) == 25


def test_anonymous_is_401():
    from flowline.core.testing.client import CommittingAPIClient

    assert CommittingAPIClient().get(URL).status_code == 401
    assert Notification.unscoped.count() == 0
