"""`integration/integrations/`: CRUD with secrets that never come back, roles, tenancy,
the URL guard, and the connection actions against a fake WordPress."""

import pytest
from django.db import connection

from flowline.core.roles import Role
from flowline.integration.models import SiteIntegration, SyncEvent
from flowline.integration.testing import APP_PASSWORD, USERNAME
from flowline.integration.tests.conftest import connect_wordpress
from flowline.sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/integration/integrations/"


def _create(member, site, base_url, **extra):
    body = {"site": site.id, "base_url": base_url, "username": USERNAME}
    body["app_password"] = extra.pop("app_password", APP_PASSWORD)
    return member.client.post(URL, {**body, **extra}, format="json")


def _secrets_absent(data: dict) -> None:
    text = str(data)
    assert "app_password" not in data
    assert APP_PASSWORD not in text and APP_PASSWORD.replace(" ", "") not in text


def test_admin_connects_a_site_and_the_password_is_stored_encrypted_and_never_returned(
    owner, fake_wordpress
):
    # given
    site = SiteFactory(account=owner.account)

    # when
    response = _create(owner, site, fake_wordpress.base_url + "/")

    # then
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    _secrets_absent(data)
    assert data["app_password_set"] is True and data["webhook_secret_set"] is True
    assert data["webhook_secret"].startswith("wpsec_")  # shown this once
    assert data["base_url"] == fake_wordpress.base_url and data["platform"] == "wordpress"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT app_password, webhook_secret FROM integration_siteintegration WHERE id = %s",
            [data["id"]],
        )
        stored_password, stored_secret = cursor.fetchone()
    assert APP_PASSWORD not in stored_password and data["webhook_secret"] not in stored_secret
    integration = SiteIntegration.unscoped.get(id=data["id"])
    assert integration.app_password == APP_PASSWORD
    # and no read shows either secret
    detail = owner.client.get(f"{URL}{data['id']}/").json()["data"]
    listed = owner.client.get(URL).json()["results"][0]
    for body in (detail, listed):
        _secrets_absent(body)
        assert "webhook_secret" not in body


def test_update_keeps_the_password_when_none_is_sent_and_replaces_it_when_one_is(
    owner, fake_wordpress
):
    # given
    integration = connect_wordpress(SiteFactory(account=owner.account), fake_wordpress)

    # when
    kept = owner.client.patch(f"{URL}{integration.id}/", {"username": "other"}, format="json")
    blank = owner.client.patch(f"{URL}{integration.id}/", {"app_password": ""}, format="json")
    integration.refresh_from_db()
    password_after_blank = integration.app_password
    replaced = owner.client.patch(
        f"{URL}{integration.id}/", {"app_password": "new pass word 1234"}, format="json"
    )

    # then
    assert kept.status_code == 200 and blank.status_code == 200 and replaced.status_code == 200
    _secrets_absent(replaced.json()["data"])
    assert password_after_blank == APP_PASSWORD
    integration.refresh_from_db()
    assert integration.username == "other" and integration.app_password == "new pass word 1234"


def test_a_second_integration_for_the_same_site_is_409(owner, fake_wordpress):
    site = SiteFactory(account=owner.account)
    assert _create(owner, site, fake_wordpress.base_url).status_code == 201

    response = _create(owner, site, fake_wordpress.base_url)

    assert response.status_code == 409
    assert response.json()["code"] == "integration_exists"


def test_another_accounts_site_is_400_and_its_integration_404(owner, other_owner, fake_wordpress):
    # given
    foreign_site = SiteFactory(account=other_owner.account)
    foreign = connect_wordpress(foreign_site, fake_wordpress)

    # when
    created = _create(owner, foreign_site, fake_wordpress.base_url)
    detail = owner.client.get(f"{URL}{foreign.id}/")
    tested = owner.client.post(f"{URL}{foreign.id}/test_connection/")
    listed = owner.client.get(URL)

    # then
    assert created.status_code == 400 and "site" in created.json()["errors"]
    assert detail.status_code == 404 and tested.status_code == 404
    assert listed.json()["count"] == 0
    assert fake_wordpress.requests == []


