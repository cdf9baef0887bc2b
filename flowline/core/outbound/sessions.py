"""A `requests.Session` whose requests go through the guarded transport, for the SDKs
that speak `requests` (pywebpush, Stripe, allauth's social login).

The adapter hands each prepared request to a guarded httpx client and gives the SDK a
`requests.Response` back. Redirects stay the Session's business (it follows them when
the SDK asks), and each hop comes back through the adapter, so it is checked again.
The guard's refusal (`ForbiddenURL`) goes through unchanged; transport failures become
the `requests` exceptions the SDKs already handle.
"""

from __future__ import annotations

import io
from typing import cast

import httpx
import requests
from requests.adapters import BaseAdapter, HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from flowline.core.outbound.transport import DEFAULT_TIMEOUT, http_client

# The most of an answer the adapter reads; SDK answers are small JSON documents.
MAX_ANSWER_BYTES = 10 * 1024 * 1024


class GuardedAdapter(BaseAdapter):
    """A requests transport adapter over the guarded httpx transport. A request sent
    without a timeout waits `timeout` seconds (or the transport's default)."""

    def __init__(self, *, timeout: float | None = None) -> None:
        super().__init__()
        self._client = http_client(follow_redirects=False)
        self._default_timeout = timeout

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        try:
            answer = self._client.send(
                self._client.build_request(
                    request.method,
                    request.url,
                    headers=dict(request.headers),
                    content=_body(request.body),
                    timeout=_timeout(timeout if timeout is not None else self._default_timeout),
                ),
                stream=True,
            )
        except httpx.ConnectTimeout as exc:
            raise requests.exceptions.ConnectTimeout(exc, request=request) from exc
        except httpx.TimeoutException as exc:
            raise requests.exceptions.ReadTimeout(exc, request=request) from exc
        except httpx.HTTPError as exc:
            raise requests.exceptions.ConnectionError(exc, request=request) from exc
        try:
            content = _read(answer, request)
        finally:
            answer.close()
        return self._response(request, answer, content)

    def _response(self, request, answer: httpx.Response, content: bytes) -> requests.Response:
        response = requests.Response()
        response.status_code = answer.status_code
        response.reason = answer.reason_phrase
        # Already decoded: the encoding headers would make requests decode again.
        headers = [(k, v) for k, v in answer.headers.multi_items() if k != "content-encoding"]
        response.headers = CaseInsensitiveDict(_joined(headers))
        response.encoding = get_encoding_from_headers(response.headers)
        response.raw = io.BytesIO(content)
        response._content = content
        response._content_consumed = True
        response.url = request.url
        response.request = request
        # requests types this as its HTTPAdapter; all it does with it is send again
        # (digest auth's second try), which this adapter does through the guard.
        response.connection = cast(HTTPAdapter, self)
        return response

    def close(self) -> None:
        self._client.close()


def guarded_session(*, timeout: float | None = None) -> requests.Session:
    """A Session that sends through the guard (and, with `timeout`, always has one)."""
    session = requests.Session()
    session.trust_env = False  # no proxies or netrc from the environment
    adapter = GuardedAdapter(timeout=timeout)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _body(body):
    if body is None or isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    return body.read() if hasattr(body, "read") else b"".join(body)


def _timeout(timeout) -> httpx.Timeout:
    if timeout is None:
        return DEFAULT_TIMEOUT
    if isinstance(timeout, tuple):
        connect, read = timeout
        return httpx.Timeout(read, connect=connect)
    return httpx.Timeout(timeout)


def _read(answer: httpx.Response, request) -> bytes:
    chunks, total = [], 0
    try:
        for chunk in answer.iter_bytes():
            total += len(chunk)
            if total > MAX_ANSWER_BYTES:
                raise requests.exceptions.ContentDecodingError(
                    f"The answer is larger than {MAX_ANSWER_BYTES} bytes.", request=request
                )
            chunks.append(chunk)
    except httpx.TimeoutException as exc:
        raise requests.exceptions.ReadTimeout(exc, request=request) from exc
    except httpx.HTTPError as exc:
        raise requests.exceptions.ConnectionError(exc, request=request) from exc
    return b"".join(chunks)


def _joined(pairs: list[tuple[str, str]]) -> dict[str, str]:
    # requests joins repeated headers with ", " (as urllib3 does).
    headers: dict[str, str] = {}
    for key, value in pairs:
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers
