"""A fake WordPress REST API (wp/v2) on 127.0.0.1 for tests.

Routes under `/wp-json/wp/v2/`: `users/me`, `types`, `posts` (list with `search`,
`slug`, `status`, `page`/`per_page` and the X-WP-Total(Pages) headers; create; read and
update `posts/<id>` by POST), `media` (raw upload with Content-Disposition; `media/<id>`
to set alt text), `categories` and `tags` (list by `slug`/`search`, create; a duplicate
name is 400 `term_exists` with `data.term_id`).

Authentication is HTTP Basic with an application password, checked like WordPress does
(spaces in the password are ignored). Errors have WordPress's shape:
`{"code": "rest_cannot_create", "message": "...", "data": {"status": 401}}`.

Tests inspect `posts`, `media`, `terms`, `requests`, and script failures with
`fail(...)`: a status (500, 429, 401...), a `hang` (no answer until the client gives up),
or `hang_after` (do the work, then give no answer: the outcome is unknown to the client).
"""

from __future__ import annotations

import base64
import itertools
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qs, unquote, urlsplit

from flowline.ai.testing.server import FakeServer, Reply

USERNAME = "flowline-editor"
APP_PASSWORD = "abcd EFGH 1234 ijkl MNOP 5678"
POST_STATUSES = ("publish", "future", "draft", "pending", "private")
_API = "/wp-json/wp/v2/"


@dataclass
class Failure:
    """A scripted misbehaviour for requests matching `method` and `path` (a regex)."""

    method: str
    path: str
    mode: str  # "status", "hang" or "hang_after"
    status: int = 500
    code: str = "internal_server_error"
    message: str = "There has been a critical error on this website."
    times: int = 1
    headers: dict = field(default_factory=dict)


