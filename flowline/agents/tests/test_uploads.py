"""Uploaded data sources are private files: checked by content, stored under random names
outside the public media folder, downloaded only by their own account, as attachments."""

import importlib
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import TestCase

from flowline.agents.models import DataSource
from flowline.agents.tests.factories import AgentProcessFactory
from flowline.core.private_files import private_storage

pytestmark = pytest.mark.django_db
API = "/api/v1/datasources/"
CSV = b"name,likes\nAna,yoga\n"


def _upload(member, name: str, content: bytes, **fields):
    process = fields.pop("process", None) or AgentProcessFactory(account=member.account)
    body = {"process_id": process.id, "platform": "upload", **fields}
    body["upload"] = SimpleUploadedFile(name, content, content_type="text/csv")
    return member.client.post(API, body, format="multipart")


def _xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["name", "likes"])
    workbook.active.append(["Ana", "yoga"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_upload_is_stored_privately_under_a_random_name(owner):
    # when
    response = _upload(owner, "leads.csv", CSV)

    # then: the answer points at the authorised download, not at a media URL
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["upload"] == f"http://testserver{API}{data['id']}/download/"
    assert data["resource_name"] == "leads.csv"
    name = DataSource.unscoped.get(id=data["id"]).upload.name
    assert "leads" not in name and name.endswith(".csv")
    assert private_storage().exists(name)
    assert not default_storage.exists(name)
    private_root = Path(settings.FLOWLINE_PRIVATE_MEDIA_ROOT).resolve()
    assert Path(settings.MEDIA_ROOT).resolve() not in private_root.parents
    with pytest.raises(ValueError):
        private_storage().url(name)


def test_the_owner_downloads_it_as_an_attachment_that_never_runs(owner):
    # given
    source_id = _upload(owner, "leads.csv", CSV).json()["data"]["id"]

    # when
    response = owner.client.get(f"{API}{source_id}/download/")

    # then
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CSV
    assert response["Content-Disposition"] == 'attachment; filename="leads.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_another_accounts_file_is_404(owner, other_owner):
    # given
    source_id = _upload(owner, "leads.csv", CSV).json()["data"]["id"]

    # when
    response = other_owner.client.get(f"{API}{source_id}/download/")
    anonymous = owner.client.__class__().get(f"{API}{source_id}/download/")

    # then
    assert response.status_code == 404
    assert anonymous.status_code == 401


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", b"<html><script>alert(document.cookie)</script></html>"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("leads.csv", b"<script>alert(1)</script>"),
        ("leads.csv", b'  <?xml version="1.0"?><svg onload="alert(1)"/>'),
        ("leads.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("report.pdf", b"<html>not a pdf</html>"),
        ("sheet.xlsx", b"PK\x03\x04 not really a zip"),
        ("tool.exe", b"MZ\x90\x00"),
        ("noextension", CSV),
    ],
)
def test_files_that_are_not_what_the_endpoint_reads_are_refused(owner, name, content):
    # when
    response = _upload(owner, name, content)

    # then
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "unsupported_file"
    assert "upload" in response.json()["errors"]
    assert not DataSource.unscoped.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("leads.csv", CSV), ("notes.md", b"# Notes\n"), ("r.pdf", b"%PDF-1.7\n"), ("s.xlsx", None)],
)
def test_the_kinds_the_pipeline_reads_are_accepted(owner, name, content):
    response = _upload(owner, name, content if content is not None else _xlsx())

    assert response.status_code == 201, response.content


def test_a_resource_name_with_a_path_is_refused(owner):
    # when
    response = _upload(owner, "leads.csv", CSV, resource_name="../../etc/passwd.csv")

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_file_name"
    assert "resource_name" in response.json()["errors"]


def test_a_file_name_with_a_path_never_reaches_the_disk(owner):
    # when: the multipart file name climbs out of the folder
    response = _upload(owner, "../../../evil.csv", CSV)

    # then: stored under a random name inside the private folder
    assert response.status_code == 201, response.content
    name = DataSource.unscoped.get().upload.name
    assert ".." not in name and "evil" not in name
    root = Path(settings.FLOWLINE_PRIVATE_MEDIA_ROOT).resolve()
    assert root in Path(private_storage().path(name)).resolve().parents


def test_an_upload_over_the_limit_is_413(owner, settings):
    # given
    settings.AGENT_UPLOAD_MAX_BYTES = 10

    # when
    response = _upload(owner, "leads.csv", CSV)

    # then
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


def test_replacing_or_deleting_a_source_removes_its_file(owner):
    # given
    source_id = _upload(owner, "leads.csv", CSV).json()["data"]["id"]
    first = DataSource.unscoped.get(id=source_id).upload.name

    # when the file is replaced
    replaced = owner.client.patch(
        f"{API}{source_id}/",
        {"upload": SimpleUploadedFile("more.csv", b"name\nRui\n")},
        format="multipart",
    )
    second = DataSource.unscoped.get(id=source_id).upload.name

    # then
    assert replaced.status_code == 200, replaced.content
    assert not private_storage().exists(first) and private_storage().exists(second)

    # when it is deleted
    assert owner.client.delete(f"{API}{source_id}/").status_code == 200

    # then
    assert not private_storage().exists(second)


def test_a_drive_source_takes_no_file(owner):
    process = AgentProcessFactory(account=owner.account)
    response = owner.client.post(
        API,
        {
            "process_id": process.id,
            "platform": "google_drive",
            "resource_identifier": "f1",
            "upload": SimpleUploadedFile("leads.csv", CSV),
        },
        format="multipart",
    )

    assert response.status_code == 400 and "upload" in response.json()["errors"]


def test_the_migration_moves_public_uploads_into_the_private_storage(owner):
    # given: a source uploaded before, its file in the public media folder
    public_name = default_storage.save("agent-uploads/old-leads.csv", ContentFile(CSV))
    source = DataSource.unscoped.create(
        account=owner.account,
        process=AgentProcessFactory(account=owner.account),
        platform="upload",
    )
    DataSource.unscoped.filter(id=source.id).update(upload=public_name)
    migration = importlib.import_module("flowline.agents.migrations.0002_private_uploads")
    state = MigrationLoader(connection).project_state(("agents", "0002_private_uploads"))

    # when
    with TestCase.captureOnCommitCallbacks(execute=True):
        migration.to_private(state.apps, None)

    # then: same bytes, private, random name; the public copy is gone; it still downloads
    source.refresh_from_db()
    assert source.upload.name.startswith(f"agent-uploads/{owner.account.id}/")
    assert private_storage().open(source.upload.name).read() == CSV
    assert source.resource_name == public_name.rsplit("/", 1)[-1]
    assert not default_storage.exists(public_name)
    download = owner.client.get(f"{API}{source.id}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == CSV
