"""Any OpenAI-compatible API (OpenAI, Gemini's OpenAI endpoint, Ollama, vLLM) through the
official `openai` SDK: chat with and without streaming, embeddings, images, model list.

The SDK's own retries are off: the jobs layer retries transient errors with backoff, so a
call here fails fast and says why. The SDK sends through the guarded outbound client: a
base URL (or a redirect from it) to an internal address that is not allow-listed is
refused, whatever the base URL looked like when it was saved.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import lru_cache

import httpx
import openai
from django.conf import settings

from flowline.ai.gateway import errors
from flowline.ai.gateway.types import Completion, Picture, Target
from flowline.core import outbound


def chat(
    target: Target,
    messages: list[dict],
    *,
    stream: bool = False,
    on_token: Callable[[str], None] | None = None,
    temperature: float | None = None,
    max_tokens: int | None = None,
    json_mode: bool = False,
) -> Completion:
    kwargs: dict = {"model": target.model, "messages": messages}
    temperature = temperature if temperature is not None else target.options.get("temperature")
    max_tokens = max_tokens or target.options.get("max_tokens")
    if temperature is not None:
        kwargs["temperature"] = float(temperature)
    if max_tokens:
        kwargs["max_tokens"] = int(max_tokens)
    if json_mode:
        kwargs["response_format"] = {"type": "json_object"}
    with _errors_mapped(target, settings.AI_TIMEOUT_SECONDS):
        client = _client(target, settings.AI_TIMEOUT_SECONDS)
        if stream:
            return _chat_stream(client, kwargs, on_token)
        response = client.chat.completions.create(**kwargs)
    choice = response.choices[0] if response.choices else None
    usage = response.usage
    return Completion(
        text=(choice.message.content or "") if choice else "",
        model=response.model or target.model,
        tokens_in=usage.prompt_tokens if usage else None,
        tokens_out=usage.completion_tokens if usage else None,
        finish_reason=(choice.finish_reason or "stop") if choice else "stop",
    )


def _chat_stream(client: openai.OpenAI, kwargs: dict, on_token) -> Completion:
    # include_usage makes the server send a last chunk with the token counts.
    kwargs = {**kwargs, "stream": True, "stream_options": {"include_usage": True}}
    parts: list[str] = []
    usage = None
    finish_reason = "stop"
    model = kwargs["model"]
    with client.chat.completions.create(**kwargs) as chunks:
        for chunk in chunks:
            model = chunk.model or model
            if chunk.usage is not None:
                usage = chunk.usage
            for choice in chunk.choices:
                piece = choice.delta.content if choice.delta else None
                if piece:
                    parts.append(piece)
                    if on_token is not None:
                        on_token(piece)
                if choice.finish_reason:
                    finish_reason = choice.finish_reason
    return Completion(
        text="".join(parts),
        model=model,
        tokens_in=usage.prompt_tokens if usage else None,
        tokens_out=usage.completion_tokens if usage else None,
        finish_reason=finish_reason,
        metadata={"streamed": True},
    )


def embed(target: Target, texts: list[str]) -> tuple[list[list[float]], int | None]:
    with _errors_mapped(target, settings.AI_TIMEOUT_SECONDS):
        client = _client(target, settings.AI_TIMEOUT_SECONDS)
        response = client.embeddings.create(model=target.model, input=texts)
    vectors = [item.embedding for item in sorted(response.data, key=lambda item: item.index)]
    usage = response.usage
    return vectors, (usage.prompt_tokens if usage else None)


def generate_image(target: Target, *, prompt: str, size: str, quality: str | None) -> Picture:
    kwargs: dict = {"model": target.model, "prompt": prompt, "size": size, "n": 1}
    # gpt-image models always answer base64 and refuse the parameter; DALL-E needs it.
    if not target.model.startswith("gpt-image"):
        kwargs["response_format"] = "b64_json"
    if quality:
        kwargs["quality"] = quality
    timeout = settings.AI_IMAGE_TIMEOUT_SECONDS
    with _errors_mapped(target, timeout):
        response = _client(target, timeout).images.generate(**kwargs)
    if not response.data:
        raise errors.AIProviderError(
            "The provider returned no image.", kind=errors.UNAVAILABLE, provider=target.provider
        )
    item = response.data[0]
    usage = getattr(response, "usage", None)
    return Picture(
        model=target.model,
        data=base64.b64decode(item.b64_json) if item.b64_json else None,
        url=item.url,
        revised_prompt=item.revised_prompt or "",
        tokens_in=getattr(usage, "input_tokens", 0) or 0,
        tokens_out=getattr(usage, "output_tokens", 0) or 0,
    )


def list_models(target: Target) -> list[str]:
    """The ids of the models the API offers: a cheap, real call for "test connection"."""
    with _errors_mapped(target, settings.AI_TIMEOUT_SECONDS):
        page = _client(target, settings.AI_TIMEOUT_SECONDS).models.list()
        return [model.id for model in page]


class _errors_mapped:
    """Turn SDK and transport exceptions raised inside the block into AIProviderError."""

    def __init__(self, target: Target, timeout: float):
        self.target, self.timeout = target, timeout

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is None or isinstance(exc, errors.AIProviderError):
            return False
        names = {"provider": self.target.provider, "model": self.target.model}
        if isinstance(exc, outbound.errors.OutboundError):  # the guard refused the address
            raise errors.failure(
                type(exc), detail=exc.message, timeout=self.timeout, **names
            ) from exc
        if isinstance(exc, openai.OpenAIError):
            raise errors.from_openai(exc, timeout=self.timeout, **names) from exc
        if isinstance(exc, httpx.HTTPError):
            raise errors.from_httpx(exc, timeout=self.timeout, **names) from exc
        return False


def _client(target: Target, timeout: float) -> openai.OpenAI:
    return _cached_client(target.base_url or None, target.api_key, timeout)


@lru_cache(maxsize=64)
def _cached_client(base_url: str | None, api_key: str, timeout: float) -> openai.OpenAI:
    # Local servers (Ollama, vLLM) take no key, but the SDK insists on one.
    deadline = httpx.Timeout(timeout, connect=min(timeout, settings.AI_CONNECT_TIMEOUT_SECONDS))
    return openai.OpenAI(
        api_key=api_key or "not-needed",
        base_url=base_url,
        timeout=deadline,
        max_retries=0,
        http_client=outbound.http_client(timeout=deadline, follow_redirects=True),
    )
