"""Saving chosen cloud files into an agent's context (`cloud-files`)."""

import pytest

from flowline.agents.tests.factories import AgentProcessFactory
from flowline.drives.models import SavedCloudFile
from flowline.drives.testing.fixtures import connect_google_drive, connect_onedrive
from flowline.sandbox.drives.sheets import LEADS, xlsx

API = "/api/v1"


@pytest.mark.django_db
def test_saving_files_to_context_and_listing_them(owner, fake_google_drive, fake_onedrive):
    # given
    sheet = fake_google_drive.add_sheet("Leads", xlsx(LEADS))
    notes = fake_onedrive.add_file("notes.txt", b"n", "text/plain")
    connect_google_drive(owner, fake_google_drive)
    connect_onedrive(owner, fake_onedrive)
    process = AgentProcessFactory(account=owner.account)
    chosen = [
        {"provider": "google_drive", "file_id": sheet, "process_id": process.id},
        {"provider": "onedrive", "file_id": notes},
    ]

    # when
    saved = owner.client.post(f"{API}/cloud-files/", {"files": chosen}, format="json")
    again = owner.client.post(f"{API}/cloud-files/", chosen[:1], format="json")
    listed = owner.client.get(f"{API}/cloud-files/")
    for_process = owner.client.get(f"{API}/cloud-files/", {"process_id": process.id})

    # then
    assert saved.status_code == 201, saved.content
    assert [(f["name"], f["process_id"]) for f in saved.json()["data"]] == [
        ("Leads", process.id),
        ("notes.txt", None),
    ]
    assert again.status_code == 201
    assert SavedCloudFile.unscoped.count() == 2  # saving again does not duplicate
    assert listed.json()["count"] == 2
    assert [f["file_id"] for f in for_process.json()["results"]] == [sheet]
    assert for_process.json()["results"][0]["user"] == owner.user.id


@pytest.mark.django_db
def test_another_accounts_process_is_refused_like_an_unknown_one(
    owner, other_owner, fake_google_drive
):
    # given: a process of another account, and an id no process has
    sheet = fake_google_drive.add_sheet("Leads", xlsx(LEADS))
    connect_google_drive(owner, fake_google_drive)
    foreign = AgentProcessFactory(account=other_owner.account)

    def save(process_id):
        chosen = [{"provider": "google_drive", "file_id": sheet, "process_id": process_id}]
        return owner.client.post(f"{API}/cloud-files/", {"files": chosen}, format="json")

    # when
    theirs = save(foreign.id)
    unknown = save(foreign.id + 1000)

    # then: the same 400, so the answer does not tell that the other process exists
    assert theirs.status_code == unknown.status_code == 400, theirs.content
    assert theirs.json()["code"] == unknown.json()["code"]
    assert theirs.json()["errors"] == {
        "files": {"0": {"process_id": [f'Invalid pk "{foreign.id}" - object does not exist.']}}
    }
    assert SavedCloudFile.unscoped.count() == 0


@pytest.mark.django_db
def test_saving_a_missing_file_saves_nothing(owner, fake_google_drive):
    # given
    real = fake_google_drive.add_file("a.txt", b"a", "text/plain")
    connect_google_drive(owner, fake_google_drive)

    # when
    response = owner.client.post(
        f"{API}/cloud-files/",
        {
            "files": [
                {"provider": "google_drive", "file_id": real},
                {"provider": "google_drive", "file_id": "gone"},
            ]
        },
        format="json",
    )

    # then
    assert response.status_code == 404 and response.json()["code"] == "drive_not_found"
    assert SavedCloudFile.unscoped.count() == 0


@pytest.mark.django_db
def test_saved_files_of_another_account_are_invisible(owner, other_owner, fake_google_drive):
    # given
    file_id = fake_google_drive.add_file("a.txt", b"a", "text/plain")
    connect_google_drive(owner, fake_google_drive)
    owner.client.post(
        f"{API}/cloud-files/", [{"provider": "google_drive", "file_id": file_id}], format="json"
    )
    row = SavedCloudFile.unscoped.get()

    # when
    listed = other_owner.client.get(f"{API}/cloud-files/")
    deleted = other_owner.client.delete(f"{API}/cloud-files/{row.id}/")

    # then
    assert listed.json()["count"] == 0
    assert deleted.status_code == 404
    assert SavedCloudFile.unscoped.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_unknown_provider_and_fields_are_refused(owner):
    # when
    response = owner.client.post(
        f"{API}/cloud-files/",
        {"files": [{"provider": "dropbox", "file_id": "x", "evil": 1}]},
        format="json",
    )

    # then
    assert response.status_code == 400
    assert SavedCloudFile.unscoped.count() == 0
