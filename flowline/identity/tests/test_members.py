"""Members of an account (auth/users/, account/team/): who may see and manage whom."""

import pytest

from flowline.core.roles import Role
from flowline.identity.models import Membership

API = "/api/v1"


def _role_of(member) -> str:
    return Membership.unscoped.get(pk=member.membership.pk).role


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_editors_and_viewers_cannot_list_users(owner, member_factory, role):
    # given
    member = member_factory(owner, role)

    # when
    response = member.client.get(f"{API}/auth/users/")

    # then
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.django_db
def test_admin_lists_the_accounts_members_without_secrets(owner, member_factory, other_owner):
    # given
    admin = member_factory(owner, Role.ADMIN)
    editor = member_factory(owner, Role.EDITOR)

    # when
    response = admin.client.get(f"{API}/auth/users/")

    # then only this account's members, and nothing secret about them
    assert response.status_code == 200
    emails = {row["email"] for row in response.json()["results"]}
    assert emails == {owner.user.email, admin.user.email, editor.user.email}
    body = response.content.decode()
    assert "password" not in body and "token_version" not in body
    assert owner.user.password not in body


@pytest.mark.django_db
def test_every_member_sees_the_team_but_only_admins_remove(owner, member_factory):
    # given
    viewer = member_factory(owner, Role.VIEWER)
    editor = member_factory(owner, Role.EDITOR)

    # when
    team = viewer.client.get(f"{API}/account/team/")
    refused = viewer.client.delete(f"{API}/account/team/{editor.user.id}/")
    removed = owner.client.delete(f"{API}/account/team/{editor.user.id}/")

    # then
    assert team.status_code == 200 and team.json()["count"] == 3
    assert refused.status_code == 403
    assert removed.status_code in (200, 204)
    assert not Membership.unscoped.filter(pk=editor.membership.pk).exists()


@pytest.mark.django_db
def test_admin_changes_a_members_role(owner, member_factory):
    # given
    admin = member_factory(owner, Role.ADMIN)
    viewer = member_factory(owner, Role.VIEWER)

    # when
    response = admin.client.patch(
        f"{API}/auth/users/{viewer.user.id}/", {"role": "editor"}, format="json"
    )

    # then the new role applies to the member's next request
    assert response.status_code == 200, response.content
    assert response.json()["data"]["role"] == "editor"
    assert _role_of(viewer) == Role.EDITOR
    assert viewer.client.get(f"{API}/auth/me/").json()["data"]["role"] == "editor"


@pytest.mark.django_db
def test_admin_cannot_promote_anyone_to_owner(owner, member_factory):
    # given
    admin = member_factory(owner, Role.ADMIN)
    editor = member_factory(owner, Role.EDITOR)

    # when
    response = admin.client.patch(
        f"{API}/auth/users/{editor.user.id}/", {"role": "owner"}, format="json"
    )
    self_promotion = admin.client.patch(
        f"{API}/auth/users/{admin.user.id}/", {"role": "owner"}, format="json"
    )

    # then
    assert response.status_code == self_promotion.status_code == 400
    assert _role_of(editor) == Role.EDITOR and _role_of(admin) == Role.ADMIN


@pytest.mark.django_db
def test_owner_cannot_be_demoted(owner, member_factory):
    # given
    admin = member_factory(owner, Role.ADMIN)

    # when
    by_admin = admin.client.patch(
        f"{API}/auth/users/{owner.user.id}/", {"role": "viewer"}, format="json"
    )
    by_owner = owner.client.patch(
        f"{API}/auth/users/{owner.user.id}/", {"role": "admin"}, format="json"
    )

    # then
    for response in (by_admin, by_owner):
        assert response.status_code == 400
        assert response.json()["code"] == "owner_protected"
    assert _role_of(owner) == Role.OWNER


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["auth/users/{id}/", "account/team/{id}/", "auth/users/{id}/deactivate/"]
)
def test_owner_cannot_be_removed_or_deactivated(owner, member_factory, path):
    # given
    admin = member_factory(owner, Role.ADMIN)
    url = f"{API}/" + path.format(id=owner.user.id)

    # when
    response = admin.client.post(url) if "deactivate" in path else admin.client.delete(url)

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "owner_protected"
    assert Membership.unscoped.get(pk=owner.membership.pk).is_active


@pytest.mark.django_db
def test_deactivate_and_activate_a_member(owner, member_factory):
    # given
    editor = member_factory(owner, Role.EDITOR)

    # when
    off = owner.client.post(f"{API}/auth/users/{editor.user.id}/deactivate/")
    while_off = editor.client.get(f"{API}/auth/me/")
    on = owner.client.post(f"{API}/auth/users/{editor.user.id}/activate/")
    while_on = editor.client.get(f"{API}/auth/me/")

    # then
    assert off.status_code == 200 and off.json()["data"]["is_active"] is False
    assert while_off.status_code == 401
    assert on.status_code == 200 and on.json()["data"]["is_active"] is True
    assert while_on.status_code == 200


@pytest.mark.django_db
def test_editor_cannot_remove_a_member_through_the_team(owner, member_factory):
    # given an editor who tries to remove a fellow editor through the team endpoint
    editor = member_factory(owner, Role.EDITOR)
    other = member_factory(owner, Role.EDITOR)

    # when
    response = editor.client.delete(f"{API}/account/team/{other.user.id}/")

    # then
    assert response.status_code == 403


@pytest.mark.django_db
def test_is_active_cannot_be_set_through_the_update_endpoint(owner, member_factory):
    # given
    editor = member_factory(owner, Role.EDITOR)

    # when is_active is sent to the update endpoint
    response = owner.client.patch(
        f"{API}/auth/users/{editor.user.id}/", {"is_active": False}, format="json"
    )

    # then it does not change through this route (activate/deactivate do that)
    assert response.status_code == 200
    assert Membership.unscoped.get(pk=editor.membership.pk).is_active is True


@pytest.mark.django_db
def test_another_accounts_member_is_404(owner, other_owner):
    # when
    get = owner.client.get(f"{API}/auth/users/{other_owner.user.id}/")
    patch = owner.client.patch(
        f"{API}/auth/users/{other_owner.user.id}/", {"role": "viewer"}, format="json"
    )
    deactivate = owner.client.post(f"{API}/auth/users/{other_owner.user.id}/deactivate/")

    # then
    assert get.status_code == patch.status_code == deactivate.status_code == 404
    assert Membership.unscoped.get(pk=other_owner.membership.pk).is_active


@pytest.mark.django_db
def test_admin_cannot_create_an_owner_directly(owner, member_factory):
    # given
    admin = member_factory(owner, Role.ADMIN)

    # when
    response = admin.client.post(
        f"{API}/auth/users/",
        {"email": "boss@example.com", "password": "Strong-Pass-4418", "role": "owner"},
        format="json",
    )

    # then
    assert response.status_code == 400
    assert not Membership.unscoped.filter(user__email="boss@example.com").exists()


@pytest.mark.django_db
def test_creating_a_user_whose_email_exists_is_409(owner, other_owner):
    # when
    response = owner.client.post(
        f"{API}/auth/users/",
        {"email": other_owner.user.email, "password": "Strong-Pass-4418", "role": "viewer"},
        format="json",
    )

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "user_exists"
