"""003 `auth/groups/`: the four roles as permission groups, read off the real routes."""

import pytest

from flowline.core.roles import Role

pytestmark = pytest.mark.django_db

GROUPS = "/api/v1/auth/groups/"


def _by_name(response) -> dict:
    assert response.status_code == 200, response.content
    return {group["name"]: group for group in response.json()["results"]}


def test_groups_are_the_four_roles_weakest_first(owner):
    # when
    response = owner.client.get(GROUPS)

    # then
    assert [g["name"] for g in response.json()["results"]] == ["viewer", "editor", "admin", "owner"]
    assert [g["id"] for g in response.json()["results"]] == [1, 2, 3, 4]


def test_each_role_holds_what_the_endpoints_let_it_do(owner, member_factory):
    # given
    viewer = member_factory(owner, Role.VIEWER)

    # when
    groups = _by_name(viewer.client.get(GROUPS))

    # then: keywords are read by viewers, written by editors; site access is for admins
    assert "planner-keyword.list" in groups["viewer"]["permissions"]
    assert "planner-keyword.create" not in groups["viewer"]["permissions"]
    assert "planner-keyword.create" in groups["editor"]["permissions"]
    assert "siteaccess.update" not in groups["editor"]["permissions"]
    assert "siteaccess.update" in groups["admin"]["permissions"]
    assert set(groups["admin"]["permissions"]) <= set(groups["owner"]["permissions"])


def test_a_groups_permissions_match_what_the_api_enforces(owner, member_factory):
    # given
    editor = member_factory(owner, Role.EDITOR)
    editor_perms = _by_name(editor.client.get(GROUPS))["editor"]["permissions"]

    # when
    access_list = editor.client.get("/api/v1/auth/site-access/")
    keyword_list = editor.client.get("/api/v1/planner/keywords/")

    # then
    assert ("siteaccess.list" in editor_perms, access_list.status_code) == (False, 403)
    assert ("planner-keyword.list" in editor_perms, keyword_list.status_code) == (True, 200)


def test_one_group_by_id_and_unknown_is_404(owner):
    # when
    admin = owner.client.get(f"{GROUPS}3/")
    unknown = owner.client.get(f"{GROUPS}99999999999999999999999/")
    junk = owner.client.get(f"{GROUPS}abc/")

    # then
    assert admin.status_code == 200
    assert admin.json()["data"]["name"] == "admin"
    assert (unknown.status_code, junk.status_code) == (404, 404)


def test_groups_need_a_signed_in_member(api_client):
    # when
    response = api_client.get(GROUPS)

    # then
    assert response.status_code == 401
