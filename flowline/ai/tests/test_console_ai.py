"""AI integrations and prompts in the console: saving a provider (its key kept, never
shown), testing it against the fake provider, editing and resetting a prompt; members
read, admins change integrations; another account's settings stay its own."""

import pytest

from flowline.ai.models import IntegrationSetting, Prompt
from flowline.ai.prompts_defaults import DEFAULTS
from flowline.ai.testing import fake_openai as openai_fake
from flowline.core.roles import Role
from flowline.core.testing.pages import CSRF, page_client

pytestmark = pytest.mark.django_db
KEY = openai_fake.GOOD_KEY


def _save_openai(client, **fields):
    body = {"csrf_token": CSRF, "kind": "openai", "action": "save", **fields}
    return client.post("/settings/ai/", body)


def test_an_admin_saves_a_provider_and_the_key_is_never_shown(owner, fake_openai):
    client = page_client(owner)
    saved = _save_openai(client, baseUrl=fake_openai.base_url, apiKey=KEY, model="fake-chat")
    assert saved.status_code == 302
    row = IntegrationSetting.unscoped.get(account=owner.account, integration_type="openai")
    assert row.config["model"] == "fake-chat" and row.secret_values["apiKey"] == KEY
    page = client.get("/settings/ai/")
    assert KEY.encode() not in page.content and b"Leave empty to keep it" in page.content


def test_saving_again_without_a_key_keeps_the_stored_one(owner, fake_openai):
    client = page_client(owner)
    _save_openai(client, baseUrl=fake_openai.base_url, apiKey=KEY, model="fake-chat")
    _save_openai(client, baseUrl=fake_openai.base_url, apiKey="", model="other")
    row = IntegrationSetting.unscoped.get(account=owner.account, integration_type="openai")
    assert row.config["model"] == "other" and row.secret_values["apiKey"] == KEY


def test_testing_a_provider_shows_what_it_answered(owner, fake_openai):
    client = page_client(owner)
    good = client.post(
        "/settings/ai/",
        {"csrf_token": CSRF, "kind": "openai", "action": "test",
         "baseUrl": fake_openai.base_url, "apiKey": KEY},
    )  # fmt: skip
    assert good.status_code == 200 and b"Connection successful" in good.content
    bad = client.post(
        "/settings/ai/",
        {"csrf_token": CSRF, "kind": "openai", "action": "test",
         "baseUrl": fake_openai.base_url, "apiKey": "bad-key"},
    )  # fmt: skip
    assert bad.status_code == 400 and b"rejected the API key" in bad.content


def test_an_editor_reads_but_cannot_change_integrations(owner, member_factory):
    editor = member_factory(owner, Role.EDITOR)
    client = page_client(editor)
    assert client.get("/settings/ai/").status_code == 200
    assert _save_openai(client, model="x").status_code == 403
    assert not IntegrationSetting.unscoped.filter(account=owner.account).exists()


def test_another_accounts_provider_is_not_shown(owner, other_owner, fake_openai):
    _save_openai(page_client(other_owner), baseUrl=fake_openai.base_url, model="theirs-model")
    assert b"theirs-model" not in page_client(owner).get("/settings/ai/").content


def test_prompts_list_every_shipped_type(owner):
    page = page_client(owner).get("/settings/prompts/")
    assert page.status_code == 200
    for prompt_type in DEFAULTS:
        assert prompt_type.encode() in page.content


def test_a_prompt_is_changed_then_reset_to_flowlines(owner):
    client = page_client(owner)
    url = "/settings/prompts/auto_cluster/"
    saved = client.post(
        url, {"csrf_token": CSRF, "action": "save", "prompt_value": "Group [[keywords]]",
              "is_active": "true"},
    )  # fmt: skip
    assert saved.status_code == 302
    assert Prompt.unscoped.get(account=owner.account).prompt_value == "Group [[keywords]]"
    assert b"This account's text is in use" in client.get(url).content
    client.post(url, {"csrf_token": CSRF, "action": "reset"})
    assert Prompt.unscoped.get(account=owner.account).prompt_value == DEFAULTS["auto_cluster"]


def test_an_empty_prompt_is_refused_beside_the_field(owner):
    page = page_client(owner).post(
        "/settings/prompts/auto_cluster/",
        {"csrf_token": CSRF, "action": "save", "prompt_value": "  "},
    )
    assert page.status_code == 400 and b"is-invalid" in page.content
    assert not Prompt.unscoped.filter(account=owner.account).exists()


def test_an_unknown_prompt_type_is_404(owner):
    assert page_client(owner).get("/settings/prompts/no_such_prompt/").status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admin_connects_a_provider_tests_it_and_edits_a_prompt(console, owner, fake_openai):
    from playwright.sync_api import expect

    console.sign_in(owner)
    page = console.page
    console.go("/settings/ai/")
    card = page.locator("#openai")
    card.get_by_label("API address").fill(fake_openai.base_url)
    card.get_by_label("API key").fill("bad-key")
    card.get_by_role("button", name="Test OpenAI-compatible").click()
    expect(page.locator("#openai")).to_contain_text("rejected the API key")

    page.locator("#openai").get_by_label("API key").fill(KEY)
    page.locator("#openai").get_by_label("Text model").fill("fake-chat")
    page.locator("#openai").get_by_role("button", name="Test OpenAI-compatible").click()
    expect(page.locator("#openai")).to_contain_text("Connection successful")
    page.locator("#openai").get_by_label("API key").fill(KEY)
    page.locator("#openai").get_by_role("button", name="Save OpenAI-compatible").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    expect(page.locator("#openai")).to_contain_text("Leave empty to keep it")
    console.shot("ai-integrations")

    # when: they change the clustering prompt
    page.get_by_role("link", name="Edit the prompts").click()
    page.get_by_role("link", name="auto_cluster").click()
    page.get_by_label("Prompt text").fill("Group these by topic: [[keywords]]")
    page.get_by_role("button", name="Save prompt").click()
    expect(page.get_by_text("Prompt saved.")).to_be_visible()
    console.shot("prompt")
    console.go("/settings/prompts/")
    expect(page.locator("#prompts")).to_contain_text("This account's")
    console.shot("prompts")
