"""Every platform adapter against its local fake: it publishes and finds what it published,
settles an unknown outcome without sending twice, refreshes its token, and classifies
rate limits, server errors, revoked tokens and refused content the same way."""

from datetime import timedelta

import pytest
from django.utils import timezone

from flowline.core.testing.outbound import allow_private_host
from flowline.notifications.models import Notification
from flowline.social.errors import (
    AuthorizationError,
    ContentRejected,
    TransientPlatformError,
    UnknownOutcome,
)
from flowline.social.public import adapter_for
from flowline.social.testing.fixtures import connect_twitter
from flowline.social.tests.platforms import PLATFORMS


def _setup(request, owner, platform):
    fake_name, connect, variant = PLATFORMS[platform]
    fake = request.getfixturevalue(fake_name)
    return fake, connect(owner, fake), dict(variant)


@pytest.mark.django_db
@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_publish_then_find_published_and_metrics(request, owner, platform):
    # given
    fake, account, variant = _setup(request, owner, platform)
    since = timezone.now() - timedelta(minutes=1)
    adapter = adapter_for(account)

    # when
    published = adapter.publish(variant)
    found = adapter.find_published(variant, since)

    # then
    [post] = fake.posts
    assert post["id"] == published.external_id and post["text"] == variant["text"]
    assert published.url
    assert found is not None and found.external_id == published.external_id


@pytest.mark.django_db
@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_rate_limit_is_transient_with_retry_after(request, owner, platform):
    # given
    fake, account, variant = _setup(request, owner, platform)
    fake.fail_next("rate_limit", retry_after=30)

    # when
    with pytest.raises(TransientPlatformError) as caught:
        adapter_for(account).publish(variant)

    # then
    assert caught.value.retry_after is not None and 0 < caught.value.retry_after <= 30
    assert fake.posts == []
    account.refresh_from_db()
    assert account.status == "active"


@pytest.mark.django_db
@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_server_error_is_transient(request, owner, platform):
    fake, account, variant = _setup(request, owner, platform)
    fake.fail_next("server_error")

    with pytest.raises(TransientPlatformError):
        adapter_for(account).publish(variant)

    account.refresh_from_db()
    assert account.status == "active"


@pytest.mark.django_db
@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_timeout_after_accept_is_unknown_and_settled_without_resending(
    request, owner, platform, social_timeouts
):
    # given
    fake, account, variant = _setup(request, owner, platform)
    since = timezone.now() - timedelta(minutes=1)
    fake.fail_next("timeout_after_accept")
    adapter = adapter_for(account)

    # when
    with pytest.raises(UnknownOutcome):
        adapter.publish(variant)
    found = adapter_for(account).find_published(variant, since)

    # then: the post exists once and the lookup found it
    [post] = fake.posts
    assert found is not None and found.external_id == post["id"]


@pytest.mark.django_db
@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_timeout_before_accept_is_unknown_and_lookup_finds_nothing(
    request, owner, platform, social_timeouts
):
    fake, account, variant = _setup(request, owner, platform)
    since = timezone.now() - timedelta(minutes=1)
    fake.fail_next("timeout")

    with pytest.raises(UnknownOutcome):
        adapter_for(account).publish(variant)

    assert adapter_for(account).find_published(variant, since) is None
    assert fake.posts == []


@pytest.mark.django_db
@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_revoked_token_marks_the_account_and_notifies_once(request, owner, platform):
    # given
    fake, account, variant = _setup(request, owner, platform)
    fake.fail_next("token_revoked")

    # when: two posts hit the dead token
    for _ in range(2):
        with pytest.raises(AuthorizationError):
            adapter_for(account).publish(variant)

    # then
    account.refresh_from_db()
    assert account.status == "expired" and account.reconnect_notified_at is not None
    notices = Notification.unscoped.filter(notification_type="social_account_reconnect")
    assert notices.count() == 1 and notices.get().user_id == owner.user.id


@pytest.mark.django_db
@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_refused_content_is_rejected(request, owner, platform):
    fake, account, variant = _setup(request, owner, platform)
    fake.fail_next("content_rejected")

    with pytest.raises(ContentRejected):
        adapter_for(account).publish(variant)

    account.refresh_from_db()
    assert account.status == "active"


@pytest.mark.django_db
@pytest.mark.parametrize("platform", ["facebook", "twitter", "linkedin"])
def test_duplicate_post_is_rejected(request, owner, platform):
    # given
    fake, account, variant = _setup(request, owner, platform)
    adapter_for(account).publish(variant)

    # when / then
    with pytest.raises(ContentRejected):
        adapter_for(account).publish(variant)
    assert len(fake.posts) == 1


@pytest.mark.django_db
def test_unreachable_platform_is_transient(owner, fake_x, settings):
    account = connect_twitter(owner, fake_x)
    settings.SOCIAL_TWITTER_API_BASE = "http://127.0.0.1:9"  # discard port: refused
    allow_private_host(settings, settings.SOCIAL_TWITTER_API_BASE)

    with pytest.raises(TransientPlatformError):
        adapter_for(account).publish({"text": "hello"})


@pytest.mark.django_db
def test_expired_x_token_is_refreshed_and_the_post_goes_out(owner, fake_x):
    # given: the access token died but the refresh token works
    account = connect_twitter(owner, fake_x)
    old_refresh = account.refresh_token
    fake_x.expire_access_tokens()

    # when
    published = adapter_for(account).publish({"text": "after refresh"})

    # then
    assert [p["id"] for p in fake_x.posts] == [published.external_id]
    account.refresh_from_db()
    assert account.status == "active" and account.refresh_token != old_refresh
    assert fake_x.refresh_count == 1


@pytest.mark.django_db
def test_token_about_to_expire_is_refreshed_before_publishing(owner, fake_x):
    account = connect_twitter(owner, fake_x, expires_in=10)

    adapter_for(account).publish({"text": "fresh token"})

    assert fake_x.refresh_count == 1
    account.refresh_from_db()
    assert account.token_expires_at > timezone.now() + timedelta(hours=1)


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["expired", "disconnected"])
def test_dead_or_disconnected_account_is_not_sent_to_the_platform(owner, fake_x, status):
    from flowline.social.models import SocialAccount

    account = connect_twitter(owner, fake_x)
    SocialAccount.unscoped.filter(pk=account.pk).update(status=status)
    account.refresh_from_db()
    calls = len(fake_x.requests)

    with pytest.raises(AuthorizationError):
        adapter_for(account).publish({"text": "hello"})

    assert len(fake_x.requests) == calls
    account.refresh_from_db()
    assert account.status == status
    assert not Notification.unscoped.filter(notification_type="social_account_reconnect").exists()
