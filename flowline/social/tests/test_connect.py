"""Connecting social accounts through the API: OAuth with signed state (+ PKCE for X),
tokens encrypted at rest and never shown, reconnecting in place, disconnecting."""

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.db import connection

from flowline.core.roles import Role
from flowline.social.models import SocialAccount
from flowline.social.tests.factories import SocialAccountFactory

API = "/api/v1/social/accounts"


def _consent(authorization_url: str) -> dict:
    """Play the user's consent at the fake: the code and state it redirects back with."""
    answer = httpx.get(authorization_url, follow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    return {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["Location"]).query).items()}


def _connect(member, platform: str, **body):
    init = member.client.post(f"{API}/", {"platform": platform, **body}, format="json")
    assert init.status_code == 200, init.content
    url = init.json()["data"]["authorization_url"]
    return url, member.client.post(f"{API}/connect/callback/", _consent(url), format="json")


def _raw_tokens(pk: int) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT access_token, refresh_token FROM social_socialaccount WHERE id = %s", [pk]
        )
        return cursor.fetchone()


@pytest.mark.django_db
def test_owner_connects_facebook_pages_with_page_tokens(owner, fake_graph):
    # given: the user manages two pages
    second = fake_graph.add_page("Acme Outlet", instagram=None)

    # when
    url, done = _connect(owner, "facebook")

    # then
    assert done.status_code == 201, done.content
    rows = done.json()["data"]
    assert {r["external_id"] for r in rows} == set(fake_graph.pages)
    assert all(r["platform"] == "facebook" and r["status"] == "active" for r in rows)
    assert all("access_token" not in r and "refresh_token" not in r for r in rows)
    outlet = SocialAccount.unscoped.get(external_id=second["id"])
    assert outlet.access_token == second["access_token"]  # the page token, not the user's
    assert outlet.refresh_token in fake_graph.tokens  # the long-lived user token
    assert outlet.token_expires_at is not None
    raw_access, raw_refresh = _raw_tokens(outlet.pk)
    assert second["access_token"] not in raw_access and raw_refresh != outlet.refresh_token
    assert "code_challenge" not in parse_qs(urlsplit(url).query)


@pytest.mark.django_db
def test_owner_connects_instagram_through_the_page(owner, fake_graph):
    # when
    _, done = _connect(owner, "instagram")

    # then
    assert done.status_code == 201, done.content
    [row] = done.json()["data"]
    [ig_id] = fake_graph.instagram
    assert row["external_id"] == ig_id and row["username"] == "acme.store"
    account = SocialAccount.unscoped.get(pk=row["id"])
    assert account.meta["page_id"] == fake_graph.instagram[ig_id]["page_id"]


@pytest.mark.django_db
def test_owner_connects_a_whatsapp_number(owner, fake_graph):
    # when
    _, done = _connect(owner, "whatsapp")

    # then
    assert done.status_code == 201, done.content
    [row] = done.json()["data"]
    assert row["external_id"] in fake_graph.whatsapp and row["username"] == "+1 555 0100"


@pytest.mark.django_db
def test_owner_connects_x_with_pkce(owner, fake_x):
    # when
    url, done = _connect(owner, "twitter")

    # then
    sent = parse_qs(urlsplit(url).query)
    assert sent["code_challenge_method"] == ["S256"] and "offline.access" in sent["scope"][0]
    assert done.status_code == 201, done.content
    [row] = done.json()["data"]
    assert row["external_id"] == fake_x.user["id"] and row["username"] == "acmestore"
    token_call = next(r for r in fake_x.requests if r["path"] == "/2/oauth2/token")
    assert parse_qs(token_call["body"].decode())["code_verifier"]
    account = SocialAccount.unscoped.get(pk=row["id"])
    assert account.refresh_token in fake_x.refresh_tokens


@pytest.mark.django_db
def test_owner_connects_linkedin(owner, fake_linkedin):
    # when
    _, done = _connect(owner, "linkedin")

    # then
    assert done.status_code == 201, done.content
    [row] = done.json()["data"]
    assert row["external_id"] == fake_linkedin.member["sub"] and row["name"] == "Ada Lovelace"
    assert SocialAccount.unscoped.get(pk=row["id"]).meta["urn"] == fake_linkedin.urn


