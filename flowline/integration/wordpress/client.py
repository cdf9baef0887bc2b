"""A WordPress REST API client (wp/v2) authenticated with an application password.

Application passwords are HTTP Basic credentials (`username:xxxx xxxx xxxx ...`), built
into WordPress since 5.6 and only accepted over HTTPS by default. Every call has a
timeout; answers are mapped to the errors in `wordpress.errors`, which refine the
outbound layer's. The base URL is a user-given URL: it passes `core.urlguard` when the
client is made, and every request goes through the guarded outbound client, which
connects to the address it checked (never to a second DNS answer) and does not follow
redirects (Basic credentials would go along). A WordPress on the LAN or on 127.0.0.1 is
reached when its host:port is on FLOWLINE_ALLOWED_PRIVATE_HOSTS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from flowline.core import outbound, urlguard
from flowline.core.errors import ApplicationError
from flowline.core.outbound import errors as core
from flowline.integration.wordpress import errors

API = "/wp-json/wp/v2"
USER_AGENT = "Flowline-WordPress/1"
# A publish sends a few requests; each one gets this long (WORDPRESS_TIMEOUT seconds).
DEFAULT_TIMEOUT = 20.0
# Reads of WordPress's answers stop here: a post or a list of terms is far smaller.
MAX_ANSWER_BYTES = 5 * 1024 * 1024
# WordPress refuses per_page above 100 (400 rest_invalid_param), it does not cap it.
MAX_PER_PAGE = 100
# A search for a post stops after this many pages of MAX_PER_PAGE.
FIND_MAX_PAGES = 20


@dataclass(frozen=True, slots=True)
class Credentials:
    """Where the site is and who we are there."""

    base_url: str
    username: str
    app_password: str


def check_base_url(url: str) -> None:
    """A site address we may send credentials to: not internal (unless allow-listed), and
    HTTPS: application passwords are HTTP Basic credentials, readable on plain HTTP
    (WordPress itself refuses them there outside local sites). WORDPRESS_ALLOW_HTTP
    lets a local development site through, as sandbox mode does for its own WordPress."""
    urlguard.check(url, field="base_url")
    sandbox = settings.FLOWLINE_SANDBOX and settings.FLOWLINE_SANDBOX_URL
    if sandbox and url.rstrip("/") == f"{settings.FLOWLINE_SANDBOX_URL}/wordpress":
        return
    if urlsplit(url).scheme != "https" and not getattr(settings, "WORDPRESS_ALLOW_HTTP", False):
        raise ApplicationError(
            "WordPress application passwords need an https:// address.",
            code="insecure_url",
            errors={"base_url": ["Use https://."]},
        )


class _Forbidden(core.AuthRefused):
    """403: authenticated, but this WordPress user may not do it (WordPressForbidden)."""


class _WordPressHTTP(outbound.Client):
    """The outbound client, with WordPress's error body and our WordPress errors."""

    service = "WordPress"
    errors = {
        core.UnknownOutcome: errors.UnknownOutcome,
        core.Timeout: errors.WordPressTimeout,
        core.Transient: errors.WordPressUnavailable,
        core.TooLarge: errors.WordPressUnavailable,
        _Forbidden: errors.WordPressForbidden,
        core.AuthRefused: errors.WordPressAuthError,
        core.NotFound: errors.WordPressNotFound,
        core.OutboundError: errors.WordPressRejected,
    }
    max_answer_bytes = MAX_ANSWER_BYTES

    def classify(self, response: httpx.Response):
        if response.status_code == 403:
            return _Forbidden
        if response.status_code == 410:  # WordPress's "already trashed", not a missing post
            return core.Rejected
        return super().classify(response)

    def describe(self, response: httpx.Response) -> str:
        """WordPress's `{"code", "message", "data": {"status"}}` in words."""
        status = response.status_code
        body = outbound.json_body(response)
        message = str(body.get("message") or f"WordPress answered {status}.")
        kind = self.classify(response)
        if kind is _Forbidden:
            return f"WordPress refused: {message}"
        if issubclass(kind, core.AuthRefused):
            return f"WordPress refused the credentials: {message}"
        if issubclass(kind, core.NotFound):
            return f"WordPress: {message}"
        if issubclass(kind, core.Transient):
            return f"WordPress is unavailable ({status}): {message}"
        return f"WordPress refused the request: {message}"

    def make_error(self, kind, message, *, response=None, **fields):
        if issubclass(kind, core.UnknownOutcome):
            message = "WordPress did not answer in time; the post may have been created."
        if response is not None:
            body = outbound.json_body(response)
            data = body.get("data") if isinstance(body.get("data"), dict) else {}
            fields["wp_code"] = str(body.get("code") or "")
            fields["wp_status"] = response.status_code
            fields["extra"] = {"term_id": data["term_id"]} if data.get("term_id") else {}
        return super().make_error(kind, message, response=response, **fields)


