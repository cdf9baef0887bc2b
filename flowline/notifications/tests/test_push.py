"""Web Push against a fake push service on 127.0.0.1 that checks VAPID and decrypts."""

import pytest

from flowline.core.roles import Role
from flowline.core.testing.outbound import allow_private_host, internal_service, redirect_to
from flowline.notifications.models import PushSubscription
from flowline.notifications.public import notify
from flowline.notifications.services.push import push_send
from flowline.notifications.testing import fake_push_service
from flowline.notifications.tests.factories import PushSubscriptionFactory
from flowline.sandbox.push.push_service import FakeBrowser

pytestmark = pytest.mark.django_db
URL = "/api/v1/notifications/push-subscriptions/"


def test_the_vapid_public_key_is_published(api_client, vapid):
    response = api_client.get("/api/v1/notifications/push/vapid-public-key/")
    assert response.json()["data"] == {"public_key": vapid, "enabled": True}


def test_a_subscribed_browser_gets_the_notification_encrypted_and_signed(
    owner, vapid, eager_tasks, django_capture_on_commit_callbacks, settings
):
    # given: the owner's browser subscribed through the API
    settings.FRONTEND_URL = "https://app.example.com"
    browsers = {"laptop": FakeBrowser()}
    with fake_push_service(browsers, settings) as service:
        subscribed = owner.client.post(
            URL,
            browsers["laptop"].subscription(service.endpoint("laptop")),
            format="json",
            HTTP_USER_AGENT="Firefox/140",
        )
        assert subscribed.status_code == 201
        # when
        with django_capture_on_commit_callbacks(execute=True):
            notify(
                account_id=owner.account_id,
                user_ids=[owner.user.id],
                notification_type="job_failed",
                context={"name": "image generation", "error": "quota exceeded"},
                link="/jobs/9",
            )
    # then: one push, VAPID-signed by our key for this push service, decrypted by the browser
    assert service.refusals == []
    [delivery] = service.deliveries
    assert delivery.vapid_key == vapid
    assert delivery.claims["sub"] == "mailto:ops@flowline.test"
    assert int(delivery.headers["ttl"]) > 0
    message = delivery.message
    assert (message["type"], message["title"]) == ("job_failed", "Image generation failed")
    assert message["body"] == "quota exceeded"
    assert message["link"] == "https://app.example.com/jobs/9" and isinstance(message["id"], int)
    assert PushSubscription.unscoped.get().user_agent == "Firefox/140"


def test_a_gone_subscription_is_deleted_the_others_still_get_it(
    owner, vapid, eager_tasks, django_capture_on_commit_callbacks, settings
):
    # given: two browsers; the push service says the phone's subscription is gone
    browsers = {"laptop": FakeBrowser(), "phone": FakeBrowser()}
    with fake_push_service(browsers, settings) as service:
        for name in browsers:
            owner.client.post(
                URL, browsers[name].subscription(service.endpoint(name)), format="json"
            )
        service.gone.add("/push/phone")
        # when
        with django_capture_on_commit_callbacks(execute=True):
            notify(
                account_id=owner.account_id,
                user_ids=None,
                notification_type="credits_low",
                context={"balance": 3, "threshold": 50},
            )
    # then
    assert [d.path for d in service.deliveries] == ["/push/laptop"]
    assert list(PushSubscription.unscoped.values_list("endpoint", flat=True)) == [
        service.endpoint("laptop")
    ]


def test_no_push_when_the_preference_is_off(
    owner, vapid, eager_tasks, django_capture_on_commit_callbacks, settings
):
    browsers = {"laptop": FakeBrowser()}
    with fake_push_service(browsers, settings) as service:
        owner.client.post(
            URL, browsers["laptop"].subscription(service.endpoint("laptop")), format="json"
        )
        owner.client.patch(
            "/api/v1/notifications/preferences/",
            {"preferences": [{"notification_type": "credits_low", "push": False}]},
            format="json",
        )
        with django_capture_on_commit_callbacks(execute=True):
            notify(
                account_id=owner.account_id,
                user_ids=None,
                notification_type="credits_low",
                context={"balance": 3, "threshold": 50},
            )
    assert service.deliveries == [] and service.refusals == []


