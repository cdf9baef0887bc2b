"""Posts and media of the fake WordPress, as `WP_REST_Posts_Controller` and
`WP_REST_Attachments_Controller` handle them (see `fake_wordpress` for the summary).

Dates are naive UTC datetimes (the fake site's timezone is UTC, so `date` equals
`date_gmt`). A draft or pending post saved without a date has a floating date: it takes
the time it is published.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

from flowline.sandbox.wordpress.wp_search import matches, sanitize_text_field

# What `status` accepts on a write (`trash` is reached with DELETE).
POST_STATUSES = ("publish", "future", "draft", "pending", "private")
_LISTABLE = (*POST_STATUSES, "trash")
_FLOATING = ("draft", "pending")
_PLAIN_LINK = ("draft", "pending", "future", "trash")
_ORDERBY = {
    "date": lambda p: (p["date"], p["id"]),
    "modified": lambda p: (p["modified"], p["id"]),
    "id": lambda p: p["id"],
    "title": lambda p: (p["title"].lower(), p["id"]),
    "slug": lambda p: (p["slug"], p["id"]),
}
_TIME = "%Y-%m-%dT%H:%M:%S"


def fail(status: int, code: str, message: str, data: dict | None = None):
    return status, {"code": code, "message": message, "data": data or {}}, {}


def _invalid(param: str, reason: str):
    return fail(
        400, "rest_invalid_param", f"Invalid parameter(s): {param}", {"params": {param: reason}}
    )


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _date(value) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed.replace(microsecond=0)


class PostsMixin:
    """Needs `posts`, `media`, `terms`, `registered_meta`, `_ids`, `now()` and
    `base_url` (FakeWordPress has them)."""

    # --- helpers for tests ----------------------------------------------------------
    def add_post(self, title: str, *, content: str = "", status: str = "publish", **fields):
        """A post written on the site itself (not through the API); returns its id.
        `date` (a datetime) in the future with status `future` makes it scheduled."""
        with self._state:
            _, body, _ = self.save_post(None, {"title": title, "content": content})
            post = self.posts[body["id"]]
            post.update(status=status, **fields)
            if "date" in fields or status not in _FLOATING:
                post["floating"] = False
            if not post["slug"] and status not in _FLOATING:
                post["slug"] = self._unique_slug(_slugify(title) or str(post["id"]), post["id"])
            return post["id"]

    def edit_post(self, post_id: int, **fields) -> dict:
        """A person changes the post in WordPress's editor: its modified time moves (at
        least a second, as WordPress counts it, past the last change)."""
        with self._state:
            post = self.posts[post_id]
            post.update(fields)
            post["modified"] = max(self.now(), post["modified"] + timedelta(seconds=1))
            return post

    # --- posts ------------------------------------------------------------------------
    def save_post(self, post: dict | None, body, *, now: datetime | None = None):
        body = body if isinstance(body, dict) else {}
        now = now or self.now()
        status = body.get("status", post["status"] if post else "draft")
        if status not in POST_STATUSES and not (post and status == post["status"]):
            return _invalid("status", f"status is not one of {', '.join(POST_STATUSES)}.")
        for key, store in (("categories", self.terms["categories"]), ("tags", self.terms["tags"])):
            unknown = [t for t in body.get(key, []) if int(t) not in store]
            if unknown:
                return _invalid(key, f"Invalid term ID {unknown[0]}.")
        featured = int(body.get("featured_media") or 0)
        if featured and featured not in self.media:
            return fail(400, "rest_invalid_featured_media", "Invalid featured media ID.")
        created = post is None
        if created:
            post = {
                "id": next(self._ids),
                "date": now,
                "floating": True,
                "meta": {},
                "title": "",
                "content": "",
                "excerpt": "",
                "slug": "",
                "desired_slug": "",
                "status": "draft",
                "categories": [],
                "tags": [],
                "featured_media": 0,
            }
        previous = post["status"]
        for key in ("title", "content", "excerpt"):
            if key in body:
                value = body[key]
                post[key] = value.get("raw", "") if isinstance(value, dict) else str(value)
        for key in ("categories", "tags"):
            if key in body:
                post[key] = [int(t) for t in body[key]]
        if "featured_media" in body:
            post["featured_media"] = featured
        meta = body.get("meta") if isinstance(body.get("meta"), dict) else {}
        post["meta"].update({k: v for k, v in meta.items() if k in self.registered_meta})
        date = _date(body.get("date") or body.get("date_gmt"))
        if date is not None:
            post["date"], post["floating"] = date, False
        elif post["floating"] and status not in _FLOATING:
            post["date"], post["floating"] = now, False  # published now
        # wp_insert_post: a publish dated later is scheduled; a schedule already due goes out
        if status == "publish" and post["date"] > now:
            status = "future"
        elif status == "future" and post["date"] <= now:
            status = "publish"
        post["status"] = status
        if previous == "trash" and status != "trash" and post["desired_slug"]:
            post["slug"], post["desired_slug"] = post["desired_slug"], ""
        if body.get("slug"):
            post["slug"] = self._unique_slug(_slugify(str(body["slug"])), post["id"])
        elif not post["slug"] and status not in _FLOATING:
            wanted = _slugify(post["title"]) or str(post["id"])
            post["slug"] = self._unique_slug(wanted, post["id"])
        post["modified"] = now
        self.posts[post["id"]] = post
        return (201 if created else 200), self.post_body(post, "edit"), {}

    def _unique_slug(self, slug: str, post_id: int) -> str:
        taken = {p["slug"] for p in self.posts.values() if p["id"] != post_id}
        candidate, n = slug, 2
        while candidate in taken:
            candidate, n = f"{slug}-{n}", n + 1
        return candidate

    def list_posts(self, query: dict, user):
        context = query.get("context", "view")
        if context == "edit" and user is None:
            return fail(
                401,
                "rest_forbidden_context",
                "Sorry, you are not allowed to edit posts in this post type.",
            )
        numbers = {}
        for name, default, low, high in (("page", 1, 1, None), ("per_page", 10, 1, 100)):
            raw = query.get(name, str(default))
            if not re.fullmatch(r"-?\d+", raw):
                return _invalid(name, f"{name} is not of type integer.")
            value = int(raw)
            if value < low or (high is not None and value > high):
                bounds = f"between {low} (inclusive) and {high} (inclusive)"
                reason = f"{name} must be {bounds}" if high else f"{name} must be at least {low}"
                return _invalid(name, reason)
            numbers[name] = value
        wanted = [s for s in query.get("status", "publish").split(",") if s]
        for status in wanted:
            if status != "publish" and user is None:
                return fail(401, "rest_forbidden_status", "Status is forbidden.")
            if status not in (*_LISTABLE, "any"):
                return _invalid("status", f"status[0] is not one of {', '.join(_LISTABLE)}, any.")
        statuses = set(POST_STATUSES) if "any" in wanted else set(wanted)
        rows = [p for p in self.posts.values() if p["status"] in statuses]
        if "slug" in query:
            rows = [p for p in rows if p["slug"] in query["slug"].split(",")]
        search = sanitize_text_field(query.get("search", ""))
        if search:
            rows = [p for p in rows if matches(search, p["title"], p["excerpt"], p["content"])]
        orderby = query.get("orderby", "date")
        if orderby == "relevance" and not search:
            return fail(
                400,
                "rest_no_search_term_defined",
                "You need to define a search term to order by relevance.",
            )
        if orderby not in _ORDERBY and orderby != "relevance":
            return _invalid("orderby", f"orderby is not one of {', '.join(_ORDERBY)}.")
        order = query.get("order", "desc")
        if order not in ("asc", "desc"):
            return _invalid("order", "order is not one of asc, desc.")
        rows.sort(key=_ORDERBY.get(orderby, _ORDERBY["date"]), reverse=order == "desc")
        page, per_page = numbers["page"], numbers["per_page"]
        pages = math.ceil(len(rows) / per_page)
        if page > pages and rows:
            return fail(
                400,
                "rest_post_invalid_page_number",
                "The page number requested is larger than the number of pages available.",
            )
        chunk = rows[(page - 1) * per_page : page * per_page]
        headers = {"X-WP-Total": str(len(rows)), "X-WP-TotalPages": str(pages)}
        return 200, [self.post_body(p, context) for p in chunk], headers

    def item(self, kind: str, item_id: int, method: str, query: dict, body, user):
        store = self.posts if kind == "posts" else self.media
        item = store.get(item_id)
        if item is None:
            return fail(404, "rest_post_invalid_id", "Invalid post ID.")
        context = query.get("context", "view")
        if method == "GET":
            if user is None and (
                context == "edit" or item.get("status") not in ("publish", "inherit")
            ):
                return fail(
                    401, "rest_forbidden_context", "Sorry, you are not allowed to edit this post."
                )
            return (
                200,
                self.post_body(item, context) if kind == "posts" else self.media_body(item),
                {},
            )
        force = query.get("force", "").lower() in ("1", "true")
        if kind == "media":
            if method == "DELETE":
                return self._delete_media(item, force)
            return self._update_media(item, body if isinstance(body, dict) else {})
        if method == "POST":
            return self.save_post(item, body)
        return self._delete_post(item, force)

    def _delete_post(self, post: dict, force: bool):
        if force:
            previous = self.post_body(post, "edit")
            del self.posts[post["id"]]
            return 200, {"deleted": True, "previous": previous}, {}
        if post["status"] == "trash":
            return fail(410, "rest_already_trashed", "The post has already been deleted.")
        # wp_trash_post: the slug is set aside so a new post can have it
        if post["slug"]:
            post["desired_slug"], post["slug"] = post["slug"], f"{post['slug']}__trashed"
        post["status"], post["modified"] = "trash", self.now()
        return 200, self.post_body(post, "edit"), {}

    def post_body(self, post: dict, context: str = "view") -> dict:
        plain = f"{self.base_url}/?p={post['id']}"
        link = plain if post["status"] in _PLAIN_LINK else f"{self.base_url}/{post['slug']}/"
        body = {
            "id": post["id"],
            "date": post["date"].strftime(_TIME),
            "date_gmt": post["date"].strftime(_TIME),
            "guid": {"rendered": plain},
            "modified": post["modified"].strftime(_TIME),
            "modified_gmt": post["modified"].strftime(_TIME),
            "slug": post["slug"],
            "status": post["status"],
            "type": "post",
            "link": link,
            "title": {"rendered": post["title"]},
            "content": {"rendered": post["content"], "protected": False},
            "excerpt": {"rendered": f"<p>{post['excerpt']}</p>", "protected": False},
            "author": 1,
            "featured_media": post["featured_media"],
            "categories": post["categories"],
            "tags": post["tags"],
            "meta": {key: post["meta"].get(key, "") for key in sorted(self.registered_meta)},
        }
        if context == "edit":
            body["guid"]["raw"] = plain
            for key in ("title", "content", "excerpt"):
                body[key]["raw"] = post[key]
        return body

    # --- media ------------------------------------------------------------------------
    def upload(self, request: dict, query: dict):
        disposition = request["headers"].get("content-disposition", "")
        match = re.search(r'filename="?([^";]+)"?', disposition)
        if not match:
            return fail(
                400, "rest_upload_no_content_disposition", "No Content-Disposition supplied."
            )
        if not request["body"]:
            return fail(400, "rest_upload_no_data", "No data supplied.")
        parent = int(query.get("post") or 0)
        if parent and parent not in self.posts:
            return fail(
                403, "rest_cannot_edit", "Sorry, you are not allowed to upload media to this post."
            )
        filename = unquote(match.group(1))
        media_id = next(self._ids)
        slug = _slugify(filename.rsplit(".", 1)[0])
        self.media[media_id] = {
            "id": media_id,
            "slug": slug,
            "media_type": "image",
            "mime_type": request["headers"].get("content-type", ""),
            "source_url": f"{self.base_url}/wp-content/uploads/2026/12/{filename}",
            "alt_text": sanitize_text_field(query.get("alt_text", "")),
            "title": {"raw": slug, "rendered": slug},
            "post": parent or None,
            "bytes": len(request["body"]),
            "data": request["body"],
        }
        return 201, self.media_body(self.media[media_id]), {}

    def _update_media(self, item: dict, body: dict):
        if "alt_text" in body:
            item["alt_text"] = sanitize_text_field(body["alt_text"])
        if "post" in body:
            item["post"] = int(body["post"] or 0) or None
        return 200, self.media_body(item), {}

    def _delete_media(self, item: dict, force: bool):
        if not force:
            return fail(
                501,
                "rest_trash_not_supported",
                "The post does not support trashing. Set 'force=true' to delete.",
            )
        previous = self.media_body(self.media.pop(item["id"]))
        for post in self.posts.values():  # wp_delete_attachment clears featured images
            if post["featured_media"] == item["id"]:
                post["featured_media"] = 0
        return 200, {"deleted": True, "previous": previous}, {}

    @staticmethod
    def media_body(item: dict) -> dict:
        return {key: value for key, value in item.items() if key != "data"}
