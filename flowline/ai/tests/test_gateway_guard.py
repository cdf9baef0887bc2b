"""The AI gateway never makes Flowline fetch an internal address for a tenant: not through
a provider's base URL, not through a redirect from it, not through the image URL a
provider answers with. A model server on the team's own network is reached only when
its host:port is allow-listed (the local-AI recipe in docs/ai-providers.md)."""

from decimal import Decimal

import pytest

from flowline.ai import public as ai
from flowline.ai.gateway.types import ImageResult
from flowline.ai.models import AICall, LLMProvider
from flowline.ai.testing.fake_openai import FakeOpenAI
from flowline.ai.testing.fixtures import use_fake_openai, use_fake_runware
from flowline.core.testing.outbound import allow_private_host, internal_service, redirect_to

pytestmark = pytest.mark.django_db
PROVIDERS = "/api/v1/automations/llm-providers/"
HELLO = [{"role": "user", "content": "hello"}]


def _point_provider_at(account_id: int, url: str) -> None:
    LLMProvider.unscoped.filter(account_id=account_id).update(base_url=url)


def test_a_local_model_server_on_an_allowed_address_answers_and_another_does_not(owner, settings):
    # given: two OpenAI-compatible servers on this machine, one of them allow-listed
    with FakeOpenAI() as allowed, FakeOpenAI() as other:
        allow_private_host(settings, allowed.root)

        # when: the team saves the allowed one, and tries the other
        saved = owner.client.post(
            PROVIDERS,
            {"name": "Ollama", "kind": "openai_compatible", "base_url": allowed.base_url},
            format="json",
        )
        refused = owner.client.post(
            PROVIDERS,
            {"name": "Other", "kind": "openai_compatible", "base_url": other.base_url},
            format="json",
        )
        provider = LLMProvider.unscoped.get(id=saved.json()["data"]["id"])
        use_fake_openai(owner.account_id, allowed)  # models on the allowed server
        reply = ai.chat(account_id=owner.account_id, messages=HELLO, operation="chat_reply")

    # then
    assert saved.status_code == 201 and provider.base_url == allowed.base_url
    assert reply.text and reply.offline is False
    assert refused.status_code == 400
    assert refused.json()["code"] == "forbidden_url" and "base_url" in refused.json()["errors"]
    assert other.requests == []


def test_a_stored_base_url_no_longer_allow_listed_is_refused_when_used(
    owner, settings, fake_openai
):
    # given: a provider saved while its address was allowed
    use_fake_openai(owner.account_id, fake_openai)
    settings.FLOWLINE_ALLOWED_PRIVATE_HOSTS = []

    # when
    with pytest.raises(ai.AIProviderError) as raised:
        ai.chat(account_id=owner.account_id, messages=HELLO, operation="chat_reply")

    # then: refused before anything was sent, and recorded as a failed call
    assert (raised.value.code, raised.value.transient) == ("forbidden_url", False)
    assert fake_openai.requests == []
    assert AICall.unscoped.get(account_id=owner.account_id).error_kind == "forbidden_url"


def test_a_base_url_that_redirects_to_an_internal_address_is_refused(owner, settings, fake_openai):
    # given: the tenant's "provider" is its own server, redirecting to the metadata service
    use_fake_openai(owner.account_id, fake_openai)
    with internal_service() as internal, redirect_to(f"{internal.url}/latest/") as redirector:
        allow_private_host(settings, redirector.url)
        _point_provider_at(owner.account_id, f"{redirector.url}/v1")

        # when
        with pytest.raises(ai.AIProviderError) as raised:
            ai.chat(account_id=owner.account_id, messages=HELLO, operation="chat_reply")

    # then
    assert raised.value.code == "forbidden_url"
    assert len(redirector.requests) == 1 and internal.requests == []


def test_a_runware_base_url_that_redirects_is_not_followed(owner, settings, fake_runware):
    use_fake_runware(owner.account_id, fake_runware)
    with internal_service() as internal, redirect_to(internal.url, status=307) as redirector:
        allow_private_host(settings, redirector.url)
        _point_provider_at(owner.account_id, f"{redirector.url}/v1")

        # when
        with pytest.raises(ai.AIProviderError) as raised:
            ai.generate_image(account_id=owner.account_id, prompt="a lighthouse")

    # then
    assert not raised.value.transient and raised.value.provider_status == 307
    assert len(redirector.requests) == 1 and internal.requests == []


def test_a_runware_base_url_on_an_internal_address_is_refused(owner, settings, fake_runware):
    use_fake_runware(owner.account_id, fake_runware)
    settings.FLOWLINE_ALLOWED_PRIVATE_HOSTS = []

    with pytest.raises(ai.AIProviderError) as raised:
        ai.generate_image(account_id=owner.account_id, prompt="a lighthouse")

    assert raised.value.code == "forbidden_url"
    assert fake_runware.requests == []


def _image_at(url: str) -> ImageResult:
    return ImageResult(
        provider="Runware", model="runware:101@1", latency_ms=1, cost_usd=Decimal(0),
        offline=False, url=url,
    )  # fmt: skip


def test_a_generated_image_url_that_redirects_to_an_internal_address_is_not_downloaded(
    settings,
):
    with internal_service() as internal, redirect_to(f"{internal.url}/secret.png") as cdn:
        allow_private_host(settings, cdn.url)

        # when
        with pytest.raises(ai.AIProviderError) as raised:
            ai.image_bytes(_image_at(f"{cdn.url}/image.png"))

    # then: nothing from the internal service becomes a media file
    assert raised.value.code == "forbidden_url"
    assert internal.requests == []


def test_a_generated_image_url_on_an_internal_address_is_not_downloaded():
    with internal_service() as internal, pytest.raises(ai.AIProviderError) as raised:
        ai.image_bytes(_image_at(f"{internal.url}/latest/meta-data/iam"))
    assert raised.value.code == "forbidden_url"
    assert internal.requests == []


def test_a_generated_image_is_followed_through_allowed_redirects(settings, fake_runware):
    # given: a CDN address that redirects to where the fake keeps the image
    fake_runware.images["abc"] = b"\x89PNG fake"
    with redirect_to(f"{fake_runware.root}/images/abc.png") as cdn:
        allow_private_host(settings, cdn.url)

        # when
        content = ai.image_bytes(_image_at(cdn.url))

    # then
    assert content == b"\x89PNG fake"
