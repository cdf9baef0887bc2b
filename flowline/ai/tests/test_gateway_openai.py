"""The gateway against a real HTTP server speaking the OpenAI protocol, through the SDK."""

import uuid
from decimal import Decimal

import pytest

from flowline.ai import public as ai
from flowline.ai.models import AICall
from flowline.ai.testing.fixtures import use_fake_openai

pytestmark = pytest.mark.django_db

HELLO = [{"role": "user", "content": "Say hello to the marketing team"}]


def test_chat_answers_and_records_tokens_and_cost(owner, fake_openai):
    # given: 0.5 USD per 1k tokens in, 1.5 per 1k out
    use_fake_openai(owner.account_id, fake_openai)
    job_id = uuid.uuid4()

    # when
    result = ai.chat(
        account_id=owner.account_id, messages=HELLO, operation="chat_reply", job_id=job_id
    )

    # then
    assert result.text == "Fake reply to: Say hello to the marketing team"
    assert result.offline is False
    assert (result.tokens_in, result.tokens_out) == (6, 9)
    assert result.cost_usd == Decimal("0.016500")  # 6 * 0.5/1000 + 9 * 1.5/1000
    call = AICall.unscoped.get(id=result.call_id)
    assert call.account_id == owner.account_id
    assert (call.provider, call.model, call.operation) == ("Fake OpenAI", "fake-chat", "chat_reply")
    assert (call.tokens_in, call.tokens_out, call.cost_usd) == (6, 9, Decimal("0.016500"))
    assert call.job_id == job_id
    assert call.status == AICall.Status.SUCCEEDED
    sent = fake_openai.requests[-1]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["headers"]["authorization"] == "Bearer sk-fake-good-key-1234"


def test_streaming_chat_calls_on_token_for_each_piece(owner, fake_openai):
    # given
    use_fake_openai(owner.account_id, fake_openai)
    pieces = []

    # when
    result = ai.chat(
        account_id=owner.account_id,
        messages=HELLO,
        operation="chat_reply",
        stream=True,
        on_token=pieces.append,
    )

    # then: the pieces arrived one by one and add up to the text; usage came in the last chunk
    assert len(pieces) == 9
    assert "".join(pieces) == result.text == "Fake reply to: Say hello to the marketing team"
    assert (result.tokens_in, result.tokens_out) == (6, 9)
    assert "tokens_estimated" not in result.metadata
    assert fake_openai.requests[-1]["json"]["stream"] is True
    assert fake_openai.requests[-1]["json"]["stream_options"] == {"include_usage": True}


def test_json_mode_asks_for_a_json_object(owner, fake_openai):
    # given
    use_fake_openai(owner.account_id, fake_openai)

    # when
    result = ai.chat(
        account_id=owner.account_id, messages=HELLO, operation="hashtags", json_mode=True
    )

    # then
    assert result.json() == {"echo": "Say hello to the marketing team"}
    assert fake_openai.requests[-1]["json"]["response_format"] == {"type": "json_object"}


def test_embeddings_come_back_in_input_order(owner, fake_openai):
    # given
    use_fake_openai(owner.account_id, fake_openai)

    # when
    vectors = ai.embed(account_id=owner.account_id, texts=["running shoes", "trail running"])

    # then
    assert len(vectors) == 2 and len(vectors[0]) == 8
    assert vectors[0] != vectors[1]
    call = AICall.unscoped.get(account_id=owner.account_id, operation="embed")
    assert (call.model, call.tokens_in) == ("fake-embedding", 4)


def test_image_generation_returns_png_bytes_from_b64_json(owner, fake_openai):
    # given
    use_fake_openai(owner.account_id, fake_openai)

    # when
    image = ai.generate_image(account_id=owner.account_id, prompt="a red bicycle", size="256x256")

    # then
    assert image.data.startswith(b"\x89PNG")
    assert image.revised_prompt == "Revised: a red bicycle"
    assert image.cost_usd == Decimal("0.040000")
    assert fake_openai.requests[-1]["json"]["response_format"] == "b64_json"


