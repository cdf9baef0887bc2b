"""The gateway's three calls: chat, embed, generate_image. Every feature goes through them.

Each one resolves the account's provider (or the environment's, or the offline one),
calls it with a deadline, records an AICall, tells the usage listeners, and raises
AIProviderError (transient or not) when the provider fails.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from flowline.ai.gateway import errors, metering, offline_media, offline_text, openai_compat
from flowline.ai.gateway import runware as runware_api
from flowline.ai.gateway.resolve import CHAT, EMBEDDING, IMAGE, resolve
from flowline.ai.gateway.types import (
    OFFLINE,
    OFFLINE_NOTE,
    RUNWARE,
    ChatResult,
    Completion,
    ImageResult,
    Picture,
    Target,
    estimate_tokens,
)
from flowline.ai.models import AIAgent, AICall
from flowline.jobs.public import job_phase


def chat(
    *,
    account_id: int,
    messages: list[dict],
    model: str | None = None,
    stream: bool = False,
    on_token: Callable[[str], None] | None = None,
    operation: str,
    job_id=None,
    temperature: float | None = None,
    max_tokens: int | None = None,
    json_mode: bool = False,
    agent_id: int | None = None,
) -> ChatResult:
    """A chat completion for `messages` ([{"role", "content"}]).

    With `stream=True` the answer arrives piece by piece through `on_token(text)` and the
    result holds the whole text. `agent_id` prepends the agent's instructions and uses its
    model and temperature. `operation` names the feature (a prompt type such as
    "generate_ideas"): it is recorded, and the offline provider shapes its answer by it.
    """
    with job_phase("ai_plan_and_provider_lookup"):
        _within_plan(account_id)
        if agent_id is not None:
            messages, model, temperature = _with_agent(
                account_id, agent_id, messages, model, temperature
            )
        target = resolve(account_id=account_id, purpose=CHAT, model=model)
    with _provider_call(account_id, job_id, operation, target) as timed:
        if target.kind == OFFLINE:
            completion = _offline_chat(messages, operation, json_mode, stream, on_token)
        else:
            with job_phase("ai_provider_call"):
                completion = openai_compat.chat(
                    target,
                    messages,
                    stream=stream,
                    on_token=on_token,
                    temperature=temperature,
                    max_tokens=max_tokens,
                    json_mode=json_mode,
                )
    latency = timed.latency_ms
    tokens_in = completion.tokens_in
    if tokens_in is None:
        tokens_in = sum(estimate_tokens(str(m.get("content") or "")) for m in messages)
    tokens_out = completion.tokens_out
    if tokens_out is None:
        tokens_out = estimate_tokens(completion.text)
    cost = metering.cost(target, tokens_in=tokens_in, tokens_out=tokens_out)
    with job_phase("ai_record_call"):
        call = timed.record(
            model=completion.model, tokens_in=tokens_in, tokens_out=tokens_out, cost_usd=cost
        )
    metadata = _metadata(completion.metadata, target)
    if completion.tokens_in is None or completion.tokens_out is None:
        metadata["tokens_estimated"] = True
    return ChatResult(
        text=completion.text,
        provider=target.provider,
        model=completion.model,
        tokens_in=tokens_in,
        tokens_out=tokens_out,
        latency_ms=latency,
        cost_usd=cost,
        offline=target.offline,
        finish_reason=completion.finish_reason,
        call_id=call.id,
        metadata=metadata,
    )


def embed(
    *,
    account_id: int,
    texts: list[str],
    model: str | None = None,
    operation: str = "embed",
    job_id=None,
) -> list[list[float]]:
    """One vector per text, in order."""
    if not texts:
        return []
    _within_plan(account_id)
    target = resolve(account_id=account_id, purpose=EMBEDDING, model=model)
    with _provider_call(account_id, job_id, operation, target) as timed:
        if target.kind == OFFLINE:
            vectors, tokens = offline_media.embed(texts), None
        else:
            vectors, tokens = openai_compat.embed(target, texts)
    tokens = tokens if tokens is not None else sum(estimate_tokens(text) for text in texts)
    timed.record(
        model=target.model,
        tokens_in=tokens,
        tokens_out=0,
        cost_usd=metering.cost(target, tokens_in=tokens, tokens_out=0),
    )
    return vectors


def generate_image(
    *,
    account_id: int,
    prompt: str,
    size: str = "1024x1024",
    model: str | None = None,
    operation: str = "generate_image",
    job_id=None,
    quality: str | None = None,
    negative_prompt: str = "",
    output_type: str = "URL",
) -> ImageResult:
    """One image for `prompt`: PNG bytes (OpenAI b64_json, offline) or a URL (Runware)."""
    return generate_image_with(
        resolve(account_id=account_id, purpose=IMAGE, model=model),
        account_id=account_id,
        prompt=prompt,
        size=size,
        operation=operation,
        job_id=job_id,
        quality=quality,
        negative_prompt=negative_prompt,
        output_type=output_type,
    )


def generate_image_with(
    target: Target,
    *,
    account_id: int,
    prompt: str,
    size: str,
    operation: str,
    job_id=None,
    quality: str | None = None,
    negative_prompt: str = "",
    output_type: str = "URL",
) -> ImageResult:
    """`generate_image` on a given target (the integration settings' "generate" test)."""
    _within_plan(account_id)
    with _provider_call(account_id, job_id, operation, target) as timed:
        if target.kind == OFFLINE:
            picture = Picture(model=target.model, data=offline_media.image(prompt, size))
        elif target.kind == RUNWARE:
            picture = runware_api.generate_image(
                target,
                prompt=prompt,
                size=size,
                output_type=output_type,
                negative_prompt=negative_prompt,
            )
        else:
            picture = openai_compat.generate_image(
                target, prompt=prompt, size=size, quality=quality
            )
    latency = timed.latency_ms
    cost = picture.reported_cost
    if cost is None:
        cost = metering.cost(
            target, tokens_in=picture.tokens_in, tokens_out=picture.tokens_out, images=1
        )
    call = timed.record(
        model=picture.model,
        tokens_in=picture.tokens_in,
        tokens_out=picture.tokens_out,
        cost_usd=cost,
        images=1,
    )
    return ImageResult(
        provider=target.provider,
        model=picture.model,
        latency_ms=latency,
        cost_usd=cost,
        offline=target.offline,
        data=picture.data,
        url=picture.url,
        mime_type=picture.mime_type,
        revised_prompt=picture.revised_prompt,
        call_id=call.id,
        metadata=_metadata(picture.metadata, target),
    )


def image_bytes(result: ImageResult, *, max_bytes: int = 20 * 1024 * 1024) -> bytes:
    """The image's bytes, downloading them (with a deadline) when the provider gave a URL.

    The URL is the provider's answer, so it is no safer than the provider: the download
    goes through the guarded outbound client, each redirect hop checked again."""
    if result.data is not None:
        return result.data
    with errors.ProviderClient(
        provider=result.provider,
        model=result.model,
        timeout=settings.AI_IMAGE_TIMEOUT_SECONDS,
        follow_redirects=True,
    ) as client:
        return client.request("GET", result.url or "", limit=max_bytes).content


def _offline_chat(messages, operation, json_mode, stream, on_token) -> Completion:
    text = offline_text.complete(messages, operation=operation, json_mode=json_mode)
    if stream and on_token is not None:
        for piece in _pieces(text):
            on_token(piece)
    return Completion(
        text=text,
        model="offline-chat",
        tokens_in=None,
        tokens_out=None,
        metadata={"streamed": stream},
    )


def _pieces(text: str) -> list[str]:
    words = text.split(" ")
    return [word + (" " if index < len(words) - 1 else "") for index, word in enumerate(words)]


def _within_plan(account_id: int) -> None:
    """402 `plan_limit_exceeded` before a call the plan's `max_ai_requests` has no room
    for this period: refused before any provider is asked, so nothing is paid or written."""
    from flowline.billing.public import check_counted_limit

    check_counted_limit(account_id=account_id, limit="max_ai_requests")


def _with_agent(account_id, agent_id, messages, model, temperature):
    agent = AIAgent.unscoped.select_related("model").get(account_id=account_id, id=agent_id)
    if agent.instructions:
        messages = [{"role": "system", "content": agent.instructions}, *messages]
    if model is None and agent.model is not None:
        model = agent.model.name
    if temperature is None:
        temperature = agent.temperature
    return messages, model, temperature


def _metadata(answered: dict, target: Target) -> dict:
    """What the provider said about its answer, with where the target came from (and a note
    when it is the offline provider)."""
    metadata = {**answered, "source": target.source}
    if target.offline:
        metadata["note"] = OFFLINE_NOTE
    return metadata


@dataclass
class _ProviderCall:
    """One call to a provider: who asked for what, and (once its block ends without error)
    how long the provider took, in milliseconds."""

    account_id: int
    job_id: Any
    operation: str
    target: Target
    latency_ms: int = 0

    def record(self, **measured) -> AICall:
        """The call's AICall: what it used (`model`, tokens, `cost_usd`, `images`)."""
        return metering.record_success(
            account_id=self.account_id,
            job_id=self.job_id,
            operation=self.operation,
            target=self.target,
            latency_ms=self.latency_ms,
            **measured,
        )


@contextmanager
def _provider_call(
    account_id: int, job_id, operation: str, target: Target
) -> Iterator[_ProviderCall]:
    """Time the block that asks the provider. A provider error is recorded as a failed
    AICall (with the time it took) and raised on; otherwise what it yields holds the
    block's time, and `record()` writes the successful call."""
    timed = _ProviderCall(account_id, job_id, operation, target)
    started = time.monotonic()
    try:
        yield timed
    except errors.AIProviderError as exc:
        metering.record_failure(
            account_id=account_id,
            job_id=job_id,
            operation=operation,
            target=target,
            error=exc,
            latency_ms=_ms(started),
        )
        raise
    timed.latency_ms = _ms(started)


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