@pytest.mark.django_db
def test_connect_init_by_platform_path_and_site(owner, fake_x):
    # given
    from flowline.sites.tests.factories import SiteFactory

    site = SiteFactory(account=owner.account)

    # when
    init = owner.client.post(f"{API}/connect/twitter/init/", {"site": site.id}, format="json")
    done = owner.client.post(
        f"{API}/connect/callback/",
        _consent(init.json()["data"]["authorization_url"]),
        format="json",
    )

    # then
    assert done.status_code == 201, done.content
    assert done.json()["data"][0]["site"] == site.id


@pytest.mark.django_db
def test_forged_state_is_refused_before_calling_the_platform(owner, fake_x):
    # given
    init = owner.client.post(f"{API}/", {"platform": "twitter"}, format="json").json()["data"]
    returned = _consent(init["authorization_url"])
    calls = len(fake_x.requests)

    # when
    forged = owner.client.post(
        f"{API}/connect/callback/",
        {"code": returned["code"], "state": returned["state"][:-3] + "AAA"},
        format="json",
    )

    # then
    assert forged.status_code == 400 and forged.json()["code"] == "oauth_state_invalid"
    assert len(fake_x.requests) == calls
    assert not SocialAccount.unscoped.exists()


@pytest.mark.django_db
def test_replayed_state_is_refused(owner, fake_x):
    # given
    init = owner.client.post(f"{API}/", {"platform": "twitter"}, format="json").json()["data"]
    returned = _consent(init["authorization_url"])
    first = owner.client.post(f"{API}/connect/callback/", returned, format="json")
    assert first.status_code == 201

    # when
    replay = owner.client.post(f"{API}/connect/callback/", returned, format="json")

    # then
    assert replay.status_code == 400 and replay.json()["code"] == "oauth_state_invalid"


@pytest.mark.django_db
def test_state_of_another_account_is_refused(owner, other_owner, fake_x):
    # given
    init = owner.client.post(f"{API}/", {"platform": "twitter"}, format="json").json()["data"]
    returned = _consent(init["authorization_url"])

    # when
    stolen = other_owner.client.post(f"{API}/connect/callback/", returned, format="json")

    # then
    assert stolen.status_code == 400 and stolen.json()["code"] == "oauth_state_invalid"
    assert not SocialAccount.unscoped.exists()


@pytest.mark.django_db
def test_reconnecting_keeps_the_row_and_the_stored_refresh_token(owner, fake_linkedin):
    # given: a LinkedIn account that died, connected when LinkedIn still gave refresh tokens
    _, first = _connect(owner, "linkedin")
    account = SocialAccount.unscoped.get(pk=first.json()["data"][0]["id"])
    kept_refresh = account.refresh_token
    SocialAccount.unscoped.filter(pk=account.pk).update(status="expired")
    fake_linkedin.issue_refresh_tokens = False

    # when
    _, again = _connect(owner, "linkedin")

    # then
    assert again.status_code == 201
    assert again.json()["data"][0]["id"] == account.pk
    account.refresh_from_db()
    assert account.status == "active" and account.reconnect_notified_at is None
    assert account.refresh_token == kept_refresh
    assert SocialAccount.unscoped.count() == 1


@pytest.mark.django_db
def test_unconfigured_platform_is_503(owner, settings):
    settings.SOCIAL_TWITTER_CLIENT_ID = ""

    response = owner.client.post(f"{API}/", {"platform": "twitter"}, format="json")

    assert response.status_code == 503
    assert response.json()["code"] == "social_platform_not_configured"


@pytest.mark.django_db
def test_unknown_platform_is_400(owner):
    response = owner.client.post(f"{API}/connect/myspace/init/", {}, format="json")

    assert response.status_code == 400
    assert "platform" in response.json()["errors"]


@pytest.mark.django_db
def test_editor_cannot_connect_or_disconnect_but_can_read(owner, member_factory, fake_x):
    # given
    editor = member_factory(owner, Role.EDITOR)
    account = SocialAccountFactory(account=owner.account)

    # when / then
    assert editor.client.post(f"{API}/", {"platform": "twitter"}, format="json").status_code == 403
    assert editor.client.post(f"{API}/{account.id}/disconnect/").status_code == 403
    assert editor.client.get(f"{API}/{account.id}/").status_code == 200


