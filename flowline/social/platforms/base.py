"""What every platform adapter offers and shares: HTTP through the guarded outbound client
(`social.http.PlatformClient`), and the mapping of the platform's answers into
`flowline.social.errors`.

Adapter methods (the contract the posts scheduler and campaigns rely on):
- `validate(variant) -> {field: [messages]}`
- `publish(variant) -> Published`
- `find_published(variant, since) -> Published | None`
- `fetch_metrics(external_ids) -> {external_id: {"reach": int, "engagement": int, ...}}`
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from django.conf import settings

from flowline.core.outbound import json_body
from flowline.social.errors import AuthorizationError, PlatformError
from flowline.social.http import PlatformClient
from flowline.social.platforms.rules import validate_variant

logger = logging.getLogger("flowline.social")

# A marker that lets `find_published` recognise a post we sent when the answer was lost.


@dataclass(frozen=True, slots=True)
class Published:
    """A post as the platform knows it."""

    external_id: str
    url: str = ""


class PlatformAdapter:
    """One social account on one platform. Subclasses implement the calls; `request()`
    sends with timeouts and hands non-2xx answers to `raise_for()`."""

    platform: str = ""

    def __init__(self, social_account) -> None:
        self.account = social_account

    @property
    def token(self) -> str:
        return self.account.access_token

    # --- the contract ------------------------------------------------------------------
    def validate(self, variant: dict) -> dict[str, list[str]]:
        return validate_variant(self.platform, variant)

    def publish(self, variant: dict) -> Published:
        raise NotImplementedError

    def find_published(self, variant: dict, since: datetime) -> Published | None:
        raise NotImplementedError

    def fetch_metrics(self, external_ids: list[str]) -> dict[str, dict]:
        raise NotImplementedError

    # --- HTTP --------------------------------------------------------------------------
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def request(
        self, method: str, url: str, *, sends: bool = False, headers: dict | None = None, **kwargs
    ) -> httpx.Response:
        """One call. `sends=True` marks a call that creates something on the platform: a
        timeout after the request went out is then `UnknownOutcome`, not a transient error.

        A token about to expire is refreshed first; a refused token is refreshed once and
        the call repeated; a token still refused marks the account dead (one notice)."""
        self._refuse_unusable()
        self._refresh(expiring_only=True)
        try:
            return self._send(method, url, sends=sends, headers=headers, **kwargs)
        except AuthorizationError as exc:
            if self._refreshed or not self._can_refresh():
                self._dead(exc)
                raise
            try:
                self._refresh(expiring_only=False)
            except AuthorizationError:
                self._dead(exc)
                raise exc from None
            try:
                return self._send(method, url, sends=sends, headers=headers, **kwargs)
            except AuthorizationError as again:
                self._dead(again)
                raise

    _refreshed = False

    def _refuse_unusable(self) -> None:
        """An account already known dead or disconnected is not sent to the platform: the
        token would be refused again (and hammering a platform with dead tokens gets apps
        throttled). Its owner was told when it died."""
        status = getattr(self.account, "status", "active")
        if self.account.pk and status not in ("active", "error"):
            raise AuthorizationError(
                f"{self.platform}: the account is {status}; reconnect it to publish.",
                platform=self.platform,
                platform_code=status,
            )

    def _can_refresh(self) -> bool:
        return bool(self.account.pk and self.account.refresh_token)

    def _refresh(self, *, expiring_only: bool) -> None:
        """Refresh the account's token (once per adapter). `expiring_only`: only when it
        ends within a minute."""
        from flowline.social.services.health import token_refresh

        if self._refreshed or not self._can_refresh():
            return
        expires = self.account.token_expires_at
        if expiring_only and (expires is None or expires > _now() + timedelta(seconds=60)):
            return
        self._refreshed = True
        try:
            fresh = token_refresh(
                social_account_id=self.account.pk, stale_token=self.account.access_token
            )
        except AuthorizationError as exc:
            self._dead(exc)
            raise
        self.account.access_token = fresh.access_token
        self.account.refresh_token = fresh.refresh_token
        self.account.token_expires_at = fresh.token_expires_at

    def _dead(self, error: AuthorizationError) -> None:
        from flowline.social.services.health import account_mark_dead

        if self.account.pk:
            account_mark_dead(social_account_id=self.account.pk, reason=str(error))

    def _send(
        self, method: str, url: str, *, sends: bool, headers: dict | None, **kwargs
    ) -> httpx.Response:
        with PlatformClient(self.platform) as client:
            response = client.request(
                method,
                url,
                headers={**self.headers(), **(headers or {})},
                sends=sends,
                check=False,
                **kwargs,
            )
        if not response.is_success:
            self.raise_for(response)
        return response

    def raise_for(self, response: httpx.Response) -> None:
        """Map a non-2xx answer; subclasses read their platform's error body first."""
        raise self.default_error(response, json_body(response), str(response.reason_phrase))

    def default_error(self, response: httpx.Response, body: dict, message: str) -> PlatformError:
        """The outbound layer's mapping of the status (429/5xx transient, 401 a dead token,
        the rest a refusal), with the platform's own message."""
        client = PlatformClient(self.platform)
        text = f"{self.platform} answered {response.status_code}: {message}"
        return client.make_error(client.classify(response), text, response=response)


_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def comparable_text(text: str) -> str:
    """A post's words as a platform gives them back: links dropped (X rewrites them to
    t.co, and a variant's link may have been appended) and whitespace collapsed."""
    return " ".join(_URL.sub(" ", text or "").split())


def same_text(posted: str, variant: dict) -> bool:
    """Whether a post found on the platform is this variant. The whole text must match:
    a prefix would take "Sale" for "Sale ends today" and settle a lost post as sent."""
    expected = comparable_text(variant.get("text") or "")
    return bool(expected) and comparable_text(posted) == expected


def download_media(platform: str, item: dict) -> tuple[bytes, str]:
    """The bytes of a media item given by URL (for APIs that take uploads, not URLs).

    The URL comes from a user: it was checked when the post was saved, and the download
    goes through the guarded outbound client (an internal address is refused as
    `ContentRejected` with code `forbidden_url`; redirects are not followed), its size
    bounded."""
    url = item.get("url") or ""
    with PlatformClient(platform, service=f"{platform} media") as client:
        response = client.request("GET", url, limit=settings.SOCIAL_MAX_MEDIA_BYTES)
    content_type = response.headers.get("content-type", "application/octet-stream")
    return response.content, content_type.split(";")[0]


def _now() -> datetime:
    return datetime.now(UTC)
