"""Two workers refreshing the same X account at once: X rotates refresh tokens, so
spending the same one twice would make the second answer invalid_grant and the account
look dead. The row lock serialises them; the second sees the new token and stops.
Needs PostgreSQL row locks."""

import pytest
from django.db import connection

from flowline.core.testing.race import race
from flowline.notifications.models import Notification
from flowline.social.models import SocialAccount
from flowline.social.services import health
from flowline.social.testing.fixtures import connect_twitter

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_concurrent_refreshes_spend_the_refresh_token_once(owner, fake_x):
    # given
    account = connect_twitter(owner, fake_x, expires_in=600)

    # when
    outcomes = race(lambda: health.account_refresh(social_account_id=account.pk), count=4)

    # then
    assert fake_x.refresh_count == 1
    assert outcomes == ["refreshed"] * 4
    account = SocialAccount.unscoped.get(pk=account.pk)
    assert account.status == "active" and account.access_token in fake_x.tokens
    assert not Notification.unscoped.filter(notification_type="social_account_reconnect").exists()
