"""Notifications in the console: the inbox read and unread, preferences per kind and
channel, and Web Push turned on and off in this browser; over HTTP and in Chromium."""

import pytest
from playwright.sync_api import expect

from flowline.core.testing.pages import CSRF, page_client
from flowline.notifications.models import Notification, NotificationPreference, PushSubscription
from flowline.notifications.tests.factories import NotificationFactory
from flowline.sandbox.push.push_service import FakeBrowser


def _channels(member, kind: str) -> tuple[bool, bool, bool]:
    row = NotificationPreference.unscoped.get(
        account_id=member.account_id, user=member.user, notification_type=kind
    )
    return row.in_app, row.email, row.push


@pytest.mark.django_db
def test_preferences_are_saved_for_every_kind_shown_with_unticked_boxes_off(owner):
    client = page_client(owner)
    page = client.get("/notifications/preferences/").content.decode()
    assert 'name="credits_low:email"' in page and 'name="job_failed:push"' in page

    # when: only credits_low's in-app box and job_failed's three boxes are ticked
    answer = client.post(
        "/notifications/preferences/",
        {
            "csrf_token": CSRF,
            "kind": ["credits_low", "job_failed"],
            "credits_low:in_app": "on",
            "job_failed:in_app": "on",
            "job_failed:email": "on",
            "job_failed:push": "on",
        },
    )
    # then: the API stored each channel as shown
    assert answer.status_code == 302
    assert _channels(owner, "credits_low") == (True, False, False)
    assert _channels(owner, "job_failed") == (True, True, True)


@pytest.mark.django_db
def test_an_unknown_kind_is_refused_with_the_apis_words(owner):
    answer = page_client(owner).post(
        "/notifications/preferences/", {"csrf_token": CSRF, "kind": ["no_such_kind"]}
    )
    assert answer.status_code == 400
    assert b"Unknown notification type." in answer.content
    assert not NotificationPreference.unscoped.filter(user=owner.user).exists()


@pytest.mark.django_db
def test_push_is_offered_only_when_the_server_has_vapid_keys(owner, settings, vapid):
    client = page_client(owner)
    assert (
        f'data-public-key="{vapid}"' in client.get("/notifications/preferences/").content.decode()
    )
    settings.VAPID_PRIVATE_KEY = ""
    page = client.get("/notifications/preferences/").content.decode()
    assert 'data-enabled="false"' in page and "Push is not set up" in page


# The browser's push service is Google's, out of reach here: the test gives the page a
# PushManager that answers with a subscription of the fake browser the push tests use.
FAKE_PUSH_MANAGER = """
(() => {
  let current = null;
  PushManager.prototype.getSubscription = async function () { return current; };
  PushManager.prototype.subscribe = async function (options) {
    const key = options.applicationServerKey;
    if (!(key instanceof Uint8Array) || key.length !== 65) throw new Error("not a P-256 key");
    const json = { endpoint: ENDPOINT, expirationTime: null, keys: { p256dh: P256DH, auth: AUTH } };
    current = { endpoint: json.endpoint, toJSON: () => json,
                unsubscribe: async () => { current = null; return true; } };
    return current;
  };
})();
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_member_reads_notifications_sets_preferences_and_turns_on_push(console, owner, vapid):
    # given: two unread notifications, and a server with VAPID keys
    older = NotificationFactory(account=owner.account, title="Clustering finished")
    NotificationFactory(account=owner.account, title="Credits are running low")
    browser = FakeBrowser()
    endpoint = "https://push.example.com/send/console-test"
    console.page.context.grant_permissions(["notifications"])
    console.page.add_init_script(
        FAKE_PUSH_MANAGER.replace("ENDPOINT", f'"{endpoint}"')
        .replace("P256DH", f'"{browser.p256dh}"')
        .replace("AUTH", f'"{browser.auth}"')
    )
    console.sign_in(owner)
    page = console.page

    # when: they open the inbox, choose the older one and mark it read
    console.go("/notifications/")
    expect(page.locator("[data-bell-count]")).to_have_text("2")
    row = page.locator("tr", has_text="Clustering finished")
    row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Mark read", exact=True).click()
    # then: it is read, the other is not
    expect(row.get_by_title("Unread")).to_have_count(0)
    expect(
        page.locator("tr", has_text="Credits are running low").get_by_title("Unread")
    ).to_be_visible()
    expect(page.locator("[data-bell-count]")).to_have_text("1")
    older.refresh_from_db()
    assert older.read_at is not None
    assert Notification.unscoped.filter(user=owner.user, read_at__isnull=True).count() == 1
    console.shot("notifications-inbox")

    # when: in the preferences they stop e-mails about low credits
    page.get_by_role("link", name="Preferences").click()
    email = page.get_by_label("Credits low by e-mail")
    expect(email).to_be_checked()
    email.uncheck()
    page.get_by_role("button", name="Save preferences").click()
    # then: saved through the API, and shown as saved
    expect(page.get_by_text("Preferences saved.")).to_be_visible()
    expect(page.get_by_label("Credits low by e-mail")).not_to_be_checked()
    assert _channels(owner, "credits_low") == (True, False, True)

    # when: they turn on push in this browser
    expect(page.locator("[data-push-state]")).to_have_text("Push is off in this browser.")
    page.get_by_role("button", name="Turn on push").click()
    # then: the browser's subscription is the API's
    expect(page.locator("[data-push-state]")).to_have_text("Push is on in this browser.")
    subscription = PushSubscription.unscoped.get(user=owner.user)
    assert (subscription.endpoint, subscription.p256dh) == (endpoint, browser.p256dh)
    console.shot("notifications-preferences")

    # when: they turn it off again
    page.get_by_role("button", name="Turn off push").click()
    expect(page.locator("[data-push-state]")).to_have_text("Push is off in this browser.")
    assert not PushSubscription.unscoped.filter(user=owner.user).exists()