def test_editors_test_and_sync_but_only_admins_change_credentials(
    owner, member_factory, fake_wordpress
):
    # given
    editor = member_factory(owner, Role.EDITOR)
    viewer = member_factory(owner, Role.VIEWER)
    integration = connect_wordpress(SiteFactory(account=owner.account), fake_wordpress)

    # when / then
    assert (
        _create(editor, SiteFactory(account=owner.account), fake_wordpress.base_url).status_code
        == 403
    )
    assert editor.client.patch(f"{URL}{integration.id}/", {"username": "x"}).status_code == 403
    assert editor.client.post(f"{URL}{integration.id}/test_connection/").status_code == 200
    assert editor.client.post(f"{URL}{integration.id}/sync/").status_code == 200
    assert viewer.client.post(f"{URL}{integration.id}/test_connection/").status_code == 403
    assert viewer.client.get(f"{URL}{integration.id}/sync_status/").status_code == 200


def test_test_connection_with_good_credentials_names_the_wordpress_user(owner, fake_wordpress):
    integration = connect_wordpress(SiteFactory(account=owner.account), fake_wordpress)

    response = owner.client.post(f"{URL}{integration.id}/test_connection/")

    assert response.status_code == 200, response.content
    assert response.json()["data"] == {
        "connected": True,
        "user": {"id": 1, "name": "Flowline Editor", "roles": ["editor"]},
    }
    request = fake_wordpress.requests[-1]
    assert request["path"].startswith("/wp-json/wp/v2/users/me")
    assert request["headers"]["authorization"].startswith("Basic ")
    assert SyncEvent.unscoped.get(integration=integration).success is True


def test_test_connection_with_a_wrong_application_password_is_a_clear_400(owner, fake_wordpress):
    # given
    integration = connect_wordpress(
        SiteFactory(account=owner.account), fake_wordpress, app_password="wrong wrong wrong"
    )

    # when
    response = owner.client.post(f"{URL}{integration.id}/test_connection/")

    # then
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False and body["code"] == "wordpress_auth_failed"
    assert body["wordpress_code"] == "incorrect_password"
    assert "invalid application password" in body["error"]
    integration.refresh_from_db()
    assert "invalid application password" in integration.last_error
    assert SyncEvent.unscoped.get(integration=integration).success is False


def test_credentials_can_be_tried_before_they_are_saved(owner, fake_wordpress):
    url = f"{URL}test-connection/"
    good = {"base_url": fake_wordpress.base_url, "username": USERNAME, "app_password": APP_PASSWORD}

    ok = owner.client.post(url, good, format="json")
    bad = owner.client.post(url, {**good, "username": "nobody"}, format="json")

    assert ok.status_code == 200 and ok.json()["data"]["connected"] is True
    assert bad.status_code == 400 and bad.json()["code"] == "wordpress_auth_failed"
    assert SiteIntegration.unscoped.count() == 0


def test_a_site_that_is_down_is_a_502_and_a_site_that_hangs_a_504(owner, fake_wordpress, settings):
    # given
    settings.WORDPRESS_TIMEOUT = 1.0
    integration = connect_wordpress(SiteFactory(account=owner.account), fake_wordpress)
    fake_wordpress.fail("GET", "users/me", status=503, code="maintenance", message="Down")
    fake_wordpress.fail("GET", "users/me", mode="hang")

    # when
    down = owner.client.post(f"{URL}{integration.id}/test_connection/")
    hung = owner.client.post(f"{URL}{integration.id}/test_connection/")

    # then
    assert down.status_code == 502 and down.json()["code"] == "wordpress_unavailable"
    assert hung.status_code == 504 and hung.json()["code"] == "wordpress_timeout"


def test_sync_reads_post_types_categories_and_tags(owner, fake_wordpress):
    # given
    integration = connect_wordpress(SiteFactory(account=owner.account), fake_wordpress)
    fake_wordpress.add_term("tags", "Espresso", "espresso")

    # when
    synced = owner.client.post(f"{URL}{integration.id}/sync/")
    status = owner.client.get(f"{URL}{integration.id}/sync_status/")
    types = owner.client.get(f"{URL}{integration.id}/get_content_types/")

    # then
    assert synced.status_code == 200, synced.content
    data = status.json()["data"]
    assert data["sync_status"] == "success" and data["last_sync_at"]
    assert [t["slug"] for t in data["structure"]["tags"]] == ["espresso"]
    assert [c["slug"] for c in data["structure"]["categories"]] == ["uncategorized"]
    assert [t["slug"] for t in types.json()["data"]] == ["page", "post"]


def test_a_failed_sync_says_so_in_sync_status(owner, fake_wordpress):
    integration = connect_wordpress(
        SiteFactory(account=owner.account), fake_wordpress, app_password="nope"
    )

    response = owner.client.post(f"{URL}{integration.id}/sync/")

    assert response.status_code == 400
    status = owner.client.get(f"{URL}{integration.id}/sync_status/").json()["data"]
    assert status["sync_status"] == "failed" and "application password" in status["last_error"]


