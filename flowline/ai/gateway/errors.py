"""One exception family for every provider failure, with what the jobs layer needs to retry."""

from __future__ import annotations

import email.utils
import time

import httpx

from flowline.core.errors import ApplicationError

BAD_KEY = "bad_key"
RATE_LIMITED = "rate_limited"
TIMEOUT = "timeout"
UNAVAILABLE = "unavailable"
BAD_REQUEST = "bad_request"

TRANSIENT_KINDS = frozenset({RATE_LIMITED, TIMEOUT, UNAVAILABLE})
# What an API view answers when it lets the error through: the caller's key or request
# is wrong (400), or the provider is failing us (502/503/504).
_STATUS = {BAD_KEY: 400, BAD_REQUEST: 400, RATE_LIMITED: 503, TIMEOUT: 504, UNAVAILABLE: 502}


class AIProviderError(ApplicationError):
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
        super().__init__(message, code=kind, status=_STATUS.get(kind, 502))
        self.kind = kind
        self.provider = provider
        self.model = model
        self.provider_status = status_code
        self.retry_after = retry_after

    @property
    def transient(self) -> bool:
        return self.kind in TRANSIENT_KINDS


def kind_for_status(status: int) -> str:
    if status in (401, 403):
        return BAD_KEY
    if status == 429:
        return RATE_LIMITED
    if status == 408:
        return TIMEOUT
    if status >= 500:
        return UNAVAILABLE
    return BAD_REQUEST


def retry_after_seconds(headers) -> float | None:
    """Retry-After as seconds (delta or HTTP date), or None."""
    value = (headers or {}).get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


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
        retry_after=retry_after_seconds(headers) if kind == RATE_LIMITED else None,
    )


def from_openai(exc: Exception, *, provider: str, model: str, timeout: float) -> AIProviderError:
    """Map the `openai` SDK's exceptions onto the family."""
    import openai

    if isinstance(exc, openai.APITimeoutError):
        kind, status, _headers, detail = TIMEOUT, None, None, ""
    elif isinstance(exc, openai.APIConnectionError):
        kind, status, _headers, detail = UNAVAILABLE, None, None, str(exc)
    elif isinstance(exc, openai.APIStatusError):
        return from_status(
            exc.status_code,
            headers=exc.response.headers,
            detail=_openai_detail(exc),
            provider=provider,
            model=model,
            timeout=timeout,
        )
    else:  # an APIError without a status: a broken stream or an unreadable body
        kind, status, _headers, detail = UNAVAILABLE, None, None, str(exc)
    return AIProviderError(
        describe(kind, provider=provider, status=status, detail=detail, timeout=timeout),
        kind=kind,
        provider=provider,
        model=model,
    )


def from_httpx(exc: httpx.HTTPError, *, provider: str, model: str, timeout: float):
    kind = TIMEOUT if isinstance(exc, httpx.TimeoutException) else UNAVAILABLE
    return AIProviderError(
        describe(kind, provider=provider, status=None, detail=str(exc), timeout=timeout),
        kind=kind,
        provider=provider,
        model=model,
    )


def _openai_detail(exc) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])[:500]
    return str(getattr(exc, "message", "") or exc)[:500]
