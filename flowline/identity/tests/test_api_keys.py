"""API keys: shown once, hashed at rest, held to their scopes, revocable, logged."""

import hashlib
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from flowline.core.roles import Role
from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.identity.models import ApiKey, ApiKeyUsage
from flowline.sites.tests.factories import SiteFactory

API = "/api/v1"


def _create(member, scopes, **extra) -> dict:
    response = member.client.post(
        f"{API}/auth/api-keys/", {"name": "CI", "scopes": scopes, **extra}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()["data"]


def _keyed(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


@pytest.mark.django_db
def test_create_returns_the_key_once_and_stores_only_its_hash(owner):
    # when
    created = _create(owner, ["sites:read"])

    # then the key is in the creation answer only
    key = created["key"]
    assert key.startswith(f"flk_{created['prefix']}_")
    listed = owner.client.get(f"{API}/auth/api-keys/")
    detail = owner.client.get(f"{API}/auth/api-keys/{created['id']}/")
    for response in (listed, detail):
        assert response.status_code == 200
        assert key not in response.content.decode()
        assert "hashed_secret" not in response.content.decode()
    assert "key" not in detail.json()["data"]
    stored = ApiKey.unscoped.get(pk=created["id"])
    assert stored.hashed_secret == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(stored.__dict__)


@pytest.mark.django_db
def test_read_scope_reads_but_cannot_write(owner):
    # given
    SiteFactory(account=owner.account, name="Visible")
    client = _keyed(_create(owner, ["sites:read"])["key"])

    # when
    read = client.get(f"{API}/auth/sites/")
    write = client.post(f"{API}/auth/sites/", {"name": "By key"}, format="json")

    # then
    assert read.status_code == 200
    assert [site["name"] for site in read.json()["results"]] == ["Visible"]
    assert write.status_code == 403
    assert write.json()["code"] == "api_key_scope"


@pytest.mark.django_db
def test_write_scope_writes(owner):
    # given
    client = _keyed(_create(owner, ["*:write"])["key"])

    # when
    response = client.post(f"{API}/auth/sites/", {"name": "By key"}, format="json")

    # then
    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_key_scoped_to_one_module_cannot_reach_another(owner):
    # given
    client = _keyed(_create(owner, ["sites:write"])["key"])

    # when
    response = client.get(f"{API}/auth/users/")

    # then
    assert response.status_code == 403
    assert response.json()["code"] == "api_key_scope"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["auth/me/", "auth/profile/", "auth/accounts/", "user/export/", "auth/api-keys/"]
)
def test_personal_endpoints_refuse_a_sites_key(owner, path):
    # given
    client = _keyed(_create(owner, ["sites:write"])["key"])

    # when
    response = client.get(f"{API}/{path}")

    # then
    assert response.status_code == 403


@pytest.mark.django_db
def test_key_acts_in_its_own_account_only(owner, other_owner):
    # given
    foreign = SiteFactory(account=other_owner.account)
    client = _keyed(_create(owner, ["*:write"])["key"])

    # when
    response = client.get(f"{API}/auth/sites/{foreign.id}/")

    # then
    assert response.status_code == 404


@pytest.mark.django_db
def test_revoked_key_is_401(owner):
    # given
    created = _create(owner, ["sites:read"])
    revoked = owner.client.delete(f"{API}/auth/api-keys/{created['id']}/")
    assert revoked.status_code == 200
    assert revoked.json()["data"]["revoked_at"] is not None

    # when
    response = _keyed(created["key"]).get(f"{API}/auth/sites/")

    # then
    assert response.status_code == 401
    body = response.json()
    assert body["success"] is False and body["code"] == "api_key_revoked" and body["request_id"]


@pytest.mark.django_db
def test_expired_key_is_401(owner):
    # given a key that expired a minute ago
    created = _create(owner, ["sites:read"])
    ApiKey.unscoped.filter(pk=created["id"]).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    # when
    response = _keyed(created["key"]).get(f"{API}/auth/sites/")

    # then
    assert response.status_code == 401
    assert response.json()["code"] == "api_key_expired"


@pytest.mark.django_db
def test_key_with_a_future_expiry_works(owner):
    # given
    expires = (timezone.now() + timedelta(days=1)).isoformat()
    created = _create(owner, ["sites:read"], expires_at=expires)

    # when
    response = _keyed(created["key"]).get(f"{API}/auth/sites/")

    # then
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key",
    ["garbage", "flk_nope_nope", "flk_a_b_c", "a b", "flk__"],
)
def test_garbage_key_is_401(owner, key):
    # when
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    response = client.get(f"{API}/auth/sites/")

    # then
    assert response.status_code == 401
    assert response.json()["code"] == "api_key_invalid"