class FakeWordPress(FakeServer):
    """`base_url` is the site's address; `USERNAME`/`APP_PASSWORD` are valid credentials."""

    def __init__(self) -> None:
        super().__init__()
        self.users = {USERNAME: {"id": 1, "name": "Flowline Editor", "password": APP_PASSWORD}}
        self.posts: dict[int, dict] = {}
        self.media: dict[int, dict] = {}
        self.terms: dict[str, dict[int, dict]] = {"categories": {}, "tags": {}}
        self.failures: list[Failure] = []
        self._ids = itertools.count(100)
        self._state = threading.Lock()
        self.add_term("categories", "Uncategorized", "uncategorized")

    @property
    def base_url(self) -> str:
        return self.root

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
        """Misbehave for the next `times` requests whose path (after /wp/v2/) matches."""
        self.failures.append(
            Failure(method, path, mode, status, code, message, times, headers or {})
        )

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

    def post_requests(self, path: str) -> list[dict]:
        """The POSTs made to `path` (after /wp-json/wp/v2/)."""
        return [
            r
            for r in self.requests
            if r["method"] == "POST" and urlsplit(r["path"]).path == _API + path
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
                    and failure.method == method
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
                return _fail(401, "rest_not_logged_in", "You are not currently logged in.")
            return (
                200,
                {"id": user["id"], "name": user["name"], "slug": USERNAME, "roles": ["editor"]},
                {},
            )
        if route == "types" and method == "GET":
            return 200, _TYPES, {}
        if method == "POST" and user is None:
            noun = {"media": "upload media"}.get(route.split("/")[0], "create posts")
            return _fail(
                401, "rest_cannot_create", f"Sorry, you are not allowed to {noun} as this user."
            )
        if route in ("categories", "tags"):
            return self._terms(route, method, query, body)
        if route == "media" and method == "POST":
            return self._upload(request)
        match = re.fullmatch(r"(posts|media)/(\d+)", route)
        if route == "posts":
            if method == "POST":
                return self._save_post(None, body)
            return self._list_posts(query, user)
        if match:
            store = self.posts if match.group(1) == "posts" else self.media
            item = store.get(int(match.group(2)))
            if item is None:
                return _fail(404, "rest_post_invalid_id", "Invalid post ID.")
            if method == "GET":
                return 200, self._post_body(item) if store is self.posts else _media(item), {}
            if store is self.media:
                item["alt_text"] = str((body or {}).get("alt_text", item["alt_text"]))
                return 200, _media(item), {}
            return self._save_post(item, body)
        return _fail(
            404, "rest_no_route", "No route was found matching the URL and request method."
        )

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
            return _fail(
                400,
                "rest_missing_callback_param",
                "Missing parameter(s): name",
                {"params": ["name"]},
            )
        existing = next((t for t in terms.values() if t["name"].lower() == name.lower()), None)
        if existing is not None:
            return _fail(
                400,
                "term_exists",
                "A term with the name provided already exists in this taxonomy.",
                {"term_id": existing["id"]},
            )
        slug = str(body.get("slug") or re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"))
        term_id = self.add_term(taxonomy, name, slug)
        return 201, terms[term_id], {}

    def _upload(self, request: dict):
        disposition = request["headers"].get("content-disposition", "")
        match = re.search(r'filename="?([^";]+)"?', disposition)
        if not match:
            return _fail(
                400, "rest_upload_no_content_disposition", "No Content-Disposition supplied."
            )
        if not request["body"]:
            return _fail(400, "rest_upload_no_data", "No data supplied.")
        filename = unquote(match.group(1))
        media_id = next(self._ids)
        slug = re.sub(r"[^a-z0-9]+", "-", filename.rsplit(".", 1)[0].lower()).strip("-")
        self.media[media_id] = {
            "id": media_id,
            "slug": slug,
            "media_type": "image",
            "mime_type": request["headers"].get("content-type", ""),
            "source_url": f"{self.base_url}/wp-content/uploads/2026/12/{filename}",
            "alt_text": "",
            "title": {"raw": slug, "rendered": slug},
            "bytes": len(request["body"]),
            "data": request["body"],
        }
        return 201, _media(self.media[media_id]), {}

    def _save_post(self, post: dict | None, body):
        body = body if isinstance(body, dict) else {}
        status = body.get("status", post["status"] if post else "draft")
        if status not in POST_STATUSES:
            return _fail(
                400,
                "rest_invalid_param",
                "Invalid parameter(s): status",
                {"params": {"status": f"status is not one of {', '.join(POST_STATUSES)}."}},
            )
        for key, store in (("categories", self.terms["categories"]), ("tags", self.terms["tags"])):
            unknown = [t for t in body.get(key, []) if int(t) not in store]
            if unknown:
                return _fail(
                    400,
                    "rest_invalid_param",
                    f"Invalid parameter(s): {key}",
                    {"params": {key: f"Invalid term ID {unknown[0]}."}},
                )
        featured = int(body.get("featured_media") or 0)
        if featured and featured not in self.media:
            return _fail(400, "rest_invalid_featured_media", "Invalid featured media ID.")
        created = post is None
        if created:
            post = {
                "id": next(self._ids),
                "date": datetime.now(UTC).isoformat(),
                "meta": {},
                "title": "",
                "content": "",
                "excerpt": "",
                "slug": "",
                "categories": [],
                "tags": [],
                "featured_media": 0,
            }
        for key in ("title", "content", "excerpt"):
            if key in body:
                value = body[key]
                post[key] = value.get("raw", "") if isinstance(value, dict) else str(value)
        for key in ("categories", "tags"):
            if key in body:
                post[key] = [int(t) for t in body[key]]
        post["featured_media"] = featured if "featured_media" in body else post["featured_media"]
        post["meta"].update(body.get("meta") or {})
        post["status"] = status
        wanted = str(
            body.get("slug")
            or post["slug"]
            or re.sub(r"[^a-z0-9]+", "-", post["title"].lower()).strip("-")
            or str(post["id"])
        )
        post["slug"] = self._unique_slug(wanted, post["id"])
        self.posts[post["id"]] = post
        return (201 if created else 200), self._post_body(post), {}

    def _unique_slug(self, slug: str, post_id: int) -> str:
        taken = {p["slug"] for p in self.posts.values() if p["id"] != post_id}
        candidate, n = slug, 2
        while candidate in taken:
            candidate, n = f"{slug}-{n}", n + 1
        return candidate

    def _list_posts(self, query: dict, user):
        wanted = query.get("status", "publish")
        statuses = set(POST_STATUSES) if wanted == "any" else set(wanted.split(","))
        if statuses != {"publish"} and user is None:
            return _fail(
                400,
                "rest_invalid_param",
                "Invalid parameter(s): status",
                {"params": {"status": "Status is forbidden."}},
            )
        rows = [p for p in self.posts.values() if p["status"] in statuses]
        if "slug" in query:
            rows = [p for p in rows if p["slug"] in query["slug"].split(",")]
        if "search" in query:
            term = query["search"].lower()
            rows = [
                p
                for p in rows
                if any(term in p[k].lower() for k in ("title", "content", "excerpt"))
            ]
        rows.sort(key=lambda p: -p["id"])
        per_page = min(int(query.get("per_page", 10)), 100)
        page = int(query.get("page", 1))
        pages = max(1, -(-len(rows) // per_page))
        if page > pages and rows:
            return _fail(
                400,
                "rest_post_invalid_page_number",
                "The page number requested is larger than the number of pages available.",
            )
        chunk = rows[(page - 1) * per_page : page * per_page]
        headers = {"X-WP-Total": str(len(rows)), "X-WP-TotalPages": str(pages)}
        return 200, [self._post_body(p) for p in chunk], headers

    def _post_body(self, post: dict) -> dict:
        link = (
            f"{self.base_url}/{post['slug']}/"
            if post["status"] == "publish"
            else (f"{self.base_url}/?p={post['id']}")
        )
        return {
            "id": post["id"],
            "date": post["date"],
            "slug": post["slug"],
            "status": post["status"],
            "type": "post",
            "link": link,
            "title": {"raw": post["title"], "rendered": post["title"]},
            "content": {"raw": post["content"], "rendered": post["content"], "protected": False},
            "excerpt": {"raw": post["excerpt"], "rendered": f"<p>{post['excerpt']}</p>"},
            "author": 1,
            "featured_media": post["featured_media"],
            "categories": post["categories"],
            "tags": post["tags"],
            "meta": post["meta"],
        }


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


def _media(item: dict) -> dict:
    return {key: value for key, value in item.items() if key != "data"}


def _fail(status: int, code: str, message: str, data: dict | None = None):
    return status, {"code": code, "message": message, "data": data or {}}, {}


def _error(reply: Reply, status: int, code: str, message: str, headers=None, extra=None) -> None:
    data = {"status": status, **(extra or {})}
    reply.json(status, {"code": code, "message": message, "data": data}, headers)
