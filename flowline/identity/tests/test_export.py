"""User data export, and the rule that responses never carry hashes, tokens or secrets."""

import json

import pytest

from flowline.core.roles import Role
from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.identity.models import ApiKey, Membership, User

API = "/api/v1"


def _secrets_of(member, api_key: str) -> list[str]:
    """Strings that must never appear in a response that did not issue them."""
    user = User.objects.get(pk=member.user.pk)
    stored_key = ApiKey.unscoped.get(created_by=user)
    return [
        user.password,
        user.password.split("$")[-1],
        api_key,
        api_key.split("_")[-1],
        stored_key.hashed_secret,
        member.client._credentials["HTTP_AUTHORIZATION"].split()[1],
    ]


def _with_key(member) -> str:
    response = member.client.post(
        f"{API}/auth/api-keys/", {"name": "export", "scopes": ["sites:read"]}, format="json"
    )
    assert response.status_code == 201
    return response.json()["data"]["key"]


@pytest.mark.django_db
def test_export_is_a_json_attachment_with_profile_and_memberships(owner, other_owner):
    # given the owner also belongs to a second account
    Membership.unscoped.create(account=other_owner.account, user=owner.user, role=Role.VIEWER)
    _with_key(owner)

    # when
    response = owner.client.get(f"{API}/user/export/")

    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"flowline-export-{owner.user.id}.json" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document["profile"]["email"] == owner.user.email
    assert document["profile"]["first_name"] == "Olive"
    roles = {row["account_id"]: row["role"] for row in document["memberships"]}
    assert roles == {owner.account_id: "owner", other_owner.account_id: "viewer"}
    assert [key["name"] for key in document["api_keys"]] == ["export"]


@pytest.mark.django_db
def test_export_contains_no_password_hash_token_or_secret(owner):
    # given
    key = _with_key(owner)

    # when
    response = owner.client.get(f"{API}/user/export/")

    # then
    body = response.content.decode()
    for secret in _secrets_of(owner, key):
        assert secret not in body
    for word in ("password", "hashed_secret", "token_version", "secret"):
        assert word not in body


@pytest.mark.django_db
def test_export_holds_only_the_users_own_data(owner, member_factory, other_owner):
    # given another member of the same account with their own key
    admin = member_factory(owner, Role.ADMIN)
    _with_key(admin)

    # when
    document = json.loads(owner.client.get(f"{API}/user/export/").content)

    # then
    assert document["api_keys"] == []
    assert admin.user.email not in json.dumps(document)
    assert other_owner.user.email not in json.dumps(document)


@pytest.mark.django_db
def test_export_needs_a_signed_in_user(api_client):
    # when
    response = api_client.get(f"{API}/user/export/")

    # then
    assert response.status_code == 401
    assert response.json()["success"] is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "auth/me/",
        "auth/profile/",
        "auth/users/",
        "account/team/",
        "auth/accounts/",
        "auth/api-keys/",
        "auth/invitations/",
        "account/settings/",
        "user/export/",
    ],
)
def test_no_response_carries_a_password_hash_token_or_key(owner, path):
    # given a member with an API key and a pending invitation
    key = _with_key(owner)
    owner.client.post(
        f"{API}/auth/users/invite/", {"email": "ed@example.com", "role": "editor"}, format="json"
    )

    # when
    response = owner.client.get(f"{API}/{path}")

    # then
    assert response.status_code == 200, response.content
    body = response.content.decode()
    for secret in _secrets_of(owner, key):
        assert secret not in body, path


@pytest.mark.django_db
def test_tokens_appear_only_where_they_are_issued(owner):
    # when
    login = APIClient().post(
        f"{API}/auth/login/", {"email": owner.user.email, "password": owner.password}
    )
    refresh = APIClient().post(
        f"{API}/auth/refresh/", {"refresh": login.json()["data"]["tokens"]["refresh"]}
    )

    # then login and refresh carry tokens, the user's own profile data does not
    assert set(login.json()["data"]["tokens"]) >= {"access", "refresh"}
    assert set(refresh.json()["data"]) >= {"access", "refresh"}
    assert "password" not in login.content.decode()
    me = owner.client.get(f"{API}/auth/me/").json()["data"]
    assert "tokens" not in me and "access" not in me