@pytest.mark.django_db
def test_right_prefix_with_a_wrong_secret_is_401(owner):
    # given
    created = _create(owner, ["sites:read"])

    # when
    response = _keyed(f"flk_{created['prefix']}_{'x' * 43}").get(f"{API}/auth/sites/")

    # then
    assert response.status_code == 401
    assert response.json()["code"] == "api_key_invalid"


@pytest.mark.django_db
def test_every_request_with_a_key_is_logged_and_sets_last_used(owner):
    # given
    created = _create(owner, ["sites:read"])
    client = _keyed(created["key"])

    # when
    client.get(f"{API}/auth/sites/")
    client.get(f"{API}/auth/sites/999999/")
    client.post(f"{API}/auth/sites/", {"name": "refused"}, format="json")

    # then each request is in the usage log, refused ones included
    usage = owner.client.get(f"{API}/auth/api-keys/{created['id']}/usage/")
    assert usage.status_code == 200
    rows = [(row["method"], row["path"], row["status_code"]) for row in usage.json()["results"]]
    assert sorted(rows) == sorted(
        [
            ("GET", "/api/v1/auth/sites/", 200),
            ("GET", "/api/v1/auth/sites/999999/", 404),
            ("POST", "/api/v1/auth/sites/", 403),
        ]
    )
    assert ApiKey.unscoped.get(pk=created["id"]).last_used_at is not None


@pytest.mark.django_db
@override_settings(FLOWLINE_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_usage_log_records_the_client_address_the_proxy_forwarded(owner):
    # given
    client = _keyed(_create(owner, ["sites:read"])["key"])

    # when: one request through the trusted proxy, one straight from a client that
    # claims another address
    client.get(f"{API}/auth/sites/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    client.get(f"{API}/auth/sites/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")

    # then
    addresses = sorted(ApiKeyUsage.objects.values_list("ip_address", flat=True))
    assert addresses == ["198.51.100.7", "203.0.113.5"]


@pytest.mark.django_db
def test_usage_log_of_another_accounts_key_is_404(owner, other_owner):
    # given
    created = _create(other_owner, ["sites:read"])

    # when
    response = owner.client.get(f"{API}/auth/api-keys/{created['id']}/usage/")

    # then
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR])
def test_viewers_and_editors_cannot_manage_keys(owner, member_factory, role):
    # given
    member = member_factory(owner, role)
    existing = _create(owner, ["sites:read"])

    # when
    listed = member.client.get(f"{API}/auth/api-keys/")
    created = member.client.post(
        f"{API}/auth/api-keys/", {"name": "x", "scopes": ["*:read"]}, format="json"
    )
    revoked = member.client.delete(f"{API}/auth/api-keys/{existing['id']}/")

    # then
    assert listed.status_code == created.status_code == revoked.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("scopes", [[], ["sites"], ["sites:delete"], ["Sites:read"]])
def test_malformed_scopes_are_400(owner, scopes):
    # when
    response = owner.client.post(
        f"{API}/auth/api-keys/", {"name": "x", "scopes": scopes}, format="json"
    )

    # then
    assert response.status_code == 400
    assert "scopes" in response.json()["errors"]


@pytest.mark.django_db
def test_key_of_a_member_who_left_stops_working(owner, member_factory):
    # given a key made by an admin who is then deactivated
    admin = member_factory(owner, Role.ADMIN)
    created = _create(admin, ["sites:read"])
    owner.client.post(f"{API}/auth/users/{admin.user.id}/deactivate/")

    # when
    response = _keyed(created["key"]).get(f"{API}/auth/sites/")

    # then
    assert response.status_code == 401


@pytest.mark.django_db
def test_key_of_a_deactivated_user_stops_working(owner):
    # given
    created = _create(owner, ["sites:read"])
    owner.user.is_active = False
    owner.user.save(update_fields=["is_active"])

    # when
    response = _keyed(created["key"]).get(f"{API}/auth/sites/")

    # then
    assert response.status_code == 401
    assert response.json()["code"] == "api_key_invalid"


@pytest.mark.django_db
def test_key_cannot_mint_a_key_with_wider_scopes_than_its_own(owner):
    # given a key that may manage keys and read sites
    client = _keyed(_create(owner, ["api_keys:write", "sites:read"])["key"])

    # when it asks for a key that may write everything, and for one within its scopes
    wider = client.post(
        f"{API}/auth/api-keys/", {"name": "wider", "scopes": ["*:write"]}, format="json"
    )
    narrower = client.post(
        f"{API}/auth/api-keys/", {"name": "narrower", "scopes": ["sites:read"]}, format="json"
    )

    # then
    assert wider.status_code == 403, wider.content
    assert wider.json()["code"] == "api_key_scope"
    assert narrower.status_code == 201, narrower.content
    assert not ApiKey.unscoped.filter(name="wider").exists()


@pytest.mark.django_db
def test_usage_rows_are_not_written_for_bearer_requests(owner):
    # when
    owner.client.get(f"{API}/auth/sites/")

    # then
    assert ApiKeyUsage.objects.count() == 0
