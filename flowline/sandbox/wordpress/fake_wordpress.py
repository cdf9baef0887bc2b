"""A fake WordPress REST API (wp/v2) on 127.0.0.1 for tests, faithful to WordPress core
where Flowline depends on it.

Routes under `/wp-json/wp/v2/`: `users/me`, `types`, `categories` and `tags` (list by
`slug`/`search`, create; a duplicate name is 400 `term_exists` with `data.term_id`),
`posts` and `media` (see `fake_wp_posts`). What WordPress does and the fake does too:

- `GET posts`: `status` defaults to `publish` (others need a signed-in editor: 401
  `rest_forbidden_status`; `any` is every status but `trash`), `context=edit` (raw
  fields) needs one too; `search` is sanitised with `sanitize_text_field` (an HTML
  comment searches for nothing, so the search is dropped) and matched term by term
  against title, excerpt and raw content; `per_page` is 1 to 100 (else 400
  `rest_invalid_param`, not capped), `page` past the last is 400; ordered by `date`,
  newest first (scheduled posts, dated in the future, come first); `X-WP-Total` and
  `X-WP-TotalPages`.
- Writes answer in the `edit` context; `modified_gmt` moves on every change, to the
  second. A published post gets its slug from its title once, and keeps it after.
  `DELETE posts/<id>` trashes (slug `<slug>__trashed`, given back when it leaves the
  trash), again is 410, `force=true` deletes. `meta` keeps only registered keys
  (`register_meta`), like `register_post_meta(..., show_in_rest)`.
- `POST media` (raw body, Content-Disposition) takes `post` and `alt_text` as query
  arguments; `POST media/<id>` changes `post` (attach) and `alt_text`; `DELETE
  media/<id>` needs `force=true` (501 `rest_trash_not_supported` otherwise).

Authentication is HTTP Basic with an application password, checked like WordPress does
(spaces in the password are ignored). Errors have WordPress's shape:
`{"code": "rest_cannot_create", "message": "...", "data": {"status": 401}}`.

Tests inspect `posts`, `media`, `terms`, `requests`; seed the site with `add_post`,
play a person editing it with `edit_post`, and script failures with `fail(...)`: a
status (500, 429, 401...), a `hang` (no answer until the client gives up), or
`hang_after` (do the work, then give no answer: the outcome is unknown to the client).
"""

from __future__ import annotations

import base64
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from flowline.sandbox.server import FakeServer, Reply, Sequence
from flowline.sandbox.wordpress.fake_wp_posts import POST_STATUSES, PostsMixin, fail

USERNAME = "flowline-editor"
APP_PASSWORD = "abcd EFGH 1234 ijkl MNOP 5678"
_API = "/wp-json/wp/v2/"

__all__ = ["APP_PASSWORD", "POST_STATUSES", "USERNAME", "FakeWordPress"]


@dataclass
class Failure:
    """A scripted misbehaviour for requests matching `method` (or "*") and `path` (a
    regex)."""

    method: str
    path: str
    mode: str  # "status", "hang" or "hang_after"
    status: int = 500
    code: str = "internal_server_error"
    message: str = "There has been a critical error on this website."
    times: int = 1
    headers: dict = field(default_factory=dict)


