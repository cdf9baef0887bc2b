"""003 System module: installation-wide, account, AI and module settings."""

import pytest

from flowline.core.roles import Role
from flowline.system.models import AccountSetting, SystemSetting
from flowline.system.tests.factories import (
    AccountSettingFactory,
    AISettingFactory,
    ModuleSettingFactory,
)

pytestmark = pytest.mark.django_db

SETTINGS = "/api/v1/system/settings"


def _keys(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["key"] for row in response.json()["results"]]


@pytest.fixture
def staff(owner):
    owner.user.is_staff = True
    owner.user.save(update_fields=["is_staff"])
    return owner


# --- system/settings/system/ --------------------------------------------------------------


def test_members_read_system_settings(owner, member_factory):
    # given
    SystemSetting.objects.create(key="maintenance_banner", value={"text": "Soon"})
    viewer = member_factory(owner, Role.VIEWER)

    # when
    response = viewer.client.get(f"{SETTINGS}/system/")

    # then
    assert _keys(response) == ["maintenance_banner"]


def test_anonymous_cannot_read_system_settings(api_client):
    # when
    response = api_client.get(f"{SETTINGS}/system/")

    # then
    assert response.status_code == 401


def test_account_owner_who_is_not_staff_cannot_write_system_settings(owner):
    # given
    row = SystemSetting.objects.create(key="k", value={})

    # when
    created = owner.client.post(f"{SETTINGS}/system/", {"key": "x", "value": {}})
    updated = owner.client.patch(f"{SETTINGS}/system/{row.id}/", {"value": {"a": 1}})
    deleted = owner.client.delete(f"{SETTINGS}/system/{row.id}/")

    # then
    assert [created.status_code, updated.status_code, deleted.status_code] == [403, 403, 403]
    assert created.json()["code"] == "permission_denied"


def test_staff_write_system_settings(staff):
    # when
    created = staff.client.post(f"{SETTINGS}/system/", {"key": "banner", "value": {"on": True}})
    row_id = created.json()["data"]["id"]
    updated = staff.client.patch(f"{SETTINGS}/system/{row_id}/", {"value": {"on": False}})

    # then
    assert (created.status_code, updated.status_code) == (201, 200)
    assert SystemSetting.objects.get(id=row_id).value == {"on": False}


def test_duplicate_system_setting_key_is_409(staff):
    # given
    SystemSetting.objects.create(key="banner")

    # when
    response = staff.client.post(f"{SETTINGS}/system/", {"key": "banner", "value": {}})

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate"


# --- system/settings/account/ and ai/ ---------------------------------------------------


def test_admin_creates_an_account_setting(owner, member_factory):
    # given
    admin = member_factory(owner, Role.ADMIN)

    # when
    response = admin.client.post(f"{SETTINGS}/account/", {"key": "timezone", "value": "UTC"})

    # then
    assert response.status_code == 201
    row = AccountSetting.unscoped.get(id=response.json()["data"]["id"])
    assert (row.account_id, row.namespace) == (owner.account_id, "general")


def test_editor_reads_but_cannot_write_account_settings(owner, member_factory):
    # given
    editor = member_factory(owner, Role.EDITOR)
    AccountSettingFactory(account=owner.account, key="timezone")

    # when
    listed = editor.client.get(f"{SETTINGS}/account/")
    created = editor.client.post(f"{SETTINGS}/account/", {"key": "x", "value": 1})

    # then
    assert _keys(listed) == ["timezone"]
    assert created.status_code == 403


def test_ai_and_account_settings_are_separate_namespaces(owner):
    # given
    owner.client.post(f"{SETTINGS}/ai/", {"key": "model", "value": "gpt-4o"})
    owner.client.post(f"{SETTINGS}/account/", {"key": "timezone", "value": "UTC"})

    # when
    account = owner.client.get(f"{SETTINGS}/account/")
    ai = owner.client.get(f"{SETTINGS}/ai/")

    # then
    assert _keys(account) == ["timezone"]
    assert _keys(ai) == ["model"]
    assert AccountSetting.unscoped.get(key="model").namespace == "ai"


