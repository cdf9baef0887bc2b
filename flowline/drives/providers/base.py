"""What every drive adapter shares: OAuth token grants and HTTP with mapped errors.

Adapters raise `AccessTokenRejected` on a 401 so the service can refresh once and retry;
everything else becomes a `DriveError` with the provider's message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlencode

import httpx
from django.conf import settings

from flowline.drives.cloud_files import CloudFile, DownloadedFile
from flowline.drives.errors import DriveError, DriveNotFound, DriveTokenExpired, DriveUnavailable

logger = logging.getLogger("flowline.drives")


class AccessTokenRejected(Exception):
    """The API answered 401: the access token is expired or revoked."""


@dataclass(frozen=True, slots=True)
class TokenGrant:
    """What a token endpoint returned."""

    access_token: str
    refresh_token: str
    expires_in: int | None
    scope: str


def path_segment(value: str) -> str:
    """A provider id as one URL path segment (ids come from users: no `../` tricks)."""
    return quote(value, safe="")


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


class DriveAdapter:
    """One provider: its OAuth endpoints and its file API."""

    provider: str
    client_id: str
    client_secret: str
    auth_url: str
    token_url: str
    api_base: str
    scopes: str
    extra_auth_params: dict[str, str] = {}

    # --- OAuth -----------------------------------------------------------------------
    def authorization_url(self, *, state: str, code_challenge: str) -> str:
        params = {
            "client_id": self.client_id,
            "redirect_uri": settings.DRIVE_OAUTH_REDIRECT_URI,
            "response_type": "code",
            "scope": self.scopes,
            "state": state,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
            **self.extra_auth_params,
        }
        return f"{self.auth_url}?{urlencode(params)}"

    def exchange_code(self, *, code: str, code_verifier: str) -> TokenGrant:
        return self._grant(
            {
                "grant_type": "authorization_code",
                "code": code,
                "code_verifier": code_verifier,
                "redirect_uri": settings.DRIVE_OAUTH_REDIRECT_URI,
            }
        )

    def refresh(self, *, refresh_token: str) -> TokenGrant:
        """New tokens; `DriveTokenExpired` when the provider refuses the refresh token."""
        grant = self._grant({"grant_type": "refresh_token", "refresh_token": refresh_token})
        if not grant.refresh_token:  # Google keeps the old one and does not repeat it
            grant = TokenGrant(grant.access_token, refresh_token, grant.expires_in, grant.scope)
        return grant

    def _grant(self, data: dict) -> TokenGrant:
        data = {**data, "client_id": self.client_id, "client_secret": self.client_secret}
        try:
            response = httpx.post(self.token_url, data=data, timeout=settings.DRIVE_HTTP_TIMEOUT)
        except httpx.HTTPError as exc:
            raise DriveUnavailable(f"{self.label} sign-in is unreachable: {exc}") from exc
        body = _json(response)
        if response.status_code in (400, 401):
            error = body.get("error", "invalid_grant")
            raise DriveTokenExpired(
                f"{self.label} refused the authorization ({error}); connect the drive again.",
                errors={"provider": [body.get("error_description") or error]},
            )
        if response.status_code >= 300 or not body.get("access_token"):
            raise DriveUnavailable(f"{self.label} sign-in failed ({response.status_code}).")
        expires_in = body.get("expires_in")
        return TokenGrant(
            access_token=body["access_token"],
            refresh_token=body.get("refresh_token") or "",
            expires_in=int(expires_in) if expires_in is not None else None,
            scope=body.get("scope") or "",
        )

    # --- Files (per provider) --------------------------------------------------------
    @property
    def label(self) -> str:
        return self.provider.replace("_", " ").title()

    def account_email(self, token: str) -> str:
        raise NotImplementedError

    def list_files(self, token: str, folder_id: str | None) -> list[CloudFile]:
        raise NotImplementedError

    def metadata(self, token: str, file_id: str) -> CloudFile:
        raise NotImplementedError

    def download(self, token: str, file_id: str) -> DownloadedFile:
        raise NotImplementedError

    # --- HTTP ------------------------------------------------------------------------
    def get_json(self, token: str | None, url: str, params: dict | None = None) -> dict:
        with httpx.Client(timeout=settings.DRIVE_HTTP_TIMEOUT) as client:
            response = self._send(client, token, url, params)
            self.check(response)
            return _json(response)

    def _send(self, client: httpx.Client, token, url, params=None, *, stream=False):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        request = client.build_request("GET", url, params=params, headers=headers)
        try:
            return client.send(request, stream=stream)
        except httpx.HTTPError as exc:
            raise DriveUnavailable(f"{self.label} is unreachable: {exc}") from exc

    def check(self, response: httpx.Response) -> None:
        """Raise the error a non-2xx/3xx answer means."""
        status = response.status_code
        if status < 400:
            return
        if not response.is_closed:
            response.read()
        message = _error_message(_json(response)) or response.reason_phrase
        if status == 401:
            raise AccessTokenRejected(message)
        if status == 404:
            raise DriveNotFound(f"{self.label}: no such file or folder.")
        retryable = status in (408, 429) or status >= 500 or _is_rate_limit(response)
        raise DriveUnavailable(
            f"{self.label} answered {status}: {message}",
            transient=retryable,
            extra={"provider_status": status},
        )

    def read_limited(self, client: httpx.Client, response: httpx.Response) -> bytes:
        """The body of a streamed response, refusing more than DRIVE_MAX_DOWNLOAD_BYTES."""
        limit = settings.DRIVE_MAX_DOWNLOAD_BYTES
        chunks, total = [], 0
        try:
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > limit:
                    raise DriveError(
                        f"The file is larger than {limit} bytes.",
                        code="drive_file_too_large",
                        status=413,
                    )
                chunks.append(chunk)
        except httpx.HTTPError as exc:
            raise DriveUnavailable(f"{self.label} download failed: {exc}") from exc
        finally:
            response.close()
        return b"".join(chunks)


def _json(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _error_message(body: dict) -> str:
    error = body.get("error")
    if isinstance(error, dict):  # Drive v3 and Graph: {"error": {"code", "message"}}
        return str(error.get("message") or error.get("code") or "")
    return str(body.get("error_description") or error or "")


def _is_rate_limit(response: httpx.Response) -> bool:
    if response.status_code != 403:
        return False
    error = _json(response).get("error")
    reasons = [e.get("reason") for e in error.get("errors", [])] if isinstance(error, dict) else []
    return any(r in ("rateLimitExceeded", "userRateLimitExceeded") for r in reasons)
