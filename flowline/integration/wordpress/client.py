"""A WordPress REST API client (wp/v2) authenticated with an application password.

Application passwords are HTTP Basic credentials (`username:xxxx xxxx xxxx ...`), built
into WordPress since 5.6 and only accepted over HTTPS by default. Every call has a
timeout; answers are mapped to the errors in `wordpress.errors`. The base URL is a
user-given URL: it passes `core.urlguard` when the client is made, and with
FLOWLINE_BLOCK_PRIVATE_URLS on the client connects to the addresses the guard checked,
never to a second DNS answer (DNS rebinding).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from flowline.core import urlguard
from flowline.core.errors import ApplicationError
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
    """A site address we may send credentials to: not internal (in production), and
    HTTPS: application passwords are HTTP Basic credentials, readable on plain HTTP
    (WordPress itself refuses them there outside local sites). WORDPRESS_ALLOW_HTTP
    lets a local development site through."""
    urlguard.check(url, field="base_url")
    if urlsplit(url).scheme != "https" and not getattr(settings, "WORDPRESS_ALLOW_HTTP", False):
        raise ApplicationError(
            "WordPress application passwords need an https:// address.",
            code="insecure_url",
            errors={"base_url": ["Use https://."]},
        )


class _PinnedTransport(httpx.HTTPTransport):
    """Connects to addresses the URL guard checked (the next one only when a connection
    could not be made, so nothing was sent), keeping the Host header and TLS name."""

    def __init__(self, addresses: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.addresses = addresses

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        target = request.url
        if target.scheme == "https":
            request.extensions = {
                **request.extensions,
                "sni_hostname": target.raw_host.decode("ascii"),
            }
        for index, address in enumerate(self.addresses):
            request.url = target.copy_with(host=address)
            try:
                return super().handle_request(request)
            except httpx.ConnectError:
                if index == len(self.addresses) - 1:
                    raise
        raise httpx.ConnectError("No address to connect to.", request=request)


class WordPressClient:
    """One site's REST API. Use it as a context manager (`with WordPressClient(c) as wp`)."""

    def __init__(self, credentials: Credentials, *, timeout: float | None = None) -> None:
        self.credentials = credentials
        self.root = credentials.base_url.rstrip("/") + API
        transport = None
        # Checked at every use, not only when saved: the host may have been re-pointed.
        check_base_url(credentials.base_url)
        if settings.FLOWLINE_BLOCK_PRIVATE_URLS:
            transport = _PinnedTransport(
                urlguard.public_addresses(credentials.base_url, field="base_url")
            )
        seconds = timeout or float(getattr(settings, "WORDPRESS_TIMEOUT", DEFAULT_TIMEOUT))
        self._http = httpx.Client(
            auth=(credentials.username, credentials.app_password),
            timeout=httpx.Timeout(seconds, connect=min(seconds, 10.0)),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,  # a redirect could lead anywhere, Basic auth with it
            trust_env=False,  # a proxy from the environment would resolve the host itself
            transport=transport,
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
        try:
            response = self._http.request(method, self.root + path, **kwargs)
        except httpx.TimeoutException as exc:
            sent = not isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout))
            if creates and sent:
                raise errors.UnknownOutcome(
                    "WordPress did not answer in time; the post may have been created."
                ) from exc
            raise errors.WordPressTimeout("WordPress did not answer in time.") from exc
        except httpx.HTTPError as exc:
            raise errors.WordPressUnavailable(
                f"Could not reach WordPress: {type(exc).__name__}."
            ) from exc
        if len(response.content) > MAX_ANSWER_BYTES:
            raise errors.WordPressUnavailable("WordPress answered with too large a body.")
        if response.is_success:
            return response
        raise _error_for(response)


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise errors.WordPressUnavailable(
            "WordPress answered with something that is not JSON (is this the site's address?)."
        ) from exc


def _error_for(response: httpx.Response) -> errors.WordPressError:
    """WordPress's `{"code", "message", "data": {"status"}}` as one of our errors."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    wp_code = str(body.get("code") or "")
    message = str(body.get("message") or f"WordPress answered {response.status_code}.")
    data = body.get("data") if isinstance(body.get("data"), dict) else {}
    status = response.status_code
    extra = {"term_id": data["term_id"]} if data.get("term_id") else {}
    fields = {"wp_code": wp_code, "wp_status": status, "extra": extra}
    if status == 401:
        return errors.WordPressAuthError(f"WordPress refused the credentials: {message}", **fields)
    if status == 403:
        return errors.WordPressForbidden(f"WordPress refused: {message}", **fields)
    if status == 404:
        return errors.WordPressNotFound(f"WordPress: {message}", **fields)
    if status == 429 or status >= 500:
        retry_after = response.headers.get("Retry-After", "")
        return errors.WordPressUnavailable(
            f"WordPress is unavailable ({status}): {message}",
            retry_after=float(retry_after) if retry_after.isdigit() else None,
            **fields,
        )
    return errors.WordPressRejected(f"WordPress refused the request: {message}", **fields)
