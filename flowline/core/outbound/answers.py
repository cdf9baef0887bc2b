"""Reading a service's answer: its JSON body, its error message, its Retry-After."""

from __future__ import annotations

import email.utils
import time

import httpx


def json_body(response: httpx.Response) -> dict:
    """The answer's JSON object; {} when the body is not JSON or not an object."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def error_detail(body: dict) -> str:
    """The message of the common error shapes: `{"error": {"message"}}` (OpenAI, Graph,
    Google, Microsoft), `{"error", "error_description"}` (OAuth), `{"message"}`,
    `{"detail"}`, `{"errors": [{"message"}]}`."""
    error = body.get("error")
    if isinstance(error, dict):
        return str(error.get("message") or error.get("code") or "")[:500]
    for key in ("error_description", "message", "detail"):
        if body.get(key):
            return str(body[key])[:500]
    errors = body.get("errors")
    if isinstance(errors, list) and errors:
        first = errors[0]
        if isinstance(first, dict):
            first = first.get("message") or first.get("code") or ""
        return str(first)[:500]
    return str(error or "")[:500]


def retry_after(headers) -> float | None:
    """Retry-After in seconds (a number or an HTTP date), None when absent or unreadable."""
    value = (headers or {}).get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, parsed.timestamp() - time.time())
