"""Social platform calls never reach an internal address: not a media URL a member gives
(or a redirect from it), not a platform API or token endpoint that redirects, not an
upload URL a platform answers with."""

import pytest

from flowline.core.testing.outbound import allow_private_host, internal_service, redirect_to
from flowline.social.errors import AuthorizationError, ContentRejected
from flowline.social.oauth import connector_for
from flowline.social.public import adapter_for
from flowline.social.testing.fixtures import connect_linkedin, connect_twitter

pytestmark = pytest.mark.django_db


def _with_media(url: str) -> dict:
    return {"text": "with image", "media": [{"url": url, "type": "image"}]}


def test_a_media_url_that_redirects_to_an_internal_address_is_not_fetched(owner, fake_x, settings):
    account = connect_twitter(owner, fake_x)
    with internal_service() as internal, redirect_to(f"{internal.url}/secret") as host:
        allow_private_host(settings, host.url)

        # when
        with pytest.raises(ContentRejected):
            adapter_for(account).publish(_with_media(f"{host.url}/a.png"))

    # then: nothing fetched from the internal service, nothing uploaded or posted
    assert len(host.requests) == 1 and internal.requests == []
    assert fake_x.posts == []


def test_a_media_url_on_an_internal_address_is_refused(owner, fake_x):
    account = connect_twitter(owner, fake_x)
    # when
    with internal_service() as internal, pytest.raises(ContentRejected) as raised:
        adapter_for(account).publish(_with_media(f"{internal.url}/latest/meta-data/"))

    # then
    assert raised.value.code == "forbidden_url"
    assert internal.requests == [] and fake_x.posts == []


def test_a_platform_api_that_redirects_is_not_followed(owner, fake_x, settings):
    account = connect_twitter(owner, fake_x)
    with internal_service() as internal, redirect_to(internal.url, status=307) as api:
        allow_private_host(settings, api.url)
        settings.SOCIAL_TWITTER_API_BASE = api.url

        # when
        with pytest.raises(ContentRejected) as raised:
            adapter_for(account).publish({"text": "hello"})

    # then: the token went to the address configured, and no further
    assert raised.value.remote_status == 307
    assert len(api.requests) == 1 and internal.requests == []


def test_a_platform_api_on_an_internal_address_not_allow_listed_is_refused(owner, fake_x, settings):
    account = connect_twitter(owner, fake_x)
    settings.FLOWLINE_ALLOWED_PRIVATE_HOSTS = []

    with pytest.raises(ContentRejected) as raised:
        adapter_for(account).publish({"text": "hello"})

    assert raised.value.code == "forbidden_url"
    assert fake_x.requests == []


def test_a_token_endpoint_that_redirects_is_not_followed(owner, fake_linkedin, settings):
    account = connect_linkedin(owner, fake_linkedin)
    with internal_service() as internal, redirect_to(internal.url) as token_endpoint:
        allow_private_host(settings, token_endpoint.url)
        settings.SOCIAL_LINKEDIN_TOKEN_URL = f"{token_endpoint.url}/oauth/v2/accessToken"

        # when
        with pytest.raises(AuthorizationError):
            connector_for("linkedin").refresh(account)

    # then: the refresh token went nowhere else
    assert len(token_endpoint.requests) == 1 and internal.requests == []


def test_an_upload_url_a_platform_answers_with_is_guarded_too(owner, fake_linkedin):
    # given: LinkedIn's initializeUpload points the bytes at an internal address
    account = connect_linkedin(owner, fake_linkedin)
    with internal_service() as internal:
        fake_linkedin.upload_root = internal.url

        # when
        with pytest.raises(ContentRejected) as raised:
            adapter_for(account).publish(_with_media(f"{fake_linkedin.root}/media/a.png"))

    # then: the member's token and image never reached it
    assert raised.value.code == "forbidden_url"
    assert internal.requests == []
