"""What every drive adapter shares: OAuth token grants and HTTP with mapped errors, through
the guarded outbound client (`DriveClient`).

Adapters raise `AccessTokenRejected` on a 401 so the service can refresh once and retry;
everything else becomes a `DriveError` with the provider's message. Reads are tried again
(with backoff) after a connection failure, a 429, a 5xx or Google's rate-limit 403.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlencode

import httpx
from django.conf import settings

from flowline.core import outbound
from flowline.core.outbound import errors as core
from flowline.drives.cloud_files import CloudFile, DownloadedFile
from flowline.drives.errors import DriveError, DriveNotFound, DriveTokenExpired, DriveUnavailable

logger = logging.getLogger("flowline.drives")
_RATE_LIMIT_REASONS = ("rateLimitExceeded", "userRateLimitExceeded")


class AccessTokenRejected(core.AuthRefused):
    """The API answered 401: the access token is expired or revoked (the service
    refreshes it once and calls again)."""


class DriveClient(outbound.Client):
    """A drive provider's HTTP, with the drive errors."""

    errors = {
        core.AuthRefused: AccessTokenRejected,
        core.NotFound: DriveNotFound,
        core.OutboundError: DriveUnavailable,
    }
    retry = outbound.Retry(attempts=3, backoff=0.25, cap=2.0, max_retry_after=5.0)

    def __init__(self, label: str) -> None:
        super().__init__(service=label, timeout=settings.DRIVE_HTTP_TIMEOUT)

    def classify(self, response: httpx.Response) -> type[core.OutboundError]:
        if response.status_code == 403:  # Google says "rate limited" with a 403 too
            error = outbound.json_body(response).get("error")
            found = error.get("errors", []) if isinstance(error, dict) else []
            limited = any(e.get("reason") in _RATE_LIMIT_REASONS for e in found)
            return core.Transient if limited else core.Rejected
        return super().classify(response)

    def make_error(self, kind, message, *, response=None, **fields):
        if issubclass(kind, core.TooLarge):
            limit = settings.DRIVE_MAX_DOWNLOAD_BYTES
            return DriveError(
                f"The file is larger than {limit} bytes.", code="drive_file_too_large", status=413
            )
        if issubclass(kind, core.NotFound):
            message = f"{self.service}: no such file or folder."
        if self.error_class(kind) is DriveUnavailable:
            fields["transient"] = issubclass(kind, core.Transient)
            if response is not None:
                fields["extra"] = {"provider_status": response.status_code}
        return super().make_error(kind, message, response=response, **fields)


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
        with DriveClient(f"{self.label} sign-in") as client:
            response = client.request("POST", self.token_url, data=data, check=False)
        body = outbound.json_body(response)
        if response.status_code in (400, 401):
            error = body.get("error", "invalid_grant")
            raise DriveTokenExpired(
                f"{self.label} refused the authorization ({error}); connect the drive again.",
                errors={"provider": [body.get("error_description") or error]},
            )
        if not response.is_success or not body.get("access_token"):
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
        return outbound.json_body(self.get(token, url, params))

    def get(
        self,
        token: str | None,
        url: str,
        params: dict | None = None,
        *,
        download: bool = False,
        check: bool = True,
    ) -> httpx.Response:
        """A GET with the token (none: a pre-authenticated URL); non-2xx answers raise
        unless `check=False`. A `download` reads up to DRIVE_MAX_DOWNLOAD_BYTES (more: 413)."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        limit = settings.DRIVE_MAX_DOWNLOAD_BYTES if download else None
        with DriveClient(self.label) as client:
            return client.request(
                "GET", url, params=params, headers=headers, limit=limit, check=check
            )

    def answer_error(self, response: httpx.Response) -> Exception:
        return DriveClient(self.label).answer_error(response)
