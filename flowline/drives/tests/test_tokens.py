"""Token refresh: proactive before expiry, once on a 401, and a dead refresh token."""

import pytest

from flowline.drives import public
from flowline.drives.models import CloudConnection
from flowline.drives.testing.fixtures import connect_google_drive, connect_onedrive

API = "/api/v1"


@pytest.mark.django_db
def test_expired_access_token_is_refreshed_before_the_call(owner, fake_google_drive):
    # given: the stored token expired (the fake refuses it too)
    fake_google_drive.add_file("a.txt", b"a", "text/plain")
    connection = connect_google_drive(owner, fake_google_drive, expires_in=-60)
    old_refresh = connection.refresh_token
    fake_google_drive.expire_access_tokens()

    # when
    response = owner.client.get(f"{API}/drive/files/")

    # then
    assert response.status_code == 200
    assert [f["name"] for f in response.json()["results"]] == ["a.txt"]
    connection.refresh_from_db()
    assert fake_google_drive.access_tokens[connection.access_token] is True
    assert connection.refresh_token == old_refresh  # Google does not rotate it
    assert fake_google_drive.refresh_count == 1


@pytest.mark.django_db
def test_token_rejected_by_the_api_is_refreshed_once_and_the_call_retried(owner, fake_onedrive):
    # given: the token looks valid here but the provider revoked it
    fake_onedrive.add_file("o.txt", b"o", "text/plain")
    connection = connect_onedrive(owner, fake_onedrive)
    old_refresh = connection.refresh_token
    fake_onedrive.expire_access_tokens()

    # when
    files = public.list_files(
        user_id=owner.user.id, account_id=owner.account.id, provider="onedrive"
    )

    # then
    assert [f.name for f in files] == ["o.txt"]
    connection.refresh_from_db()
    assert connection.refresh_token != old_refresh  # Microsoft rotates refresh tokens
    assert fake_onedrive.refresh_count == 1


@pytest.mark.django_db
def test_dead_refresh_token_expires_the_connection_with_a_clear_401(owner, fake_google_drive):
    # given
    connection = connect_google_drive(owner, fake_google_drive)
    fake_google_drive.expire_access_tokens()
    fake_google_drive.revoke_refresh_tokens()

    # when
    first = owner.client.get(f"{API}/drive/files/")
    second = owner.client.get(f"{API}/drive/files/")

    # then
    assert first.status_code == 401
    assert first.json()["code"] == "drive_token_expired"
    connection.refresh_from_db()
    assert connection.status == CloudConnection.Status.EXPIRED
    assert second.json()["code"] == "drive_token_expired"
    assert fake_google_drive.refresh_count == 0
    refreshes = [r for r in fake_google_drive.requests if r["path"] == "/token"]
    assert len(refreshes) == 1  # the expired connection is not retried against Google
    with pytest.raises(public.DriveTokenExpired):
        public.list_files(
            user_id=owner.user.id, account_id=owner.account.id, provider="google_drive"
        )


@pytest.mark.django_db
def test_provider_down_is_a_transient_502(owner, fake_google_drive):
    # given: a connection whose API base points at the stopped fake
    connect_google_drive(owner, fake_google_drive)
    fake_google_drive.stop()

    # when
    with pytest.raises(public.DriveUnavailable) as raised:
        public.list_files(
            user_id=owner.user.id, account_id=owner.account.id, provider="google_drive"
        )
    response = owner.client.get(f"{API}/drive/files/")

    # then
    assert raised.value.transient is True
    assert response.status_code == 502 and response.json()["code"] == "drive_unavailable"
