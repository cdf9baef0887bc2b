"""The REST client against the fake: WordPress's answers mapped to our errors, terms
matched by slug or name, redirects and internal addresses refused."""

import pytest

from flowline.core.errors import ApplicationError
from flowline.core.tenancy import tenant_scope
from flowline.core.testing.outbound import allow_private_host, internal_service, redirect_to
from flowline.integration.testing import APP_PASSWORD, USERNAME
from flowline.integration.tests.conftest import connect_wordpress
from flowline.integration.wordpress import errors
from flowline.integration.wordpress.client import Credentials, WordPressClient


@pytest.fixture
def wp(fake_wordpress):
    with WordPressClient(Credentials(fake_wordpress.base_url, USERNAME, APP_PASSWORD)) as client:
        yield client


@pytest.mark.parametrize(
    ("status", "code", "error", "transient"),
    [
        (401, "rest_cannot_create", errors.WordPressAuthError, False),
        (403, "rest_cannot_create", errors.WordPressForbidden, False),
        (404, "rest_no_route", errors.WordPressNotFound, False),
        (400, "rest_invalid_param", errors.WordPressRejected, False),
        (410, "rest_already_trashed", errors.WordPressRejected, False),
        (429, "too_many_requests", errors.WordPressUnavailable, True),
        (500, "internal_server_error", errors.WordPressUnavailable, True),
        (503, "maintenance", errors.WordPressUnavailable, True),
    ],
)
def test_wordpress_error_answers_become_errors_that_say_whether_to_retry(
    fake_wordpress, wp, status, code, error, transient
):
    fake_wordpress.fail("GET", "types", status=status, code=code, message="Nope.")

    with pytest.raises(error) as raised:
        wp.types()

    assert raised.value.transient is transient
    assert raised.value.wp_code == code and raised.value.wp_status == status
    assert "Nope." in raised.value.message


def test_retry_after_is_kept_for_the_backoff(fake_wordpress, wp):
    fake_wordpress.fail("GET", "types", status=429, headers={"Retry-After": "7"})

    with pytest.raises(errors.WordPressUnavailable) as raised:
        wp.types()

    assert raised.value.retry_after == 7.0


def test_a_site_without_the_rest_api_is_a_clear_error(fake_wordpress):
    credentials = Credentials(fake_wordpress.base_url + "/blog", USERNAME, APP_PASSWORD)

    with WordPressClient(credentials) as client, pytest.raises(errors.WordPressNotFound):
        client.me()


def test_a_refused_connection_is_transient(fake_wordpress):
    fake_wordpress.stop()

    credentials = Credentials(fake_wordpress.base_url, USERNAME, APP_PASSWORD)
    with (
        WordPressClient(credentials) as client,
        pytest.raises(errors.WordPressUnavailable) as raised,
    ):
        client.me()

    assert raised.value.transient is True


def test_a_read_that_times_out_is_not_an_unknown_outcome(fake_wordpress):
    fake_wordpress.fail("GET", "types", mode="hang")

    credentials = Credentials(fake_wordpress.base_url, USERNAME, APP_PASSWORD)
    with (
        WordPressClient(credentials, timeout=0.3) as client,
        pytest.raises(errors.WordPressTimeout) as raised,
    ):
        client.types()

    assert not isinstance(raised.value, errors.UnknownOutcome)


def test_terms_are_matched_by_slug_then_by_name_then_created(fake_wordpress, wp):
    by_slug = fake_wordpress.add_term("categories", "Coffee", "coffee")
    by_name = fake_wordpress.add_term("tags", "Espresso", "espresso-drinks")

    assert wp.ensure_term("categories", name="Coffee", slug="coffee") == by_slug
    assert wp.ensure_term("tags", name="Espresso", slug="espresso") == by_name
    created = wp.ensure_term("tags", name="Latte art", slug="latte-art")

    assert fake_wordpress.terms["tags"][created]["slug"] == "latte-art"
    assert len(fake_wordpress.terms["tags"]) == 2


def test_a_site_that_redirects_is_not_followed_with_the_credentials(fake_wordpress, settings):
    # given: the site's address answers with a redirect to an internal service
    with internal_service() as internal, redirect_to(f"{internal.url}/wp-json") as site:
        allow_private_host(settings, site.url)
        credentials = Credentials(site.url, USERNAME, APP_PASSWORD)

        # when
        with WordPressClient(credentials) as client, pytest.raises(errors.WordPressRejected):
            client.me()

    # then: the Basic credentials went to the site's address only
    assert len(site.requests) == 1 and internal.requests == []


def test_a_site_on_an_internal_address_not_allow_listed_is_refused(fake_wordpress, settings):
    settings.FLOWLINE_ALLOWED_PRIVATE_HOSTS = []
    credentials = Credentials(fake_wordpress.base_url, USERNAME, APP_PASSWORD)

    with pytest.raises(ApplicationError) as raised:
        WordPressClient(credentials)

    assert raised.value.code == "forbidden_url"
    assert fake_wordpress.requests == []


@pytest.mark.django_db
def test_sync_wordpress_content_brings_records_up_to_date(owner, article, fake_wordpress):
    # given: published, then changed and deleted on the site
    from flowline.integration.public import publish_content
    from flowline.writer.tests.factories import ContentFactory

    integration = connect_wordpress(article.site, fake_wordpress)
    second = ContentFactory(
        account=owner.account, site=article.site, sector=article.sector, title="Second"
    )
    with tenant_scope(owner.account_id):
        kept, gone = publish_content(
            account_id=owner.account_id, content_ids=[article.id, second.id]
        )
    fake_wordpress.posts[int(kept.external_id)]["status"] = "draft"
    del fake_wordpress.posts[int(gone.external_id)]

    # when
    response = owner.client.post(
        f"/api/v1/integration/integrations/{integration.id}/sync_wordpress_content/"
    )

    # then
    assert response.status_code == 200, response.content
    assert response.json()["data"] == {"posts_read": 1, "records": 2, "updated": 1, "missing": 1}
    kept.refresh_from_db()
    gone.refresh_from_db()
    assert kept.post_status == "draft" and kept.remote["status"] == "draft"
    assert gone.remote["status"] == "missing"
    events = owner.client.get(f"/api/v1/integration/integrations/{integration.id}/events/")
    assert events.json()["results"][0]["kind"] == "content_sync"


@pytest.mark.django_db
def test_an_integration_turned_off_does_not_publish(owner, article, fake_wordpress):
    from flowline.integration.public import publish_content

    connect_wordpress(article.site, fake_wordpress, is_active=False)

    with pytest.raises(ApplicationError) as raised, tenant_scope(owner.account_id):
        publish_content(account_id=owner.account_id, content_ids=[article.id])

    assert raised.value.code == "integration_inactive"
    assert fake_wordpress.requests == []
