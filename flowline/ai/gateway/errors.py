"""One exception family for every provider failure, with what the jobs layer needs to retry.

It refines the outbound layer's errors (`core.outbound.errors`): an `AIProviderError` is
an `OutboundError` whose `kind` says which of the core classes it came from, in the
words the jobs and the AI call log use.
"""

from __future__ import annotations

import httpx
from django.conf import settings

from flowline.core import outbound
from flowline.core.outbound import errors as core

BAD_KEY = "bad_key"
RATE_LIMITED = "rate_limited"
TIMEOUT = "timeout"
UNAVAILABLE = "unavailable"
BAD_REQUEST = "bad_request"
FORBIDDEN_URL = "forbidden_url"

TRANSIENT_KINDS = frozenset({RATE_LIMITED, TIMEOUT, UNAVAILABLE})
# What an API view answers when it lets the error through: the caller's key or request
# is wrong (400), or the provider is failing us (502/503/504).
_STATUS = {
    BAD_KEY: 400,
    BAD_REQUEST: 400,
    FORBIDDEN_URL: 400,
    RATE_LIMITED: 503,
    TIMEOUT: 504,
    UNAVAILABLE: 502,
}


class AIProviderError(core.OutboundError):
    """An AI provider call failed. `kind` says why; `transient` says a retry may succeed.

    `code` equals `kind`, so a failed job carries it as its error code; `retry_after` is
    the provider's Retry-After in seconds when it sent one.
    """

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        provider: str = "",
        model: str = "",
        status_code: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(
            message,
            code=kind,
            status=_STATUS.get(kind, 502),
            service=provider,
            remote_status=status_code,
            retry_after=retry_after,
        )
        self.kind = kind
        self.provider = provider
        self.model = model
        self.provider_status = status_code

    @property
    def transient(self) -> bool:
        return self.kind in TRANSIENT_KINDS


def kind_of(error_class: type[core.OutboundError], status: int | None = None) -> str:
    """The gateway's kind for a core error class (429 is told apart from other failures)."""
    if status == 429:
        return RATE_LIMITED
    if issubclass(error_class, core.ForbiddenURL):
        return FORBIDDEN_URL
    if issubclass(error_class, core.Timeout):
        return TIMEOUT
    if issubclass(error_class, core.Transient):
        return UNAVAILABLE
    if issubclass(error_class, core.AuthRefused):
        return BAD_KEY
    return BAD_REQUEST


def kind_for_status(status: int) -> str:
    return kind_of(core.kind_for_status(status), status)


def describe(kind: str, *, provider: str, status: int | None, detail: str, timeout: float) -> str:
    """A message a user can act on."""
    where = f"{provider} " if provider else "The AI provider "
    if kind == BAD_KEY:
        return f"{where}rejected the API key (HTTP {status}). Check the key in the settings."
    if kind == RATE_LIMITED:
        return f"{where}is rate limiting requests (HTTP 429); the call will be retried later."
    if kind == TIMEOUT:
        return f"{where}did not answer within {timeout:g} seconds."
    if kind == UNAVAILABLE:
        reason = f"HTTP {status}" if status else "connection failed"
        return f"{where}is unavailable ({reason}). {detail}".strip()
    if kind == FORBIDDEN_URL:
        return f"{where}is at an address Flowline may not call: {detail}"
    return f"{where}refused the request (HTTP {status}): {detail or 'bad request'}"


def from_status(
    status: int, *, headers, detail: str, provider: str, model: str, timeout: float
) -> AIProviderError:
    kind = kind_for_status(status)
    return AIProviderError(
        describe(kind, provider=provider, status=status, detail=detail, timeout=timeout),
        kind=kind,
        provider=provider,
        model=model,
        status_code=status,
        retry_after=outbound.retry_after(headers) if kind == RATE_LIMITED else None,
    )


class ProviderClient(outbound.Client):
    """The gateway's own HTTP to a provider (Runware, downloads of generated images):
    the outbound client, its errors told as AIProviderError."""

    def __init__(self, *, provider: str, model: str, timeout: float, **kwargs) -> None:
        connect = min(timeout, settings.AI_CONNECT_TIMEOUT_SECONDS)
        super().__init__(
            service=provider, timeout=httpx.Timeout(timeout, connect=connect), **kwargs
        )
        self.model = model
        self.seconds = timeout

    def make_error(self, kind, message, *, response=None, **fields) -> AIProviderError:
        status = response.status_code if response is not None else None
        if response is not None:
            detail = outbound.error_detail(outbound.json_body(response))
            return from_status(
                status,
                headers=response.headers,
                detail=detail,
                provider=self.service,
                model=self.model,
                timeout=self.seconds,
            )
        return failure(
            kind, detail=message, provider=self.service, model=self.model, timeout=self.seconds
        )


def failure(
    error_class: type[core.OutboundError], *, detail: str, provider: str, model: str, timeout: float
) -> AIProviderError:
    """The AIProviderError for a request that got no answer (or was refused by the guard)."""
    kind = kind_of(error_class)
    return AIProviderError(
        describe(kind, provider=provider, status=None, detail=detail, timeout=timeout),
        kind=kind,
        provider=provider,
        model=model,
    )


def from_openai(exc: Exception, *, provider: str, model: str, timeout: float) -> AIProviderError:
    """Map the `openai` SDK's exceptions onto the family."""
    import openai

    names = {"provider": provider, "model": model, "timeout": timeout}
    if isinstance(exc, openai.APITimeoutError):
        return failure(core.Timeout, detail="", **names)
    if isinstance(exc, openai.APIStatusError):
        return from_status(
            exc.status_code, headers=exc.response.headers, detail=_openai_detail(exc), **names
        )
    # A connection error, a broken stream or an unreadable body.
    return failure(core.Transient, detail=str(exc), **names)


def from_httpx(exc: httpx.HTTPError, *, provider: str, model: str, timeout: float):
    kind = core.Timeout if isinstance(exc, httpx.TimeoutException) else core.Transient
    return failure(kind, detail=str(exc), provider=provider, model=model, timeout=timeout)


def _openai_detail(exc) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])[:500]
    return str(getattr(exc, "message", "") or exc)[:500]
