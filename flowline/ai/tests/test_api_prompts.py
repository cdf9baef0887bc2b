"""003 system/prompts/: CRUD, by_type, save and reset to the shipped default."""

import pytest

from flowline.ai import prompts_defaults
from flowline.ai import public as ai
from flowline.ai.models import Prompt
from flowline.core.roles import Role

pytestmark = pytest.mark.django_db
PROMPTS = "/api/v1/system/prompts/"


def test_by_type_shows_the_shipped_default_when_the_account_has_none(owner):
    # when
    response = owner.client.get(f"{PROMPTS}by_type/auto_cluster/")

    # then
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["prompt_type"] == "auto_cluster"
    assert data["prompt_value"] == prompts_defaults.DEFAULTS["auto_cluster"]
    assert (data["id"], data["is_default"]) == (None, True)


def test_by_type_of_an_unknown_type_is_404(owner):
    # when
    response = owner.client.get(f"{PROMPTS}by_type/no_such_prompt/")

    # then
    assert response.status_code == 404


def test_save_creates_then_replaces_the_accounts_prompt(owner):
    # when
    first = owner.client.post(
        f"{PROMPTS}save/", {"prompt_type": "auto_cluster", "prompt_value": "Mine v1"}, format="json"
    )
    second = owner.client.post(
        f"{PROMPTS}save/", {"prompt_type": "auto_cluster", "prompt_value": "Mine v2"}, format="json"
    )

    # then
    assert first.status_code == second.status_code == 200
    assert second.json()["data"]["prompt"]["prompt_value"] == "Mine v2"
    assert second.json()["data"]["prompt"]["is_default"] is False
    assert Prompt.unscoped.filter(account_id=owner.account_id).count() == 1
    by_type = owner.client.get(f"{PROMPTS}by_type/auto_cluster/").json()["data"]
    assert (by_type["prompt_value"], by_type["is_default"]) == ("Mine v2", False)
    assert ai.prompt_text(account_id=owner.account_id, prompt_type="auto_cluster") == "Mine v2"


def test_reset_restores_the_shipped_default(owner):
    # given
    owner.client.post(
        f"{PROMPTS}save/", {"prompt_type": "hashtags", "prompt_value": "Custom"}, format="json"
    )

    # when
    response = owner.client.post(f"{PROMPTS}reset/", {"prompt_type": "hashtags"}, format="json")

    # then
    assert response.status_code == 200
    prompt = response.json()["data"]["prompt"]
    assert prompt["prompt_value"] == prompts_defaults.DEFAULTS["hashtags"]
    assert prompt["is_default"] is True


def test_reset_of_a_type_without_a_default_is_a_400(owner):
    # when
    response = owner.client.post(f"{PROMPTS}reset/", {"prompt_type": "my_custom"}, format="json")

    # then
    assert response.status_code == 400
    assert "prompt_type" in response.json()["errors"]


def test_creating_a_second_prompt_of_a_type_is_a_409(owner):
    # given
    body = {"prompt_type": "social_post", "prompt_value": "Post about [[subject]]"}
    assert owner.client.post(PROMPTS, body, format="json").status_code == 201

    # when
    response = owner.client.post(PROMPTS, body, format="json")

    # then
    assert response.status_code == 409


def test_the_same_type_in_two_accounts_is_fine(owner, other_owner):
    # given
    body = {"prompt_type": "social_post", "prompt_value": "Post about [[subject]]"}

    # when / then
    assert owner.client.post(PROMPTS, body, format="json").status_code == 201
    assert other_owner.client.post(PROMPTS, body, format="json").status_code == 201
    other = other_owner.client.get(f"{PROMPTS}by_type/social_post/").json()["data"]
    assert other["id"] != owner.client.get(f"{PROMPTS}by_type/social_post/").json()["data"]["id"]


def test_viewer_reads_but_cannot_save(owner, member_factory):
    # given
    viewer = member_factory(owner, Role.VIEWER)

    # when
    response = viewer.client.post(
        f"{PROMPTS}save/", {"prompt_type": "hashtags", "prompt_value": "x"}, format="json"
    )

    # then
    assert response.status_code == 403
    assert viewer.client.get(f"{PROMPTS}by_type/hashtags/").status_code == 200


def test_every_pipeline_prompt_type_has_a_default():
    # then
    assert set(prompts_defaults.PROMPT_TYPES) >= {
        "auto_cluster", "cluster_naming", "generate_ideas", "generate_content", "image_prompts",
        "generate_image", "product_description", "hashtags", "social_post", "chat_reply",
        "agent_transform",
    }  # fmt: skip


def test_render_fills_placeholders_and_lists(owner):
    # when
    text = ai.prompt_render(
        account_id=owner.account_id, prompt_type="cluster_naming", keywords=["a b", "c d"]
    )

    # then
    assert text.endswith("Keywords:\n- a b\n- c d")


def test_author_profiles_and_strategies_crud(owner):
    # when
    profile = owner.client.post(
        "/api/v1/system/author-profiles/",
        {"name": "Expert", "tone": "authoritative", "language": "en",
         "structure_template": {"sections": ["intro", "faq"]}},
        format="json",
    )  # fmt: skip
    strategy = owner.client.post(
        "/api/v1/system/strategies/",
        {"name": "Pillar pages", "sections": ["Pillar", "Cluster"], "rules": {"min_words": 1500}},
        format="json",
    )

    # then
    assert profile.status_code == strategy.status_code == 201
    assert owner.client.get("/api/v1/system/author-profiles/").json()["count"] == 1
    assert owner.client.get("/api/v1/system/strategies/").json()["results"][0]["rules"] == {
        "min_words": 1500
    }
