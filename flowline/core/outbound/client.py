"""`Client`: how every integration calls an outside service over HTTP.

One client sends through the guarded transport with timeouts, reads at most
`max_answer_bytes` of an answer, retries what is safe to retry (`Retry`: backoff with
jitter, honouring Retry-After), and turns failures into the errors of `outbound.errors`
through one mapping. An integration refines it by subclassing: `service` names it in
messages, `errors` maps each core class to its own subclass, `classify()` reads its
error bodies, `make_error()` adds its fields.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import httpx

from flowline.core.backoff import Backoff
from flowline.core.outbound import errors as core  # `errors` is the class attribute below
from flowline.core.outbound.answers import error_detail, json_body, retry_after
from flowline.core.outbound.transport import DEFAULT_TIMEOUT, MAX_REDIRECTS, http_client

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# Failures where the request never left: a retry cannot do anything twice.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True, slots=True)
class Retry:
    """How often a call is tried and how long to wait in between.

    Waits double from `backoff` up to `cap`, each drawn between half and all of that
    (jitter, so callers that failed together do not come back together). A Retry-After
    answer is waited for when it is at most `max_retry_after`; a longer one ends the
    tries, and the error carries it for a durable queue to honour.
    """

    attempts: int = 1
    backoff: float = 0.5
    cap: float = 8.0
    max_retry_after: float = 10.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float | None:
        """Seconds to wait after failed try number `attempt`, None to stop trying."""
        if attempt >= self.attempts:
            return None
        if retry_after is not None:
            return retry_after if retry_after <= self.max_retry_after else None
        return backoff(attempt, base=self.backoff, cap=self.cap)


def backoff(attempt: int, *, base: float, cap: float) -> float:
    """Exponential backoff with jitter: about base * 2^(attempt-1), at most cap."""
    return Backoff(base=base, cap=cap, jitter=(0.5, 1.0)).seconds(attempt)


NO_RETRY = Retry()


class Client:
    """Calls to one service. Use as a context manager, or `close()` it."""

    service = "The service"
    # Core error class -> the integration's subclass; unmapped classes are looked up by
    # their bases (an unmapped Timeout becomes what Transient maps to).
    errors: Mapping[type[core.OutboundError], type[core.OutboundError]] = {}
    timeout: httpx.Timeout | float = DEFAULT_TIMEOUT
    follow_redirects = False
    max_redirects = MAX_REDIRECTS
    retry = NO_RETRY
    max_answer_bytes = 10 * 1024 * 1024

    def __init__(
        self,
        *,
        service: str | None = None,
        timeout: httpx.Timeout | float | None = None,
        follow_redirects: bool | None = None,
        retry: Retry | None = None,
        max_answer_bytes: int | None = None,
        headers: dict | None = None,
        auth=None,
    ) -> None:
        self.service = service or self.service
        self.timeout = timeout if timeout is not None else self.timeout
        self.retry = retry or self.retry
        if max_answer_bytes is not None:
            self.max_answer_bytes = max_answer_bytes
        if follow_redirects is not None:
            self.follow_redirects = follow_redirects
        self._headers, self._auth = headers, auth

    @cached_property
    def http(self) -> httpx.Client:
        """The guarded httpx client, opened on first use (mapping errors needs none)."""
        return http_client(
            timeout=self.timeout,
            follow_redirects=self.follow_redirects,
            max_redirects=self.max_redirects,
            headers=self._headers,
            auth=self._auth,
        )

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if "http" in self.__dict__:
            self.http.close()

    # --- sending ----------------------------------------------------------------------
    def request(
        self,
        method: str,
        url: str | httpx.URL,
        *,
        sends: bool = False,
        check: bool = True,
        limit: int | None = None,
        truncate: bool = False,
        **kwargs,
    ) -> httpx.Response:
        """Send one request (tried again as `retry` allows) and return the answer.

        `sends=True` marks a request that creates something: when it went out and no
        answer came back the error is `UnknownOutcome`, and it is never retried blindly.
        `check=False` returns any answer the service gave instead of raising for
        non-2xx ones. At most `limit` (default `max_answer_bytes`) bytes of the body are
        read: more raises `TooLarge`, or with `truncate=True` is left unread.
        """
        method = method.upper()
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._send(method, url, limit=limit, truncate=truncate, **kwargs)
            except core.OutboundError as exc:  # refused by the guard, or too large
                raise self.make_error(type(exc), exc.message) from exc
            except httpx.HTTPError as exc:
                error = self.failure_error(exc, sends=sends)
                cause: BaseException = exc
            else:
                if not check or response.is_success:
                    return response
                error = cause = self.answer_error(response)
            wait = self._wait(error, cause, method, sends, attempt)
            if wait is None:
                if error is cause:
                    raise error
                raise error from cause
            time.sleep(wait)

    def _send(self, method, url, *, limit, truncate, auth=None, **kwargs) -> httpx.Response:
        request = self.http.build_request(method, url, **kwargs)
        response = self.http.send(request, stream=True, auth=auth or self.http.auth)
        limit = limit or self.max_answer_bytes
        try:
            chunks, total = [], 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > limit:
                    if truncate:
                        chunks.append(chunk[: limit - (total - len(chunk))])
                        break
                    raise core.TooLarge(f"{self.service} answered more than {limit} bytes.")
                chunks.append(chunk)
        finally:
            response.close()
        # What Response.read() would have stored, read within the limit.
        response._content = b"".join(chunks)
        return response

    def _wait(self, error, cause, method: str, sends: bool, attempt: int) -> float | None:
        if not getattr(error, "transient", False) or isinstance(error, core.UnknownOutcome):
            return None
        nothing_done = isinstance(cause, _NOT_SENT) or getattr(error, "remote_status", 0) == 429
        if not nothing_done and (sends or method not in IDEMPOTENT):
            return None
        return self.retry.delay(attempt, getattr(error, "retry_after", None))

    # --- the error mapping ------------------------------------------------------------
    def classify(self, response: httpx.Response) -> type[core.OutboundError]:
        """The core class a non-2xx answer means; integrations read their bodies here."""
        return core.kind_for_status(response.status_code)

    def describe(self, response: httpx.Response) -> str:
        """The message for a non-2xx answer."""
        detail = error_detail(json_body(response)) or response.reason_phrase
        if response.is_redirect:
            detail = f"redirects to {response.headers.get('location', '?')} (not followed)"
        return f"{self.service} answered {response.status_code}: {detail}"

    def answer_error(self, response: httpx.Response) -> core.OutboundError:
        """The error a non-2xx answer raises."""
        return self.make_error(self.classify(response), self.describe(response), response=response)

    def failure_error(self, exc: httpx.HTTPError, *, sends: bool = False) -> core.OutboundError:
        """The error a request that got no answer raises."""
        if isinstance(exc, httpx.TooManyRedirects):
            return self.make_error(core.Rejected, f"{self.service} redirected too many times.")
        if isinstance(exc, httpx.UnsupportedProtocol):
            return self.make_error(core.ForbiddenURL, f"{self.service}: not an http(s) URL.")
        if isinstance(exc, _NOT_SENT):
            kind = core.Timeout if isinstance(exc, httpx.TimeoutException) else core.Transient
            reason = str(exc) or type(exc).__name__
            return self.make_error(kind, f"{self.service} is unreachable: {reason}.")
        if sends:
            return self.make_error(
                core.UnknownOutcome,
                f"{self.service} did not answer after the request was sent; it may have been done.",
            )
        if isinstance(exc, httpx.TimeoutException):
            return self.make_error(core.Timeout, f"{self.service} did not answer in time.")
        return self.make_error(core.Transient, f"{self.service} request failed: {exc}")

    def make_error(
        self,
        kind: type[core.OutboundError],
        message: str,
        *,
        response: httpx.Response | None = None,
        **fields,
    ) -> core.OutboundError:
        """An instance of the integration's class for `kind`."""
        cls = self.error_class(kind)
        if response is not None:
            fields.setdefault("remote_status", response.status_code)
            if issubclass(kind, core.Transient):
                fields.setdefault("retry_after", retry_after(response.headers))
        if issubclass(kind, core.ForbiddenURL) and not issubclass(cls, core.ForbiddenURL):
            fields.setdefault("code", core.ForbiddenURL.default_code)
        return cls(message, service=self.service, **fields)

    def error_class(self, kind: type[core.OutboundError]) -> type[core.OutboundError]:
        for base in kind.__mro__:
            if base in self.errors:
                return self.errors[base]
        return kind