class WordPressClient:
    """One site's REST API. Use it as a context manager (`with WordPressClient(c) as wp`)."""

    def __init__(self, credentials: Credentials, *, timeout: float | None = None) -> None:
        self.credentials = credentials
        self.root = credentials.base_url.rstrip("/") + API
        # Checked at every use, not only when saved: the host may have been re-pointed
        # (and the transport checks again the address it connects to).
        check_base_url(credentials.base_url)
        seconds = timeout or float(getattr(settings, "WORDPRESS_TIMEOUT", DEFAULT_TIMEOUT))
        self._http = _WordPressHTTP(
            auth=(credentials.username, credentials.app_password),
            timeout=httpx.Timeout(seconds, connect=min(seconds, 10.0)),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        )

    def __enter__(self) -> WordPressClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # --- reads ------------------------------------------------------------------------
    def me(self) -> dict:
        """The authenticated user (`users/me`): proves the credentials work."""
        return self._call("GET", "/users/me", params={"context": "edit"})

    def types(self) -> dict:
        """Post types by slug (`post`, `page`, custom ones) with their REST bases."""
        return self._call("GET", "/types", params={"context": "edit"})

    def terms(self, taxonomy: str, *, per_page: int = 100) -> list[dict]:
        """The first page of a taxonomy's terms (`categories` or `tags`)."""
        return self._call("GET", f"/{taxonomy}", params={"per_page": per_page, "hide_empty": 0})

    def posts_page(self, *, page: int, per_page: int = 50) -> tuple[list[dict], int]:
        """One page of posts in any status, and how many pages there are."""
        response = self._send(
            "GET",
            "/posts",
            params={"context": "edit", "status": "any", "page": page, "per_page": per_page},
        )
        pages = int(response.headers.get("X-WP-TotalPages") or 1)
        return _json(response), pages

    def find_post(self, *, marker: str) -> dict | None:
        """The post whose content carries `marker` (settles an unknown create). An HTML
        comment is searched for by its text: WordPress strips tags from a search."""
        text = marker.removeprefix("<!--").removesuffix("-->").strip()
        found = self.find_post_containing(text)
        raw = ((found or {}).get("content") or {}).get("raw") or ""
        return found if marker in raw else None

    def find_post_containing(self, text: str, *, max_pages: int = FIND_MAX_PAGES) -> dict | None:
        """The post (any status but trash) whose raw content contains `text`.

        WordPress sanitises `search` with sanitize_text_field (no tags, no `%xx`, spaces
        collapsed: `text` must be plain) and matches it against title, excerpt and
        content; a search it finds empty lists every post instead. So each result is
        checked, and the pages are walked (100 a page, oldest id first, so posts made
        meanwhile land on later pages instead of shifting earlier ones) up to
        `max_pages`."""
        page, pages = 1, 1
        while page <= min(pages, max_pages):
            response = self._send(
                "GET",
                "/posts",
                params={
                    "search": text,
                    "status": "any",
                    "context": "edit",
                    "per_page": MAX_PER_PAGE,
                    "page": page,
                    "orderby": "id",
                    "order": "asc",
                },
            )
            for row in _json(response):
                if text in ((row.get("content") or {}).get("raw") or ""):
                    return row
            pages = int(response.headers.get("X-WP-TotalPages") or 0)
            page += 1
        return None

    def get_post(self, post_id: int) -> dict:
        """One post with its raw fields and `modified_gmt` (404 `WordPressNotFound`
        when it was deleted for good)."""
        return self._call("GET", f"/posts/{int(post_id)}", params={"context": "edit"})

    # --- writes -----------------------------------------------------------------------
    def ensure_term(self, taxonomy: str, *, name: str, slug: str) -> int:
        """The id of the category/tag with this slug, created when missing."""
        found = self._call("GET", f"/{taxonomy}", params={"slug": slug, "context": "edit"})
        if found:
            return int(found[0]["id"])
        try:
            created = self._call("POST", f"/{taxonomy}", json={"name": name, "slug": slug})
        except errors.WordPressRejected as exc:
            # Same name under another slug: WordPress names the existing term.
            if exc.wp_code == "term_exists" and exc.extra.get("term_id"):
                return int(exc.extra["term_id"])
            raise
        return int(created["id"])

    def upload_media(
        self,
        *,
        filename: str,
        data: bytes,
        mime_type: str,
        alt_text: str = "",
        post_id: int | None = None,
    ) -> dict:
        """Upload a file to the media library, attached to `post_id` when given (its
        `post`, as WordPress's own editor does); returns the attachment (`id`,
        `source_url`, `post`). WordPress reads `post` and `alt_text` from the query
        string of a raw upload."""
        params = {"alt_text": alt_text} if alt_text else {}
        if post_id:
            params["post"] = int(post_id)
        return self._call(
            "POST",
            "/media",
            content=data,
            params=params,
            headers={
                "Content-Type": mime_type,
                "Content-Disposition": f'attachment; filename="{filename}"',
            },
        )

    def update_media(self, media_id: int, fields: dict) -> dict:
        """Change an attachment: `post` attaches it to a post, `alt_text`..."""
        return self._call("POST", f"/media/{int(media_id)}", json=fields)

    def delete_media(self, media_id: int) -> None:
        """Delete an attachment and its files for good (media have no trash unless the
        site turns MEDIA_TRASH on, so WordPress wants `force=true`). Already gone is
        fine."""
        try:
            self._call("DELETE", f"/media/{int(media_id)}", params={"force": "true"})
        except errors.WordPressNotFound:
            return

    def create_post(self, fields: dict) -> dict:
        """A new post. A timeout after sending is `UnknownOutcome`: it may exist."""
        return self._call("POST", "/posts", json=fields, creates=True)

    def update_post(self, post_id: int, fields: dict) -> dict:
        """Change an existing post (WordPress accepts POST for updates)."""
        return self._call("POST", f"/posts/{int(post_id)}", json=fields)

    def trash_post(self, post_id: int) -> dict:
        """Move a post to the trash (WordPress empties it after 30 days); returns the
        post. A post already in the trash is answered as it is."""
        try:
            return self._call("DELETE", f"/posts/{int(post_id)}")
        except errors.WordPressRejected as exc:
            if exc.wp_code != "rest_already_trashed":
                raise
        return self.get_post(post_id)

    # --- plumbing ---------------------------------------------------------------------
    def _call(self, method: str, path: str, *, creates: bool = False, **kwargs) -> Any:
        return _json(self._send(method, path, creates=creates, **kwargs))

    def _send(self, method: str, path: str, *, creates: bool = False, **kwargs) -> httpx.Response:
        return self._http.request(method, self.root + path, sends=creates, **kwargs)


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise errors.WordPressUnavailable(
            "WordPress answered with something that is not JSON (is this the site's address?)."
        ) from exc
