"""003 System module: `system/settings/user/`, each member's own settings, invisible to the
rest of the account."""

import pytest

from flowline.core.roles import Role
from flowline.system.models import UserSetting
from flowline.system.tests.factories import (
    UserSettingFactory,
)

pytestmark = pytest.mark.django_db

SETTINGS = "/api/v1/system/settings"


def test_viewer_keeps_their_own_settings(owner, member_factory):
    # given
    viewer = member_factory(owner, Role.VIEWER)

    # when
    response = viewer.client.post(f"{SETTINGS}/user/", {"key": "theme", "value": "dark"})

    # then
    assert response.status_code == 201
    row = UserSetting.unscoped.get(id=response.json()["data"]["id"])
    assert (row.user_id, row.account_id) == (viewer.user.id, owner.account_id)


def test_user_settings_are_invisible_to_another_member_of_the_account(owner, member_factory):
    # given
    mine = UserSettingFactory(account=owner.account, user=owner.user, key="theme")
    colleague = member_factory(owner, Role.ADMIN)

    # when
    listed = colleague.client.get(f"{SETTINGS}/user/")
    fetched = colleague.client.get(f"{SETTINGS}/user/{mine.id}/")
    changed = colleague.client.patch(f"{SETTINGS}/user/{mine.id}/", {"value": "x"})
    deleted = colleague.client.delete(f"{SETTINGS}/user/{mine.id}/")

    # then
    assert listed.status_code == 200, listed.content
    assert listed.json()["results"] == []
    assert [fetched.status_code, changed.status_code, deleted.status_code] == [404, 404, 404]
    assert UserSetting.unscoped.filter(id=mine.id).exists()


def test_two_members_may_use_the_same_user_setting_key(owner, member_factory):
    # given
    UserSettingFactory(account=owner.account, user=owner.user, key="theme")
    colleague = member_factory(owner, Role.EDITOR)

    # when
    response = colleague.client.post(f"{SETTINGS}/user/", {"key": "theme", "value": "light"})

    # then
    assert response.status_code == 201


def test_duplicate_user_setting_key_is_409(owner):
    # given
    UserSettingFactory(account=owner.account, user=owner.user, key="theme")

    # when
    response = owner.client.post(f"{SETTINGS}/user/", {"key": "theme", "value": "dark"})

    # then
    assert response.status_code == 409


def test_user_in_the_body_is_ignored(owner, member_factory):
    # given
    colleague = member_factory(owner, Role.EDITOR)

    # when
    response = owner.client.post(
        f"{SETTINGS}/user/", {"key": "k", "value": 1, "user": colleague.user.id}
    )

    # then
    assert response.status_code == 201
    assert UserSetting.unscoped.get(key="k").user_id == owner.user.id
