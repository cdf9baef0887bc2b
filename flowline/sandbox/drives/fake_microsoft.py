"""A fake Microsoft identity platform + Graph (OneDrive) on 127.0.0.1.

OAuth: GET /common/oauth2/v2.0/authorize, POST /common/oauth2/v2.0/token (refresh tokens
rotate). Graph: /v1.0/me, /v1.0/me/drive/root/children, /v1.0/me/drive/items/{id}[/children],
/v1.0/me/drive/items/{id}/content (302 to a pre-authenticated /download/ URL). Lists page by
$top and an absolute @odata.nextLink with $skiptoken. Errors: {"error": {"code", "message"}};
an expired access token is 401 InvalidAuthenticationToken.
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlencode

from flowline.sandbox.drives.oauth import OAuthFake, split
from flowline.sandbox.server import Sequence

EMAIL = "onedrive.owner@example.com"
ROOT_ID = "01FAKEROOTDRIVEITEM"
_ids = Sequence(1)


class FakeOneDrive(OAuthFake):
    token_prefix = "EwB"
    scope = "User.Read Files.Read.All"

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, dict] = {}
        self.download_tickets: dict[str, str] = {}
        # Where content requests are redirected to (default: this fake's /download/).
        self.download_root = ""

    def add_folder(self, name: str, parent: str | None = None) -> str:
        return self._add(name, parent, folder=True)

    def add_file(self, name: str, content: bytes, mime_type: str, parent: str | None = None) -> str:
        return self._add(name, parent, content=content, mime_type=mime_type)

    def _add(self, name, parent, *, folder=False, content=None, mime_type=None) -> str:
        item_id = f"01ITEM{next(_ids):04d}"
        item = {
            "id": item_id,
            "name": name,
            "lastModifiedDateTime": "2025-03-02T09:30:00Z",
            "parentReference": {"driveId": "b!fake", "id": parent or ROOT_ID},
            "webUrl": f"https://onedrive.live.com/?id={item_id}",
        }
        if folder:
            item["folder"] = {"childCount": 0}
            item["size"] = 0
        else:
            item["file"] = {"mimeType": mime_type}
            item["size"] = len(content)
            item["_content"] = content
        self.items[item_id] = item
        return item_id

    def handle(self, request: dict, reply) -> None:
        path, query = split(request["path"])
        if path == "/common/oauth2/v2.0/authorize":
            return self.authorize(query, reply)
        if path == "/common/oauth2/v2.0/token" and request["method"] == "POST":
            return self.token(request, reply)
        if path.startswith("/download/"):
            item_id = self.download_tickets.get(query.get("tempauth", ""))
            if item_id is None or path != f"/download/{item_id}":
                return _error(reply, 401, "unauthenticated", "Bad download ticket.")
            item = self.items[item_id]
            return reply.raw(200, item["_content"], item["file"]["mimeType"])
        if not path.startswith("/v1.0/"):
            return _error(reply, 404, "itemNotFound", "Not found.")
        if not self.authorized(request):
            return _error(
                reply,
                401,
                "InvalidAuthenticationToken",
                "Access token has expired or is not yet valid.",
            )
        rest = path.removeprefix("/v1.0/")
        if rest == "me":
            return reply.json(200, {"id": "fake-user", "mail": EMAIL, "userPrincipalName": EMAIL})
        if rest == "me/drive/root/children":
            return self._children(ROOT_ID, query, reply)
        match = re.fullmatch(r"me/drive/items/([^/]+)(/children|/content)?", rest)
        if not match or match.group(1) not in self.items:
            return _error(reply, 404, "itemNotFound", "The resource could not be found.")
        item = self.items[match.group(1)]
        if match.group(2) == "/children":
            return self._children(item["id"], query, reply)
        if match.group(2) == "/content":
            if "folder" in item:
                return _error(reply, 400, "invalidRequest", "Cannot download a folder.")
            ticket = secrets.token_urlsafe(12)
            self.download_tickets[ticket] = item["id"]
            root = self.download_root or self.root
            location = f"{root}/download/{item['id']}?{urlencode({'tempauth': ticket})}"
            return reply.raw(302, b"", "text/plain", {"Location": location})
        return reply.json(200, _public(item))

    def _children(self, parent_id: str, query: dict, reply) -> None:
        rows = [i for i in self.items.values() if i["parentReference"]["id"] == parent_id]
        rows.sort(key=lambda i: ("folder" not in i, i["name"]))
        top = min(int(query.get("$top", 200)), 1000)
        start = int(query.get("$skiptoken", 0))
        body = {"value": [_public(i) for i in rows[start : start + top]]}
        if start + top < len(rows):
            path = (
                "me/drive/root/children"
                if parent_id == ROOT_ID
                else f"me/drive/items/{parent_id}/children"
            )
            body["@odata.nextLink"] = (
                f"{self.root}/v1.0/{path}?{urlencode({'$top': top, '$skiptoken': start + top})}"
            )
        return reply.json(200, body)


def _public(item: dict) -> dict:
    return {k: v for k, v in item.items() if not k.startswith("_")}


def _error(reply, status: int, code: str, message: str) -> None:
    reply.json(status, {"error": {"code": code, "message": message, "innerError": {}}})
