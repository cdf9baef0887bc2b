"""Browsing and downloading Google Drive and OneDrive files through the API and public.py."""

import pytest

from flowline.drives import public
from flowline.drives.testing.fixtures import connect_google_drive, connect_onedrive
from flowline.sandbox.drives.sheets import LEADS, XLSX_MIME, read_xlsx, xlsx

API = "/api/v1"


@pytest.mark.django_db
def test_google_drive_root_and_folder_listing_follows_pages(owner, fake_google_drive, settings):
    # given: more files than one provider page holds
    settings.DRIVE_PAGE_SIZE = 2
    folder = fake_google_drive.add_folder("Leads")
    for n in range(5):
        fake_google_drive.add_file(f"lead-{n}.csv", b"name\n", "text/csv", parent=folder)
    fake_google_drive.add_file("notes.txt", b"hi", "text/plain")
    connect_google_drive(owner, fake_google_drive)

    # when
    root = owner.client.get(f"{API}/drive/files/")
    inside = owner.client.get(f"{API}/drive/files/", {"folder_id": folder, "page_size": 100})

    # then
    assert root.status_code == 200, root.content
    assert [(f["name"], f["is_folder"]) for f in root.json()["results"]] == [
        ("Leads", True),
        ("notes.txt", False),
    ]
    assert inside.json()["count"] == 5
    assert [f["name"] for f in inside.json()["results"]] == [f"lead-{n}.csv" for n in range(5)]
    assert {f["parent_id"] for f in inside.json()["results"]} == {folder}
    tokens = [r["path"] for r in fake_google_drive.requests if "pageToken" in r["path"]]
    assert len(tokens) == 2  # three provider pages of two


@pytest.mark.django_db
def test_google_drive_metadata_and_unknown_file(owner, fake_google_drive):
    # given
    file_id = fake_google_drive.add_file("report.pdf", b"%PDF-1.4", "application/pdf")
    connect_google_drive(owner, fake_google_drive)

    # when
    found = owner.client.get(f"{API}/drive/file/{file_id}/")
    missing = owner.client.get(f"{API}/drive/file/nope/")

    # then
    assert found.status_code == 200
    assert found.json()["data"] | {"modified_at": None} == {
        "id": file_id,
        "name": "report.pdf",
        "mime_type": "application/pdf",
        "size": 8,
        "modified_at": None,
        "is_folder": False,
        "provider": "google_drive",
        "parent_id": "0AFakeRootFolderUk9PVA",
        "web_url": f"https://drive.google.com/file/d/{file_id}/view",
    }
    assert missing.status_code == 404 and missing.json()["code"] == "drive_not_found"


@pytest.mark.django_db
def test_download_binary_file_and_google_sheet_export(owner, fake_google_drive):
    # given
    leads = xlsx(LEADS)
    binary_id = fake_google_drive.add_file("Leads.xlsx", leads, XLSX_MIME)
    sheet_id = fake_google_drive.add_sheet("Leads sheet", leads)
    doc_id = fake_google_drive.add_doc("Brief", "Find bakeries in Lisbon.")
    connect_google_drive(owner, fake_google_drive)
    who = {"user_id": owner.user.id, "account_id": owner.account.id, "provider": "google_drive"}

    # when
    binary = public.download(**who, file_id=binary_id)
    sheet = public.download(**who, file_id=sheet_id)
    doc = public.download(**who, file_id=doc_id)

    # then
    assert binary == public.DownloadedFile("Leads.xlsx", XLSX_MIME, leads, len(leads))
    assert (sheet.name, sheet.mime_type) == ("Leads sheet.xlsx", XLSX_MIME)
    assert read_xlsx(sheet.content) == LEADS
    assert (doc.name, doc.mime_type, doc.content) == (
        "Brief.txt",
        "text/plain",
        b"Find bakeries in Lisbon.",
    )


@pytest.mark.django_db
def test_onedrive_listing_paging_metadata_and_download(owner, fake_onedrive, settings):
    # given
    settings.DRIVE_PAGE_SIZE = 2
    folder = fake_onedrive.add_folder("Clients")
    for n in range(3):
        fake_onedrive.add_file(f"c{n}.txt", f"client {n}".encode(), "text/plain", parent=folder)
    sheet = fake_onedrive.add_file("Leads.xlsx", xlsx(LEADS), XLSX_MIME)
    connect_onedrive(owner, fake_onedrive)

    # when
    root = owner.client.get(f"{API}/drive/microsoft/files/")
    inside = owner.client.get(f"{API}/drive/microsoft/files/", {"folder_id": folder})
    meta = owner.client.get(f"{API}/drive/microsoft/file/{sheet}/")
    content = public.download(
        user_id=owner.user.id, account_id=owner.account.id, provider="onedrive", file_id=sheet
    )

    # then
    assert [f["name"] for f in root.json()["results"]] == ["Clients", "Leads.xlsx"]
    assert [f["name"] for f in inside.json()["results"]] == ["c0.txt", "c1.txt", "c2.txt"]
    assert any("skiptoken" in r["path"] for r in fake_onedrive.requests)
    assert meta.json()["data"]["mime_type"] == XLSX_MIME
    assert read_xlsx(content.content) == LEADS
    download_hit = [r for r in fake_onedrive.requests if r["path"].startswith("/download/")]
    assert "authorization" not in download_hit[0]["headers"]  # the token stays with Graph


@pytest.mark.django_db
def test_aggregated_view_lists_every_connected_drive(owner, fake_google_drive, fake_onedrive):
    # given
    fake_google_drive.add_file("g.txt", b"g", "text/plain")
    fake_onedrive.add_file("o.txt", b"o", "text/plain")
    connect_google_drive(owner, fake_google_drive)
    connect_onedrive(owner, fake_onedrive)

    # when
    response = owner.client.get(f"{API}/cloud/files/")

    # then
    assert response.status_code == 200
    body = response.json()
    assert [(f["provider"], f["name"]) for f in body["results"]] == [
        ("google_drive", "g.txt"),
        ("onedrive", "o.txt"),
    ]
    assert [p["status"] for p in body["providers"]] == ["ok", "ok"]


@pytest.mark.django_db
def test_another_users_connection_is_never_used(
    owner, member_factory, other_owner, fake_google_drive
):
    # given: only the owner connected a drive
    fake_google_drive.add_file("private.txt", b"secret", "text/plain")
    connect_google_drive(owner, fake_google_drive)
    colleague = member_factory(owner)

    # when
    as_colleague = colleague.client.get(f"{API}/drive/files/")
    as_stranger = other_owner.client.get(f"{API}/drive/files/")
    via_public = pytest.raises(public.DriveNotConnected)
    with via_public:
        public.list_files(
            user_id=owner.user.id, account_id=other_owner.account.id, provider="google_drive"
        )

    # then
    for response in (as_colleague, as_stranger):
        assert response.status_code == 400
        assert response.json()["code"] == "drive_not_connected"
    assert colleague.client.get(f"{API}/drive/connections/").json()["count"] == 0