def test_the_site_reports_its_structure_through_update_structure(owner, fake_wordpress):
    integration = connect_wordpress(SiteFactory(account=owner.account), fake_wordpress)
    body = {
        "post_types": {"recipe": {"name": "Recipes", "rest_base": "recipes", "taxonomies": []}},
        "plugin_version": "1.2.0",
    }

    response = owner.client.post(f"{URL}{integration.id}/update-structure/", body, format="json")
    unknown = owner.client.post(
        f"{URL}{integration.id}/update-structure/", {"surprise": 1}, format="json"
    )

    assert response.status_code == 200, response.content
    types = owner.client.get(f"{URL}{integration.id}/get_content_types/").json()["data"]
    assert types == [
        {"slug": "recipe", "name": "Recipes", "rest_base": "recipes", "taxonomies": []}
    ]
    assert unknown.status_code == 400


def test_internal_addresses_are_refused_when_saved(owner):
    site = SiteFactory(account=owner.account)

    for url in ("http://127.0.0.1:8080", "http://10.0.0.5/", "http://169.254.169.254/"):
        response = _create(owner, site, url)
        assert response.status_code == 400, url
        assert response.json()["code"] == "forbidden_url"
        assert "base_url" in response.json()["errors"]
    assert _create(owner, site, "ftp://blog.example.com").status_code == 400


def test_internal_addresses_are_refused_when_used(owner, fake_wordpress, settings):
    # given: saved while allowed (a host re-pointed at an internal address looks the same)
    integration = connect_wordpress(SiteFactory(account=owner.account), fake_wordpress)
    settings.FLOWLINE_ALLOWED_PRIVATE_HOSTS = []

    # when
    response = owner.client.post(f"{URL}{integration.id}/test_connection/")

    # then
    assert response.status_code == 400 and response.json()["code"] == "forbidden_url"
    assert fake_wordpress.requests == []


def test_rotating_the_webhook_secret_shows_the_new_one_once(owner, fake_wordpress):
    integration = connect_wordpress(SiteFactory(account=owner.account), fake_wordpress)
    old = integration.webhook_secret

    response = owner.client.post(f"{URL}{integration.id}/rotate_webhook_secret/")

    assert response.status_code == 200
    new = response.json()["data"]["webhook_secret"]
    integration.refresh_from_db()
    assert new != old and integration.webhook_secret == new


def test_debug_status_counts_records_and_queue_items_and_shows_recent_events(owner, fake_wordpress):
    integration = connect_wordpress(SiteFactory(account=owner.account), fake_wordpress)
    owner.client.post(f"{URL}{integration.id}/test_connection/")

    response = owner.client.get(f"{URL}{integration.id}/debug_status/")

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["sync_status"] == "never" and data["records"] == {} and data["queue"] == {}
    assert [event["kind"] for event in data["recent_events"]] == ["test_connection"]


def test_plain_http_sites_are_refused_unless_allowed(owner, fake_wordpress, settings):
    # given: the fake is a plain-HTTP site, allowed for tests
    site = SiteFactory(account=owner.account)
    integration = connect_wordpress(SiteFactory(account=owner.account), fake_wordpress)
    settings.WORDPRESS_ALLOW_HTTP = False

    # when
    saved = _create(owner, site, "http://blog.example.com")
    used = owner.client.post(f"{URL}{integration.id}/test_connection/")
    secure = _create(owner, site, "https://blog.example.com")

    # then: the password is never sent in the clear
    assert saved.status_code == 400 and saved.json()["code"] == "insecure_url"
    assert used.status_code == 400 and used.json()["code"] == "insecure_url"
    assert fake_wordpress.requests == []
    assert secure.status_code == 201


def test_a_structure_holding_numbers_beyond_64_bits_is_kept_and_answered(owner, fake_wordpress):
    # given: a plugin's report with an integer JSON allows but 64 bits cannot hold
    integration = connect_wordpress(SiteFactory(account=owner.account), fake_wordpress)
    huge = 24571664839980882067456
    body = {"post_types": {"recipe": {"name": "Recipes", "counts": [huge]}}, "plugin_version": "1"}

    # when
    response = owner.client.post(f"{URL}{integration.id}/update-structure/", body, format="json")

    # then: no 500; the number comes back exactly as sent
    assert response.status_code == 200, response.content
    assert str(huge) in response.content.decode()