def test_usage_listener_receives_every_successful_call(owner, fake_openai):
    # given
    use_fake_openai(owner.account_id, fake_openai)
    seen = []
    ai.register_usage_listener(seen.append)

    # when
    try:
        result = ai.chat(account_id=owner.account_id, messages=HELLO, operation="social_post")
    finally:
        ai.unregister_usage_listener(seen.append)

    # then
    assert len(seen) == 1
    usage = seen[0]
    assert isinstance(usage, ai.AIUsage)
    assert usage.account_id == owner.account_id
    assert (usage.operation, usage.provider, usage.model) == (
        "social_post",
        "Fake OpenAI",
        "fake-chat",
    )
    assert (usage.tokens_in, usage.tokens_out, usage.cost_usd) == (6, 9, result.cost_usd)
    assert usage.offline is False
    with pytest.raises(AttributeError):
        usage.cost_usd = Decimal(0)  # frozen


@pytest.mark.parametrize(
    ("key", "kind", "transient"),
    [
        ("bad-key", "bad_key", False),
        ("forbidden-key", "bad_key", False),
        ("rate-limited", "rate_limited", True),
        ("server-error", "unavailable", True),
    ],
)
def test_provider_errors_become_one_family(owner, fake_openai, key, kind, transient):
    # given
    use_fake_openai(owner.account_id, fake_openai, api_key=key)

    # when
    with pytest.raises(ai.AIProviderError) as raised:
        ai.chat(account_id=owner.account_id, messages=HELLO, operation="chat_reply")

    # then: a clear error, retried by the jobs layer only when that can help
    error = raised.value
    assert (error.kind, error.code, error.transient) == (kind, kind, transient)
    assert error.provider == "Fake OpenAI"
    call = AICall.unscoped.get(account_id=owner.account_id)
    assert (call.status, call.error_kind) == (AICall.Status.FAILED, kind)
    assert call.error == error.message


def test_rate_limit_carries_retry_after(owner, fake_openai):
    # given
    use_fake_openai(owner.account_id, fake_openai, api_key="rate-limited")

    # when
    with pytest.raises(ai.AIProviderError) as raised:
        ai.chat(account_id=owner.account_id, messages=HELLO, operation="chat_reply")

    # then
    assert raised.value.retry_after == 7.0
    assert "rate limiting" in raised.value.message


def test_bad_key_message_tells_the_user_what_to_do(owner, fake_openai):
    # given
    use_fake_openai(owner.account_id, fake_openai, api_key="bad-key")

    # when
    with pytest.raises(ai.AIProviderError) as raised:
        ai.chat(account_id=owner.account_id, messages=HELLO, operation="chat_reply")

    # then
    assert raised.value.message == (
        "Fake OpenAI rejected the API key (HTTP 401). Check the key in the settings."
    )


def test_unknown_model_is_a_bad_request_with_the_providers_reason(owner, fake_openai):
    # given
    use_fake_openai(owner.account_id, fake_openai, chat_model="missing-model")

    # when
    with pytest.raises(ai.AIProviderError) as raised:
        ai.chat(account_id=owner.account_id, messages=HELLO, operation="chat_reply")

    # then
    assert raised.value.kind == "bad_request" and not raised.value.transient
    assert "does not exist" in raised.value.message


def test_slow_provider_times_out(owner, fake_openai, settings):
    # given: a provider that does not answer, and a short deadline
    settings.AI_TIMEOUT_SECONDS = 0.3
    use_fake_openai(owner.account_id, fake_openai, api_key="slow")

    # when
    with pytest.raises(ai.AIProviderError) as raised:
        ai.chat(account_id=owner.account_id, messages=HELLO, operation="chat_reply")

    # then
    assert (raised.value.kind, raised.value.transient) == ("timeout", True)
    assert "0.3 seconds" in raised.value.message


def test_unreachable_provider_is_unavailable(owner, fake_openai):
    # given: the server is gone
    use_fake_openai(owner.account_id, fake_openai)
    fake_openai.stop()

    # when
    with pytest.raises(ai.AIProviderError) as raised:
        ai.embed(account_id=owner.account_id, texts=["hello"])

    # then
    assert (raised.value.kind, raised.value.transient) == ("unavailable", True)


def test_streaming_errors_are_mapped_too(owner, fake_openai):
    # given
    use_fake_openai(owner.account_id, fake_openai, api_key="rate-limited")

    # when
    with pytest.raises(ai.AIProviderError) as raised:
        ai.chat(
            account_id=owner.account_id,
            messages=HELLO,
            operation="chat_reply",
            stream=True,
            on_token=lambda piece: None,
        )

    # then
    assert raised.value.kind == "rate_limited"