def test_subscribing_again_moves_the_endpoint_and_unsubscribe_is_per_user(owner, member_factory):
    # given: the owner's browser
    browser = FakeBrowser()
    endpoint = "https://push.example.com/send/abc"
    owner.client.post(URL, browser.subscription(endpoint), format="json")
    # when: a colleague signs in on the same browser and subscribes it
    editor = member_factory(owner, Role.EDITOR)
    again = editor.client.post(URL, browser.subscription(endpoint), format="json")
    # then: one row, now the colleague's
    assert again.status_code == 201
    assert list(PushSubscription.unscoped.values_list("user_id", flat=True)) == [editor.user.id]
    assert owner.client.get(URL).json()["count"] == 0
    # when: the owner tries to unsubscribe it
    refused = owner.client.delete(f"{URL}unsubscribe/", {"endpoint": endpoint}, format="json")
    # then
    assert refused.status_code == 404 and PushSubscription.unscoped.count() == 1
    # when: its user does
    done = editor.client.delete(f"{URL}unsubscribe/", {"endpoint": endpoint}, format="json")
    assert done.status_code == 200 and not PushSubscription.unscoped.exists()


def test_another_users_subscription_cannot_be_deleted_by_id(owner, member_factory):
    admin = member_factory(owner, Role.ADMIN)
    subscription = PushSubscriptionFactory(account=owner.account)
    assert admin.client.delete(f"{URL}{subscription.id}/").status_code == 404
    assert owner.client.delete(f"{URL}{subscription.id}/").status_code == 200


@pytest.mark.parametrize(
    "change",
    [
        {"keys": {"p256dh": "AAAA", "auth": "tBHItJI5svbpez7KI4CCXg"}},
        {"keys": {"p256dh": FakeBrowser().p256dh, "auth": "c2hvcnQ"}},
        {"endpoint": "not a url"},
        {"endpoint": "ftp://push.example.com/x"},
        {"extra": "field"},
    ],
)
def test_malformed_subscriptions_are_400(owner, change):
    body = {**FakeBrowser().subscription("https://push.example.com/send/1"), **change}
    response = owner.client.post(URL, body, format="json")
    assert response.status_code == 400 and not PushSubscription.unscoped.exists()


def test_internal_and_plain_http_endpoints_are_refused(owner):
    for endpoint in (
        "https://127.0.0.1/push",
        "https://169.254.169.254/x",
        "http://push.example.com/x",
    ):
        response = owner.client.post(URL, FakeBrowser().subscription(endpoint), format="json")
        assert response.status_code == 400, endpoint
    assert not PushSubscription.unscoped.exists()


def _subscription_at(owner, endpoint: str) -> PushSubscription:
    browser = FakeBrowser()
    return PushSubscriptionFactory(
        account=owner.account, endpoint=endpoint, p256dh=browser.p256dh, auth=browser.auth
    )


def test_a_push_endpoint_that_redirects_to_an_internal_address_is_not_followed(
    owner, vapid, settings
):
    # given: a "push service" that redirects the encrypted POST to an internal service
    with internal_service() as internal, redirect_to(f"{internal.url}/admin") as endpoint:
        allow_private_host(settings, endpoint.url)
        subscription = _subscription_at(owner, f"{endpoint.url}/push/1")

        # when
        sent = push_send(subscription=subscription, payload={"title": "hi"})

    # then
    assert sent is False
    assert len(endpoint.requests) == 1 and internal.requests == []


def test_a_stored_endpoint_on_an_internal_address_is_not_pushed_to(owner, vapid, settings):
    # given: subscribed while the (local) push service was allowed
    browsers = {"laptop": FakeBrowser()}
    with fake_push_service(browsers, settings) as service:
        subscription = _subscription_at(owner, service.endpoint("laptop"))
        settings.FLOWLINE_ALLOWED_PRIVATE_HOSTS = []

        # when
        sent = push_send(subscription=subscription, payload={"title": "hi"})

    # then
    assert sent is False
    assert service.deliveries == [] and service.refusals == []
