"""003 system/settings/integrations/{type}/ and system/integrations/image_generation/."""

import pytest
from django.db import connection

from flowline.ai.models import AICall, IntegrationSetting
from flowline.ai.testing import fake_openai as openai_fake
from flowline.ai.testing import fake_runware as runware_fake
from flowline.core.roles import Role

pytestmark = pytest.mark.django_db
URL = "/api/v1/system/settings/integrations"
KEY = openai_fake.GOOD_KEY


def _save(client, kind="openai", config=None, method="post"):
    config = config if config is not None else {"apiKey": KEY, "model": "fake-chat"}
    body = {"config": config, "is_active": True}
    if method == "put":
        return client.put(f"{URL}/{kind}/", body, format="json")
    return client.post(f"{URL}/{kind}/save/", body, format="json")


def test_saved_key_is_encrypted_at_rest_and_masked_on_read(owner):
    # when
    saved = _save(owner.client)
    shown = owner.client.get(f"{URL}/openai/")

    # then
    assert saved.status_code == 200, saved.content
    assert saved.json()["data"]["integration"]["config"] == {
        "apiKey": "********1234", "model": "fake-chat"
    }  # fmt: skip
    assert shown.json()["data"]["config"]["apiKey"] == "********1234"
    assert KEY not in saved.content.decode() + shown.content.decode()
    row = IntegrationSetting.unscoped.get(account_id=owner.account_id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT config, secrets FROM ai_integrationsetting WHERE id = %s", [row.id])
        raw_config, raw_secrets = cursor.fetchone()
    assert KEY not in str(raw_config) and KEY not in raw_secrets
    assert row.full_config()["apiKey"] == KEY


def test_sending_the_masked_key_back_keeps_the_stored_key(owner):
    # given
    _save(owner.client)

    # when: the client saves the form as it was shown, with another model
    response = _save(
        owner.client, config={"apiKey": "********1234", "model": "gpt-4o"}, method="put"
    )

    # then
    assert response.status_code == 200
    row = IntegrationSetting.unscoped.get(account_id=owner.account_id)
    assert row.full_config() == {"apiKey": KEY, "model": "gpt-4o"}


def test_an_empty_key_removes_it(owner):
    # given
    _save(owner.client)

    # when
    _save(owner.client, config={"apiKey": "", "model": "fake-chat"})

    # then
    assert IntegrationSetting.unscoped.get(account_id=owner.account_id).secret_values == {}


def test_unconfigured_integration_reads_as_not_configured(owner):
    # when
    response = owner.client.get(f"{URL}/runware/")

    # then
    assert response.status_code == 200
    assert response.json()["data"] == {
        "integration_type": "runware", "config": {}, "is_active": False,
        "configured": False, "updated_at": None,
    }  # fmt: skip


def test_unknown_integration_type_is_404(owner):
    # when
    response = owner.client.get(f"{URL}/wordpress-plus/")

    # then
    assert response.status_code == 404


def test_other_accounts_settings_are_invisible(owner, other_owner):
    # given
    _save(owner.client)

    # when
    response = other_owner.client.get(f"{URL}/openai/")

    # then
    assert response.json()["data"]["configured"] is False


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR])
def test_only_admins_save_or_test_integrations(owner, member_factory, role):
    # given
    member = member_factory(owner, role)

    # when / then
    assert member.client.get(f"{URL}/openai/").status_code == 200
    assert _save(member.client).status_code == 403
    assert member.client.post(f"{URL}/openai/test/", {}, format="json").status_code == 403


def test_test_connection_really_calls_the_provider(owner, fake_openai):
    # given
    _save(
        owner.client, config={"apiKey": KEY, "baseUrl": fake_openai.base_url, "model": "fake-chat"}
    )

    # when
    response = owner.client.post(f"{URL}/openai/test/", {"provider": "openai"}, format="json")

    # then
    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Connection successful: 3 models available."
    assert fake_openai.requests[-1]["path"] == "/v1/models"
    assert fake_openai.requests[-1]["headers"]["authorization"] == f"Bearer {KEY}"


def test_test_connection_with_a_bad_key_answers_a_clear_error(owner, fake_openai):
    # given
    _save(owner.client, config={"apiKey": "bad-key", "baseUrl": fake_openai.base_url})

    # when
    response = owner.client.post(f"{URL}/openai/test/", {}, format="json")

    # then
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False
    assert body["code"] == "bad_key"
    assert "rejected the API key" in body["error"]


