"""notify() reaches the user's open Socket.IO connection at once."""

import pytest

from flowline.core.roles import Role
from flowline.core.testing.members import add_member
from flowline.notifications.public import notify
from flowline.notifications.tests.factories import NotificationFactory
from flowline.realtime.testing import connect_client, live_asgi_server, member_token

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _connect(base_url, member):
    token = member_token(member)
    client, events = connect_client(base_url, auth={"token": token}, events=("notification",))
    return client, events


def test_the_user_receives_the_notification_live_with_the_unread_count(owner):
    # given: one unread notification already, the owner and an editor connected
    NotificationFactory(account=owner.account)
    editor = add_member(owner.account, role=Role.EDITOR)
    with live_asgi_server() as base_url:
        mine, my_events = _connect(base_url, owner)
        theirs, their_events = _connect(base_url, editor)
        try:
            # when: a job of the owner's fails
            notify(
                account_id=owner.account_id,
                user_ids=[owner.user.id],
                notification_type="job_failed",
                context={"name": "keyword import", "error": "bad CSV"},
                link="/jobs/5",
            )
            # then: the owner's socket gets it as the API shows it, with the unread count
            _, data = my_events.wait_for(lambda name, d: d["notification_type"] == "job_failed")
            assert data["title"] == "Keyword import failed" and data["body"] == "bad CSV"
            assert data["unread_count"] == 2 and data["is_read"] is False
            assert data["link"] == "/jobs/5" and data["room"] == f"user_{owner.user.id}"
            listed = owner.client.get("/api/v1/notifications/").json()["results"][0]
            assert {k: data[k] for k in listed} == listed
            # and the editor's socket hears nothing of it
            notify(
                account_id=owner.account_id,
                user_ids=[editor.user.id],
                notification_type="credits_low",
                context={"balance": 1, "threshold": 50},
            )
            their_events.wait_for(lambda name, d: d["notification_type"] == "credits_low")
            assert [d["notification_type"] for d in their_events.of("notification")] == [
                "credits_low"
            ]
        finally:
            mine.disconnect()
            theirs.disconnect()
