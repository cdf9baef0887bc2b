"""Drive calls never reach an internal address: not the download location Graph answers
with, not a provider API or token endpoint that redirects or is itself internal."""

import pytest

from flowline.core.testing.outbound import allow_private_host, internal_service, redirect_to
from flowline.drives import public
from flowline.drives.testing.fixtures import connect_google_drive, connect_onedrive

pytestmark = pytest.mark.django_db


def test_a_download_location_on_an_internal_address_is_not_fetched(owner, fake_onedrive):
    # given: Graph answers the content request with a redirect to an internal address
    sheet = fake_onedrive.add_file("Leads.csv", b"name\nAda\n", "text/csv")
    connect_onedrive(owner, fake_onedrive)
    with internal_service() as internal:
        fake_onedrive.download_root = internal.url

        # when
        with pytest.raises(public.DriveUnavailable) as raised:
            public.download(
                user_id=owner.user.id, account_id=owner.account.id, provider="onedrive",
                file_id=sheet,
            )  # fmt: skip

    # then
    assert (raised.value.code, raised.value.transient) == ("forbidden_url", False)
    assert internal.requests == []


def test_a_provider_api_that_redirects_is_not_followed(owner, fake_google_drive, settings):
    connect_google_drive(owner, fake_google_drive)
    with internal_service() as internal, redirect_to(internal.url) as api:
        allow_private_host(settings, api.url)
        settings.DRIVE_GOOGLE_API_BASE = api.url

        # when
        with pytest.raises(public.DriveUnavailable) as raised:
            public.list_files(
                user_id=owner.user.id, account_id=owner.account.id, provider="google_drive"
            )

    # then: the user's token went to the configured address and no further
    assert raised.value.transient is False
    assert len(api.requests) == 1 and internal.requests == []


def test_a_token_endpoint_on_an_internal_address_not_allow_listed_is_refused(
    owner, fake_google_drive, settings
):
    # given: the access token is due for a refresh, and the token endpoint is not allowed
    connect_google_drive(owner, fake_google_drive, expires_in=10)
    settings.FLOWLINE_ALLOWED_PRIVATE_HOSTS = []

    # when
    with pytest.raises(public.DriveUnavailable) as raised:
        public.list_files(
            user_id=owner.user.id, account_id=owner.account.id, provider="google_drive"
        )

    # then
    assert raised.value.code == "forbidden_url"
    assert fake_google_drive.requests == []