def test_test_connection_of_an_unreachable_server_is_a_502(owner, fake_openai):
    # given
    _save(owner.client, config={"apiKey": KEY, "baseUrl": fake_openai.base_url})
    fake_openai.stop()

    # when
    response = owner.client.post(f"{URL}/openai/test/", {}, format="json")

    # then
    assert (response.status_code, response.json()["code"]) == (502, "unavailable")


def test_test_connection_without_any_key_says_so(owner):
    # when
    response = owner.client.post(f"{URL}/openai/test/", {}, format="json")

    # then
    assert (response.status_code, response.json()["code"]) == (400, "not_configured")


def test_runware_test_connection_authenticates(owner, fake_runware):
    # given
    _save(owner.client, "runware",
          config={"apiKey": runware_fake.GOOD_KEY, "baseUrl": fake_runware.base_url})  # fmt: skip

    # when
    response = owner.client.post(f"{URL}/runware/test/", {}, format="json")

    # then
    assert response.status_code == 200, response.content
    assert fake_runware.requests[-1]["json"][0]["taskType"] == "authentication"


def test_generate_stores_a_test_image_under_media(owner, fake_runware, media_root):
    # given
    _save(owner.client, "runware",
          config={"apiKey": runware_fake.GOOD_KEY, "baseUrl": fake_runware.base_url})  # fmt: skip
    _save(owner.client, "image_generation", config={"provider": "runware", "model": "runware:97@1"})

    # when
    response = owner.client.post(
        f"{URL}/image_generation/generate/", {"prompt": "a cosy cafe", "size": "512x512"},
        format="json",
    )  # fmt: skip

    # then
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["image_url"].startswith("http://testserver/media/ai/test-images/")
    assert (data["provider"], data["model"]) == ("runware", "runware:97@1")
    stored = media_root / data["path"]
    assert stored.read_bytes().startswith(b"\x89PNG")
    assert AICall.unscoped.get(account_id=owner.account_id).operation == "integration_test"


def test_generate_with_openai_images(owner, fake_openai, media_root):
    # given
    _save(owner.client, config={"apiKey": KEY, "baseUrl": fake_openai.base_url})

    # when
    response = owner.client.post(
        f"{URL}/openai/generate/", {"prompt": "a cosy cafe", "model": "dall-e-3"}, format="json"
    )

    # then
    assert response.status_code == 201, response.content
    assert fake_openai.requests[-1]["json"]["model"] == "dall-e-3"
    assert (media_root / response.json()["data"]["path"]).exists()


@pytest.mark.parametrize(
    "answer",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>',
        b"<html><script>alert(1)</script></html>",
    ],
)
def test_a_generated_image_that_is_not_a_picture_is_never_stored(
    owner, fake_openai, media_root, answer
):
    # given: the provider answers markup where an image should be
    _save(owner.client, config={"apiKey": KEY, "baseUrl": fake_openai.base_url})
    fake_openai.image = answer

    # when
    response = owner.client.post(
        f"{URL}/openai/generate/", {"prompt": "a cosy cafe", "model": "dall-e-3"}, format="json"
    )

    # then
    assert response.status_code == 502, response.content
    assert response.json()["code"] == "unavailable"
    assert not any(path.is_file() for path in media_root.rglob("*"))


def test_generate_offline_needs_no_key(owner, media_root):
    # when
    response = owner.client.post(
        f"{URL}/image_generation/generate/",
        {"prompt": "a cosy cafe", "provider": "offline", "size": "256x256"},
        format="json",
    )

    # then
    assert response.status_code == 201, response.content
    assert response.json()["data"]["offline"] is True


def test_image_generation_settings_list_providers_models_and_the_default(owner, fake_runware):
    # given
    _save(owner.client, "runware",
          config={"apiKey": runware_fake.GOOD_KEY, "baseUrl": fake_runware.base_url})  # fmt: skip

    # when
    response = owner.client.get("/api/v1/system/integrations/image_generation/")

    # then
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["providers"] == ["openai", "runware", "offline"]
    assert "dall-e-3" in data["models"]["openai"]
    assert data["default"]["provider"] == "runware"
    assert data["configured"] == {"openai": False, "runware": True}


def test_image_generation_defaults_to_offline_without_keys(owner):
    # when
    data = owner.client.get("/api/v1/system/integrations/image_generation/").json()["data"]

    # then
    assert data["default"]["offline"] is True