def test_ai_setting_is_404_through_the_account_endpoint(owner):
    # given
    ai = AISettingFactory(account=owner.account)

    # when
    response = owner.client.get(f"{SETTINGS}/account/{ai.id}/")

    # then
    assert response.status_code == 404


def test_same_key_may_exist_in_both_namespaces(owner):
    # when
    general = owner.client.post(f"{SETTINGS}/account/", {"key": "tone", "value": "warm"})
    ai = owner.client.post(f"{SETTINGS}/ai/", {"key": "tone", "value": "formal"})

    # then
    assert (general.status_code, ai.status_code) == (201, 201)


def test_duplicate_account_setting_key_is_409(owner):
    # given
    AccountSettingFactory(account=owner.account, key="timezone")

    # when
    response = owner.client.post(f"{SETTINGS}/account/", {"key": "timezone", "value": 1})

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate"


def test_renaming_onto_an_existing_key_is_409(owner):
    # given
    AccountSettingFactory(account=owner.account, key="a")
    second = AccountSettingFactory(account=owner.account, key="b")

    # when
    response = owner.client.patch(f"{SETTINGS}/account/{second.id}/", {"key": "a"})

    # then
    assert response.status_code == 409
    second.refresh_from_db()
    assert second.key == "b"


def test_namespace_in_the_body_is_ignored(owner):
    # when
    response = owner.client.post(
        f"{SETTINGS}/account/", {"key": "k", "value": 1, "namespace": "ai"}
    )

    # then
    assert response.status_code == 201
    assert AccountSetting.unscoped.get(key="k").namespace == "general"


def test_account_settings_search_by_key(owner):
    # given
    for key in ["email_footer", "email_header", "timezone"]:
        AccountSettingFactory(account=owner.account, key=key)

    # when
    response = owner.client.get(f"{SETTINGS}/account/", {"search": "email"})

    # then
    assert _keys(response) == ["email_footer", "email_header"]


# --- system/settings/modules/ -------------------------------------------------------------


def test_module_action_answers_the_modules_settings(owner):
    # given
    ModuleSettingFactory(
        account=owner.account, module_name="planner", enabled=False, config={"max": 5}
    )

    # when
    response = owner.client.get(f"{SETTINGS}/modules/module/planner/")

    # then
    assert response.status_code == 200
    assert response.json()["data"] == {
        "module": "planner",
        "enabled": False,
        "settings": {"max": 5},
    }


def test_module_without_settings_is_enabled_with_empty_settings(owner, other_owner):
    # given: another account configured the same module
    ModuleSettingFactory(account=other_owner.account, module_name="writer", enabled=False)

    # when
    response = owner.client.get(f"{SETTINGS}/modules/module/writer/")

    # then
    assert response.json()["data"] == {"module": "writer", "enabled": True, "settings": {}}


def test_modules_filter_by_enabled(owner):
    # given
    ModuleSettingFactory(account=owner.account, module_name="planner", enabled=True)
    ModuleSettingFactory(account=owner.account, module_name="social", enabled=False)

    # when
    response = owner.client.get(f"{SETTINGS}/modules/", {"enabled": "false"})

    # then
    assert [row["module_name"] for row in response.json()["results"]] == ["social"]


def test_duplicate_module_is_409(owner):
    # given
    ModuleSettingFactory(account=owner.account, module_name="planner")

    # when
    response = owner.client.post(f"{SETTINGS}/modules/", {"module_name": "planner"})

    # then
    assert response.status_code == 409


@pytest.mark.parametrize("rows", [3, 30])
def test_account_settings_list_query_count_does_not_grow_with_rows(
    owner, rows, django_assert_num_queries
):
    # given
    AccountSettingFactory.create_batch(rows, account=owner.account)

    # when / then: membership lookup, count, page
    with django_assert_num_queries(3):
        response = owner.client.get(f"{SETTINGS}/account/", {"page_size": 100})
    assert response.json()["count"] == rows