class FakeWordPress(PostsMixin, FakeServer):
    """`base_url` is the site's address; `USERNAME`/`APP_PASSWORD` are valid credentials."""

    def __init__(self) -> None:
        super().__init__()
        self.users = {USERNAME: {"id": 1, "name": "Flowline Editor", "password": APP_PASSWORD}}
        self.posts: dict[int, dict] = {}
        self.media: dict[int, dict] = {}
        self.terms: dict[str, dict[int, dict]] = {"categories": {}, "tags": {}}
        self.registered_meta: set[str] = set()
        self.failures: list[Failure] = []
        self.clock_offset = timedelta()
        self._ids = Sequence(100)
        self._state = threading.Lock()
        self.add_term("categories", "Uncategorized", "uncategorized")

    @property
    def base_url(self) -> str:
        return self.root

    def now(self) -> datetime:
        """The site's clock (UTC, to the second, as WordPress stores dates)."""
        return (datetime.now(UTC) + self.clock_offset).replace(microsecond=0, tzinfo=None)

    # --- what tests set up and look at ----------------------------------------------
    def fail(
        self,
        method: str,
        path: str,
        *,
        status: int = 500,
        mode: str = "status",
        times: int = 1,
        code: str = "internal_server_error",
        message: str = "There has been a critical error on this website.",
        headers: dict | None = None,
    ) -> None:
        """Misbehave for the next `times` requests whose path (after /wp/v2/) matches;
        `method="*"` matches every method."""
        self.failures.append(
            Failure(method, path, mode, status, code, message, times, headers or {})
        )

    def recover(self) -> None:
        """Stop every scripted failure (the site is back)."""
        with self._state:
            self.failures.clear()

    def add_term(self, taxonomy: str, name: str, slug: str) -> int:
        term_id = next(self._ids)
        self.terms[taxonomy][term_id] = {
            "id": term_id,
            "name": name,
            "slug": slug,
            "taxonomy": "category" if taxonomy == "categories" else "post_tag",
            "count": 0,
        }
        return term_id

    def register_meta(self, *keys: str) -> None:
        """What a site does with `register_post_meta('post', key, ['show_in_rest' => true])`."""
        self.registered_meta.update(keys)

    def post_requests(self, path: str) -> list[dict]:
        """The POSTs made to `path` (after /wp-json/wp/v2/)."""
        return self.requests_to("POST", path)

    def requests_to(self, method: str, path: str) -> list[dict]:
        return [
            r
            for r in self.requests
            if r["method"] == method and urlsplit(r["path"]).path == _API + path
        ]

    # --- protocol ---------------------------------------------------------------------
    def handle(self, request: dict, reply: Reply) -> None:
        parts = urlsplit(request["path"])
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if not parts.path.startswith(_API):
            return _error(reply, 404, "rest_no_route", "No route was found matching the URL.")
        route = parts.path.removeprefix(_API).strip("/")
        failure = self._failure(request["method"], route)
        if failure is not None and failure.mode == "hang":
            self.release.wait(10)
            return None
        if failure is not None and failure.mode == "status":
            return _error(reply, failure.status, failure.code, failure.message, failure.headers)
        user = self._user(request)
        if user == "bad":
            return _error(
                reply,
                401,
                "incorrect_password",
                "The provided password is an invalid application password.",
            )
        with self._state:
            answer = self._route(request, route, query, user)
        if failure is not None and failure.mode == "hang_after":
            self.release.wait(10)  # the work is done; the client never hears of it
            return None
        status, body, headers = answer
        if status >= 400:
            return _error(reply, status, body["code"], body["message"], extra=body.get("data"))
        return reply.json(status, body, headers)

    def _failure(self, method: str, route: str) -> Failure | None:
        with self._state:
            for failure in self.failures:
                if (
                    failure.times > 0
                    and failure.method in (method, "*")
                    and re.fullmatch(failure.path, route)
                ):
                    failure.times -= 1
                    return failure
        return None

    def _user(self, request: dict):
        header = request["headers"].get("authorization", "")
        if not header.startswith("Basic "):
            return None
        try:
            username, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return "bad"
        user = self.users.get(username)
        # WordPress strips the spaces it shows application passwords with.
        if user is None or user["password"].replace(" ", "") != password.replace(" ", ""):
            return "bad"
        return user

    def _route(self, request: dict, route: str, query: dict, user):
        method, body = request["method"], request["json"]
        if route == "users/me":
            if user is None:
                return fail(401, "rest_not_logged_in", "You are not currently logged in.")
            return (
                200,
                {"id": user["id"], "name": user["name"], "slug": USERNAME, "roles": ["editor"]},
                {},
            )
        if route == "types" and method == "GET":
            return 200, _TYPES, {}
        if method in ("POST", "DELETE") and user is None:
            noun = {"media": "upload media"}.get(route.split("/")[0], "create posts")
            verb = "delete this post" if method == "DELETE" else f"{noun} as this user"
            code = "rest_cannot_delete" if method == "DELETE" else "rest_cannot_create"
            return fail(401, code, f"Sorry, you are not allowed to {verb}.")
        if route in ("categories", "tags") and method in ("GET", "POST"):
            return self._terms(route, method, query, body)
        if route == "posts":
            if method == "POST":
                return self.save_post(None, body)
            if method == "GET":
                return self.list_posts(query, user)
        if route == "media" and method == "POST":
            return self.upload(request, query)
        match = re.fullmatch(r"(posts|media)/(\d+)", route)
        if match:
            return self.item(match.group(1), int(match.group(2)), method, query, body, user)
        return fail(404, "rest_no_route", "No route was found matching the URL and request method.")

    def _terms(self, taxonomy: str, method: str, query: dict, body):
        terms = self.terms[taxonomy]
        if method == "GET":
            rows = list(terms.values())
            if "slug" in query:
                slugs = set(query["slug"].split(","))
                rows = [t for t in rows if t["slug"] in slugs]
            if "search" in query:
                rows = [t for t in rows if query["search"].lower() in t["name"].lower()]
            return 200, rows, {"X-WP-Total": str(len(rows)), "X-WP-TotalPages": "1"}
        name = str((body or {}).get("name", "")).strip()
        if not name:
            return fail(
                400,
                "rest_missing_callback_param",
                "Missing parameter(s): name",
                {"params": ["name"]},
            )
        existing = next((t for t in terms.values() if t["name"].lower() == name.lower()), None)
        if existing is not None:
            return fail(
                400,
                "term_exists",
                "A term with the name provided already exists in this taxonomy.",
                {"term_id": existing["id"]},
            )
        slug = str(body.get("slug") or re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"))
        term_id = self.add_term(taxonomy, name, slug)
        return 201, terms[term_id], {}


_TYPES = {
    "post": {
        "name": "Posts",
        "slug": "post",
        "rest_base": "posts",
        "taxonomies": ["category", "post_tag"],
        "hierarchical": False,
    },
    "page": {
        "name": "Pages",
        "slug": "page",
        "rest_base": "pages",
        "taxonomies": [],
        "hierarchical": True,
    },
    "attachment": {
        "name": "Media",
        "slug": "attachment",
        "rest_base": "media",
        "taxonomies": [],
        "hierarchical": False,
    },
}


def _error(reply: Reply, status: int, code: str, message: str, headers=None, extra=None) -> None:
    data = {"status": status, **(extra or {})}
    reply.json(status, {"code": code, "message": message, "data": data}, headers)
