"""Module settings and the member's own settings in the console, over the system API:
JSON values checked before they are sent, duplicates refused, other people's rows 404."""

import pytest

from flowline.core.roles import Role
from flowline.core.testing.pages import CSRF, page_client
from flowline.system.models import ModuleSetting, UserSetting
from flowline.system.tests.factories import ModuleSettingFactory, UserSettingFactory

pytestmark = pytest.mark.django_db


def test_an_admin_turns_a_module_off_with_options(owner):
    client = page_client(owner)
    added = client.post(
        "/settings/modules/",
        {"csrf_token": CSRF, "action": "add", "module_name": "social", "config": '{"max": 3}'},
    )
    assert added.status_code == 302
    row = ModuleSetting.unscoped.get(account=owner.account)
    assert (row.module_name, row.enabled, row.config) == ("social", False, {"max": 3})
    assert b"Social on" in client.get("/settings/modules/").content


def test_a_module_is_switched_back_on(owner):
    row = ModuleSettingFactory(account=owner.account, module_name="writer", enabled=False)
    page = page_client(owner).post(
        "/settings/modules/",
        {"csrf_token": CSRF, "action": "save", "id": row.id, "enabled": "true", "config": "{}"},
    )
    assert page.status_code == 302
    row.refresh_from_db()
    assert row.enabled is True


def test_bad_json_is_refused_beside_the_field(owner):
    page = page_client(owner).post(
        "/settings/modules/",
        {"csrf_token": CSRF, "action": "add", "module_name": "social", "config": "{nope"},
    )
    assert page.status_code == 400 and b"Not valid JSON" in page.content
    assert not ModuleSetting.unscoped.filter(account=owner.account).exists()


def test_an_editor_cannot_open_module_settings(owner, member_factory):
    editor = member_factory(owner, Role.EDITOR)
    assert page_client(editor).get("/settings/modules/").status_code == 403


def test_other_accounts_module_setting_is_404(owner, other_owner):
    theirs = ModuleSettingFactory(account=other_owner.account, module_name="social")
    page = page_client(owner).post(
        "/settings/modules/",
        {"csrf_token": CSRF, "action": "delete", "id": theirs.id},
    )
    assert page.status_code == 404
    assert ModuleSetting.unscoped.filter(id=theirs.id).exists()


def test_a_viewer_keeps_their_own_settings(owner, member_factory):
    viewer = member_factory(owner, Role.VIEWER)
    client = page_client(viewer)
    added = client.post(
        "/settings/user/",
        {"csrf_token": CSRF, "action": "add", "key": "default_site", "value": '{"id": 4}'},
    )
    assert added.status_code == 302
    assert UserSetting.unscoped.get(user=viewer.user).value == {"id": 4}
    assert b"default_site" in client.get("/settings/user/").content


def test_an_empty_page_says_so(owner):
    assert b"No settings of yours yet" in page_client(owner).get("/settings/user/").content


def test_a_duplicate_key_is_refused(owner):
    UserSettingFactory(account=owner.account, user=owner.user, key="theme_table")
    page = page_client(owner).post(
        "/settings/user/",
        {"csrf_token": CSRF, "action": "add", "key": "theme_table", "value": "1"},
    )
    assert page.status_code == 409 and b"already exists" in page.content


def test_another_members_setting_is_neither_shown_nor_deleted(owner, member_factory):
    editor = member_factory(owner, Role.EDITOR)
    theirs = UserSettingFactory(account=owner.account, user=editor.user, key="private_layout")
    client = page_client(owner)
    assert b"private_layout" not in client.get("/settings/user/").content
    page = client.post("/settings/user/", {"csrf_token": CSRF, "action": "delete", "id": theirs.id})
    assert page.status_code == 404
    assert UserSetting.unscoped.filter(id=theirs.id).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admin_turns_a_module_off_and_keeps_a_setting_of_their_own(console, owner):
    from playwright.sync_api import expect

    console.sign_in(owner)
    page = console.page
    console.go("/settings/modules/")
    expect(page.get_by_text("Every module is on, with its defaults")).to_be_visible()
    page.get_by_label("Module").select_option("social")
    page.get_by_label("On", exact=True).uncheck()
    page.get_by_label("Options (JSON)").fill("{oops")
    page.get_by_role("button", name="Add module settings").click()
    expect(page.get_by_text("Not valid JSON")).to_be_visible()
    page.get_by_label("Options (JSON)").fill('{"daily_posts": 3}')
    page.get_by_label("On", exact=True).uncheck()
    page.get_by_role("button", name="Add module settings").click()
    expect(page.get_by_label("Social on")).not_to_be_checked()
    console.shot("modules")

    # when: they keep a value of their own, reached from the user menu's page
    console.go("/settings/user/")
    page.get_by_label("Key").fill("default_site")
    page.get_by_label("Value (JSON)").fill('{"id": 1}')
    page.get_by_role("button", name="Add setting").click()
    expect(page.locator("#user-settings")).to_contain_text("default_site")
    console.shot("user-settings")
