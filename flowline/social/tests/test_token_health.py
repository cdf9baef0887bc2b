"""Token health: the beat refreshes tokens ahead of expiry, a blip is retried later
without disconnecting, a refused refresh marks the account and notifies once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from flowline.notifications.models import Notification
from flowline.social import tasks
from flowline.social.errors import TransientPlatformError
from flowline.social.models import SocialAccount
from flowline.social.public import adapter_for
from flowline.social.services import health
from flowline.social.testing.fixtures import (
    connect_facebook_page,
    connect_linkedin,
    connect_twitter,
    connect_whatsapp,
)
from flowline.webhooks.models import WebhookDelivery
from flowline.webhooks.tests.factories import WebhookEndpointFactory


def _notices():
    return Notification.unscoped.filter(notification_type="social_account_reconnect")


@pytest.mark.django_db
def test_beat_refreshes_tokens_due_and_leaves_the_others(owner, fake_x, fake_linkedin):
    # given
    fresh_x = connect_twitter(owner, fake_x, expires_in=7200)
    SocialAccount.unscoped.filter(pk=fresh_x.pk).update(external_id="other-user")
    due_x = connect_twitter(owner, fake_x, expires_in=600)
    due_li = connect_linkedin(owner, fake_linkedin, expires_in=2 * 24 * 3600)
    old_x_refresh = due_x.refresh_token

    # when
    counts = tasks.refresh_tokens()

    # then
    assert counts == {"refreshed": 2}
    due_x.refresh_from_db()
    due_li.refresh_from_db()
    assert due_x.refresh_token != old_x_refresh  # X rotates refresh tokens
    assert due_x.access_token in fake_x.tokens and due_x.last_refreshed_at is not None
    assert due_li.token_expires_at > timezone.now() + timedelta(days=59)
    assert fake_linkedin.refresh_count == 1


@pytest.mark.django_db
def test_x_token_with_two_hours_left_is_not_refreshed_yet(owner, fake_x):
    connect_twitter(owner, fake_x, expires_in=7200)

    assert tasks.refresh_tokens() == {}
    assert fake_x.refresh_count == 0


@pytest.mark.django_db
def test_facebook_page_refresh_exchanges_the_long_lived_user_token(owner, fake_graph):
    # given
    account = connect_facebook_page(owner, fake_graph)
    SocialAccount.unscoped.filter(pk=account.pk).update(
        token_expires_at=timezone.now() + timedelta(days=1)
    )
    old_user_token = account.refresh_token

    # when
    counts = tasks.refresh_tokens()

    # then
    assert counts == {"refreshed": 1}
    account.refresh_from_db()
    assert account.refresh_token != old_user_token and account.refresh_token in fake_graph.tokens
    assert account.access_token == fake_graph.pages[account.external_id]["access_token"]
    assert account.token_expires_at > timezone.now() + timedelta(days=50)


@pytest.mark.django_db
def test_whatsapp_refresh_replaces_the_user_token(owner, fake_graph):
    account = connect_whatsapp(owner, fake_graph)
    SocialAccount.unscoped.filter(pk=account.pk).update(
        token_expires_at=timezone.now() + timedelta(days=1)
    )

    assert tasks.refresh_tokens() == {"refreshed": 1}
    account.refresh_from_db()
    assert account.access_token == account.refresh_token
    assert account.access_token in fake_graph.tokens


@pytest.mark.django_db
def test_transient_refresh_failure_keeps_the_account_and_backs_off(owner, fake_x):
    # given
    account = connect_twitter(owner, fake_x, expires_in=600)
    fake_x.fail_next("server_error", on="oauth")

    # when
    first = tasks.refresh_tokens()
    second = tasks.refresh_tokens()  # before the back-off ends: not tried again

    # then
    assert first == {"retry": 1} and second == {}
    account.refresh_from_db()
    assert account.status == "active" and account.refresh_failures == 1
    assert account.refresh_retry_at > timezone.now()
    assert not _notices().exists()

    # and once the back-off is over, it goes through
    SocialAccount.unscoped.filter(pk=account.pk).update(refresh_retry_at=timezone.now())
    assert tasks.refresh_tokens() == {"refreshed": 1}
    account.refresh_from_db()
    assert account.refresh_failures == 0 and account.refresh_retry_at is None


@pytest.mark.django_db
def test_rate_limited_refresh_waits_at_least_retry_after(owner, fake_x, settings):
    settings.SOCIAL_REFRESH_RETRY = 10
    account = connect_twitter(owner, fake_x, expires_in=600)
    fake_x.fail_next("rate_limit", on="oauth", retry_after=900)

    assert tasks.refresh_tokens() == {"retry": 1}

    account.refresh_from_db()
    assert account.refresh_retry_at > timezone.now() + timedelta(seconds=800)


@pytest.mark.django_db
def test_refused_refresh_marks_the_account_dead_and_notifies_once(owner, fake_x):
    # given
    WebhookEndpointFactory(account=owner.account)
    account = connect_twitter(owner, fake_x, expires_in=600)
    fake_x.revoke_all()

    # when
    first = tasks.refresh_tokens()
    second = tasks.refresh_tokens()

    # then
    assert first == {"dead": 1} and second == {}
    account.refresh_from_db()
    assert account.status == "expired" and "refused" in account.last_error
    [notice] = _notices()
    assert notice.user_id == owner.user.id and "Reconnect" in notice.title
    assert list(WebhookDelivery.unscoped.values_list("event_type", flat=True)) == [
        "social_account.expired"
    ]
    detail = owner.client.get(f"/api/v1/social/accounts/{account.id}/").json()["data"]
    assert detail["needs_reconnect"] is True


@pytest.mark.django_db
def test_marking_dead_twice_sends_one_notice(owner, fake_x):
    account = connect_twitter(owner, fake_x)

    sent = [
        health.account_mark_dead(social_account_id=account.pk, reason="token refused")
        for _ in range(3)
    ]

    assert sent == [True, False, False]
    assert _notices().count() == 1


@pytest.mark.django_db
def test_notice_goes_to_admins_when_the_connecting_member_left(owner, fake_x, member_factory):
    # given: connected by a member who is no longer in the account
    from flowline.core.roles import Role

    admin = member_factory(owner, Role.ADMIN)
    account = connect_twitter(admin, fake_x)
    admin.membership.delete()

    # when
    health.account_mark_dead(social_account_id=account.pk, reason="token refused")

    # then
    assert set(_notices().values_list("user_id", flat=True)) == {owner.user.id}


@pytest.mark.django_db
def test_a_refresh_already_done_by_another_worker_is_not_repeated(owner, fake_x):
    # given: a worker read the token, another refreshed it meanwhile
    account = connect_twitter(owner, fake_x, expires_in=600)
    stale = account.access_token
    health.token_refresh(social_account_id=account.pk, stale_token=stale)

    # when: the first worker refreshes with what it read
    again = health.token_refresh(social_account_id=account.pk, stale_token=stale)

    # then: the rotated refresh token was not spent twice
    assert fake_x.refresh_count == 1 and again.status == "active"


@pytest.mark.django_db
def test_a_worker_that_read_the_account_after_a_refresh_does_not_refresh_again(owner, fake_x):
    # given: one beat worker refreshed the due token
    account = connect_twitter(owner, fake_x, expires_in=600)
    assert health.account_refresh(social_account_id=account.pk) == "refreshed"

    # when: a second worker, queued for the same account, reads it only now
    outcome = health.account_refresh(social_account_id=account.pk)

    # then: the fresh token is no longer due, so nothing is spent again
    assert outcome == "refreshed" and fake_x.refresh_count == 1


@pytest.mark.django_db
def test_publishing_with_a_refresh_blip_is_transient_not_dead(owner, fake_x):
    # given: the access token expired and the token endpoint fails once
    account = connect_twitter(owner, fake_x)
    fake_x.expire_access_tokens()
    fake_x.fail_next("server_error", on="oauth")

    # when
    with pytest.raises(TransientPlatformError):
        adapter_for(account).publish({"text": "hello"})

    # then
    account.refresh_from_db()
    assert account.status == "active" and not _notices().exists()


@pytest.mark.django_db
def test_a_disconnected_account_is_never_announced_dead(owner, fake_x):
    account = connect_twitter(owner, fake_x)
    owner.client.post(f"/api/v1/social/accounts/{account.id}/disconnect/")

    sent = health.account_mark_dead(social_account_id=account.pk, reason="token refused")

    assert sent is False and not _notices().exists()
    account.refresh_from_db()
    assert account.status == "disconnected"


def test_token_health_tells_healthy_refreshing_and_needs_reconnect_apart():
    now = timezone.now()

    def health_of(**fields):
        values = {"platform": "twitter", "status": SocialAccount.Status.ACTIVE, **fields}
        return health.token_health(SocialAccount(**values), now=now)

    # a fresh X token, and one in its last half hour (the beat refreshes it)
    assert health_of(token_expires_at=now + timedelta(hours=2)) == "healthy"
    assert health_of(token_expires_at=now + timedelta(minutes=10)) == "refreshing"
    # a refresh that failed on a blip is retried later: still refreshing, not dead
    assert health_of(token_expires_at=now, refresh_retry_at=now + timedelta(minutes=1)) == (
        "refreshing"
    )
    # a LinkedIn token with weeks left; one the platform refused
    assert health_of(platform="linkedin", token_expires_at=now + timedelta(days=50)) == "healthy"
    assert health_of(status=SocialAccount.Status.EXPIRED) == "needs_reconnect"
    assert health_of(status=SocialAccount.Status.DISCONNECTED) == "disconnected"