@pytest.mark.django_db
def test_list_and_detail_never_show_tokens(owner):
    # given
    account = SocialAccountFactory(account=owner.account, access_token="secret-access-123")

    # when
    listed = owner.client.get(f"{API}/")
    detail = owner.client.get(f"{API}/{account.id}/")

    # then
    assert listed.status_code == 200 and listed.json()["count"] == 1
    assert detail.status_code == 200
    assert "secret-access-123" not in listed.content.decode() + detail.content.decode()
    assert "access_token" not in detail.json()["data"]


@pytest.mark.django_db
def test_disconnect_forgets_tokens_but_keeps_the_account(owner):
    # given
    account = SocialAccountFactory(account=owner.account)

    # when
    response = owner.client.post(f"{API}/{account.id}/disconnect/")

    # then
    assert response.status_code == 200
    assert response.json()["data"]["status"] == "disconnected"
    account.refresh_from_db()
    assert account.access_token == "" and account.refresh_token == ""


@pytest.mark.django_db
def test_delete_disconnects(owner):
    account = SocialAccountFactory(account=owner.account)

    response = owner.client.delete(f"{API}/{account.id}/")

    assert response.status_code in (200, 204)
    account.refresh_from_db()
    assert account.status == "disconnected"


@pytest.mark.django_db
def test_other_accounts_social_account_is_404(owner, other_owner):
    # given
    theirs = SocialAccountFactory(account=other_owner.account)

    # when / then
    assert owner.client.get(f"{API}/{theirs.id}/").status_code == 404
    assert owner.client.post(f"{API}/{theirs.id}/disconnect/").status_code == 404
    assert owner.client.patch(f"{API}/{theirs.id}/", {}, format="json").status_code == 404
    assert owner.client.get(f"{API}/").json()["count"] == 0


@pytest.mark.django_db
def test_site_of_another_account_is_400(owner, other_owner):
    # given
    from flowline.sites.tests.factories import SiteFactory

    account = SocialAccountFactory(account=owner.account)
    foreign = SiteFactory(account=other_owner.account)

    # when
    response = owner.client.patch(f"{API}/{account.id}/", {"site": foreign.id}, format="json")

    # then
    assert response.status_code == 400 and "site" in response.json()["errors"]


@pytest.mark.django_db
def test_whatsapp_broadcast_recipients_are_set_by_patch(owner):
    account = SocialAccountFactory(account=owner.account, platform="whatsapp")

    response = owner.client.patch(
        f"{API}/{account.id}/", {"broadcast_to": ["+15550001111"]}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["data"]["broadcast_to"] == ["+15550001111"]


@pytest.mark.django_db
def test_platform_rules_are_listed(owner):
    response = owner.client.get(f"{API}/platforms/")

    assert response.status_code == 200
    rules = {r["platform"]: r for r in response.json()["data"]}
    assert rules["twitter"]["max_length"] == 280 and rules["instagram"]["requires_media"]


@pytest.mark.django_db
def test_a_refused_code_is_400_and_connects_nothing(owner, fake_x):
    init = owner.client.post(f"{API}/", {"platform": "twitter"}, format="json").json()["data"]
    returned = _consent(init["authorization_url"])

    response = owner.client.post(
        f"{API}/connect/callback/", {**returned, "code": "not-the-code"}, format="json"
    )

    assert response.status_code == 400 and response.json()["code"] == "oauth_code_invalid"
    assert not SocialAccount.unscoped.exists()


@pytest.mark.django_db
def test_platform_down_during_callback_is_503(owner, fake_x):
    init = owner.client.post(f"{API}/", {"platform": "twitter"}, format="json").json()["data"]
    returned = _consent(init["authorization_url"])
    fake_x.fail_next("server_error", on="oauth")

    response = owner.client.post(f"{API}/connect/callback/", returned, format="json")

    assert response.status_code == 503 and response.json()["code"] == "platform_unavailable"


@pytest.mark.django_db
def test_connecting_is_announced_by_webhook(owner, fake_x):
    from flowline.webhooks.models import WebhookDelivery
    from flowline.webhooks.tests.factories import WebhookEndpointFactory

    WebhookEndpointFactory(account=owner.account)

    _, done = _connect(owner, "twitter")

    [delivery] = WebhookDelivery.unscoped.all()
    assert delivery.event_type == "social_account.connected"
    assert delivery.payload["id"] == done.json()["data"][0]["id"]


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_accounts(owner, django_assert_num_queries):
    for _ in range(5):
        SocialAccountFactory(account=owner.account)

    with django_assert_num_queries(3):
        response = owner.client.get(f"{API}/")

    assert response.json()["count"] == 5
