"""Google Drive v3 over HTTP: files.list (paged), files.get, alt=media and files.export."""

from __future__ import annotations

from django.conf import settings

from flowline.drives.cloud_files import GOOGLE_DRIVE, CloudFile, DownloadedFile
from flowline.drives.errors import DriveError
from flowline.drives.providers.base import DriveAdapter, parse_time
from flowline.drives.providers.base import path_segment as _quote

FOLDER = "application/vnd.google-apps.folder"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Google's own formats have no bytes of their own: they are exported.
EXPORTS = {
    "application/vnd.google-apps.spreadsheet": (XLSX, ".xlsx"),
    "application/vnd.google-apps.document": ("text/plain", ".txt"),
    "application/vnd.google-apps.presentation": ("application/pdf", ".pdf"),
}
FILE_FIELDS = "id,name,mimeType,size,modifiedTime,parents,webViewLink"


class GoogleDriveAdapter(DriveAdapter):
    provider = GOOGLE_DRIVE
    label = "Google Drive"

    def __init__(self) -> None:
        self.client_id = settings.DRIVE_GOOGLE_CLIENT_ID
        self.client_secret = settings.DRIVE_GOOGLE_CLIENT_SECRET
        self.auth_url = settings.DRIVE_GOOGLE_AUTH_URL
        self.token_url = settings.DRIVE_GOOGLE_TOKEN_URL
        self.api_base = settings.DRIVE_GOOGLE_API_BASE.rstrip("/")
        self.scopes = settings.DRIVE_GOOGLE_SCOPES
        # offline + consent: Google only returns a refresh token when asked like this.
        self.extra_auth_params = {"access_type": "offline", "prompt": "consent"}

    def _url(self, path: str) -> str:
        return f"{self.api_base}/drive/v3/{path}"

    def account_email(self, token: str) -> str:
        about = self.get_json(token, self._url("about"), {"fields": "user(emailAddress)"})
        return (about.get("user") or {}).get("emailAddress", "")

    def list_files(self, token: str, folder_id: str | None) -> list[CloudFile]:
        parent = (folder_id or "root").replace("\\", "\\\\").replace("'", "\\'")
        params = {
            "q": f"'{parent}' in parents and trashed=false",
            "fields": f"nextPageToken,files({FILE_FIELDS})",
            "pageSize": settings.DRIVE_PAGE_SIZE,
            "orderBy": "folder,name",
        }
        files: list[CloudFile] = []
        while len(files) < settings.DRIVE_MAX_LIST_ITEMS:
            page = self.get_json(token, self._url("files"), params)
            files.extend(self._file(item) for item in page.get("files", []))
            if not page.get("nextPageToken"):
                break
            params = {**params, "pageToken": page["nextPageToken"]}
        return files[: settings.DRIVE_MAX_LIST_ITEMS]

    def metadata(self, token: str, file_id: str) -> CloudFile:
        item = self.get_json(token, self._url(f"files/{_quote(file_id)}"), {"fields": FILE_FIELDS})
        return self._file(item)

    def download(self, token: str, file_id: str) -> DownloadedFile:
        meta = self.metadata(token, file_id)
        if meta.is_folder:
            raise DriveError("A folder cannot be downloaded.", code="drive_not_a_file")
        path = f"files/{_quote(file_id)}"
        if meta.mime_type in EXPORTS:
            mime_type, suffix = EXPORTS[meta.mime_type]
            path, params = f"{path}/export", {"mimeType": mime_type}
            name = meta.name if meta.name.endswith(suffix) else meta.name + suffix
        elif meta.mime_type.startswith("application/vnd.google-apps."):
            raise DriveError(
                f"{meta.mime_type} files cannot be downloaded.", code="drive_not_downloadable"
            )
        else:
            mime_type, params, name = meta.mime_type, {"alt": "media"}, meta.name
        content = self.get(token, self._url(path), params, download=True).content
        return DownloadedFile(name=name, mime_type=mime_type, content=content, size=len(content))

    def _file(self, item: dict) -> CloudFile:
        parents = item.get("parents") or []
        mime_type = item.get("mimeType", "")
        return CloudFile(
            id=item["id"],
            name=item.get("name", ""),
            mime_type=mime_type,
            size=int(item["size"]) if item.get("size") is not None else None,
            modified_at=parse_time(item.get("modifiedTime")),
            is_folder=mime_type == FOLDER,
            provider=GOOGLE_DRIVE,
            parent_id=parents[0] if parents else None,
            web_url=item.get("webViewLink"),
        )
