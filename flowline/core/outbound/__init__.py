"""Outbound HTTP: the one way Flowline calls other servers.

- `Client`: send with timeouts, retries (`Retry`), a bounded answer and one mapping of
  failures to `errors` (Transient, Timeout, UnknownOutcome, AuthRefused, NotFound,
  Rejected, ForbiddenURL, TooLarge) that integrations refine by subclassing.
- `http_client()`: a bare guarded `httpx.Client`, for SDKs that take one (openai).
- `guarded_session()`: a guarded `requests.Session`, for SDKs on requests (pywebpush,
  Stripe, allauth).
- `json_body()`, `error_detail()`, `retry_after()`: reading an answer.

Every connection any of them makes goes through `transport.GuardedBackend`: the host is
resolved once, internal addresses are refused unless their host:port is on
FLOWLINE_ALLOWED_PRIVATE_HOSTS (`addresses`), and the socket connects to the address
that was checked. Redirects are re-checked hop by hop.
"""

from flowline.core.outbound import errors
from flowline.core.outbound.answers import error_detail, json_body, retry_after
from flowline.core.outbound.client import NO_RETRY, Client, Retry, backoff
from flowline.core.outbound.sessions import guarded_session
from flowline.core.outbound.transport import http_client

__all__ = [
    "NO_RETRY",
    "Client",
    "Retry",
    "backoff",
    "error_detail",
    "errors",
    "guarded_session",
    "http_client",
    "json_body",
    "retry_after",
]
