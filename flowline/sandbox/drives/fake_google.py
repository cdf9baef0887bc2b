"""A fake Google OAuth + Drive v3 API on 127.0.0.1.

OAuth: GET /o/oauth2/v2/auth (consent, 302 back with code+state), POST /token.
Drive: GET /drive/v3/about, /drive/v3/files (q="'<id>' in parents and trashed=false",
pageSize, pageToken -> nextPageToken), /drive/v3/files/{id} (?alt=media for bytes),
/drive/v3/files/{id}/export?mimeType=. Errors use Drive's {"error": {"code", "message",
"errors": [{"reason"}]}}; an expired or unknown access token is a 401 authError.
"""

from __future__ import annotations

import re

from flowline.drives.providers.google import EXPORTS, FOLDER
from flowline.sandbox.drives.oauth import OAuthFake, split
from flowline.sandbox.server import Sequence

ROOT_ID = "0AFakeRootFolderUk9PVA"
EMAIL = "drive.owner@example.com"
SHEET = "application/vnd.google-apps.spreadsheet"
DOC = "application/vnd.google-apps.document"
_QUERY = re.compile(r"^'((?:[^'\\]|\\.)*)' in parents and trashed ?= ?false$")
_ids = Sequence(1)


class FakeGoogleDrive(OAuthFake):
    token_prefix = "ya29"
    scope = "https://www.googleapis.com/auth/drive.readonly"

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, dict] = {}

    def rotated(self, form: dict, new_refresh: str) -> None:
        """Google keeps the refresh token and leaves it out of a refresh's answer."""
        self.refresh_tokens.pop(new_refresh, None)
        return None

    # --- what tests put in -----------------------------------------------------------
    def add_folder(self, name: str, parent: str | None = None) -> str:
        return self._add(name, FOLDER, parent)

    def add_file(self, name: str, content: bytes, mime_type: str, parent: str | None = None) -> str:
        return self._add(name, mime_type, parent, content=content)

    def add_sheet(self, name: str, xlsx: bytes, parent: str | None = None) -> str:
        """A native Google Sheet; exporting it as XLSX gives `xlsx`."""
        return self._add(name, SHEET, parent, exports={EXPORTS[SHEET][0]: xlsx})

    def add_doc(self, name: str, text: str, parent: str | None = None) -> str:
        return self._add(name, DOC, parent, exports={"text/plain": text.encode()})

    def _add(self, name, mime_type, parent, *, content=None, exports=None) -> str:
        file_id = f"gd{next(_ids):04d}{name.replace(' ', '')[:10]}"
        self.files[file_id] = {
            "id": file_id,
            "name": name,
            "mimeType": mime_type,
            "parents": [parent or ROOT_ID],
            "modifiedTime": "2025-03-01T10:00:00.000Z",
            "webViewLink": f"https://drive.google.com/file/d/{file_id}/view",
            "content": content,
            "exports": exports or {},
        }
        return file_id

    # --- protocol --------------------------------------------------------------------
    def handle(self, request: dict, reply) -> None:
        path, query = split(request["path"])
        if path == "/o/oauth2/v2/auth":
            return self.authorize(query, reply)
        if path == "/token" and request["method"] == "POST":
            return self.token(request, reply)
        if not path.startswith("/drive/v3/"):
            return _error(reply, 404, "notFound", "Not Found")
        if not self.authorized(request):
            return _error(
                reply, 401, "authError", "Request had invalid authentication credentials."
            )
        rest = path.removeprefix("/drive/v3/")
        if rest == "about":
            return reply.json(200, {"user": {"emailAddress": EMAIL, "displayName": "Drive Owner"}})
        if rest == "files":
            return self._list(query, reply)
        match = re.fullmatch(r"files/([^/]+)(/export)?", rest)
        if not match or match.group(1) not in self.files:
            return _error(reply, 404, "notFound", f"File not found: {match and match.group(1)}.")
        item = self.files[match.group(1)]
        if match.group(2):
            return self._export(item, query, reply)
        if query.get("alt") == "media":
            if item["content"] is None:
                return _error(
                    reply,
                    403,
                    "fileNotDownloadable",
                    "Only files with binary content can be downloaded. "
                    "Use Export with Docs Editors files.",
                )
            return reply.raw(200, item["content"], item["mimeType"])
        return reply.json(200, self._public(item))

    def _list(self, query: dict, reply) -> None:
        match = _QUERY.match(query.get("q", ""))
        if not match:
            return _error(reply, 400, "invalid", "Invalid Value", location="q")
        parent = match.group(1).replace("\\'", "'").replace("\\\\", "\\")
        parent = ROOT_ID if parent == "root" else parent
        rows = sorted(
            (f for f in self.files.values() if parent in f["parents"]),
            key=lambda f: (f["mimeType"] != FOLDER, f["name"]),
        )
        size = min(int(query.get("pageSize", 100)), 1000)
        start = int(query.get("pageToken", "0").removeprefix("page-") or 0)
        body = {"files": [self._public(f) for f in rows[start : start + size]]}
        if start + size < len(rows):
            body["nextPageToken"] = f"page-{start + size}"
        return reply.json(200, body)

    def _export(self, item: dict, query: dict, reply) -> None:
        wanted = query.get("mimeType", "")
        if wanted not in item["exports"]:
            return _error(reply, 400, "badRequest", "The requested conversion is not supported.")
        return reply.raw(200, item["exports"][wanted], wanted)

    def _public(self, item: dict) -> dict:
        body = {k: v for k, v in item.items() if k not in ("content", "exports")}
        if item["content"] is not None:
            body["size"] = str(len(item["content"]))  # Drive sends sizes as strings
        return body


def _error(reply, status: int, reason: str, message: str, location: str | None = None) -> None:
    detail = {"domain": "global", "reason": reason, "message": message}
    if location:
        detail["location"] = location
    reply.json(status, {"error": {"code": status, "message": message, "errors": [detail]}})
