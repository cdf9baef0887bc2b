"""Elinara's user export holds the user's own agent data, and the owner exports the
whole account as one archive, built by a job with progress."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from flowline.agents.models import AgentMatch, AgentRun, RunFile
from flowline.agents.tests.factories import AgentProcessFactory, DataSourceFactory
from flowline.core.roles import Role
from flowline.drives.tests.factories import CloudConnectionFactory, SavedCloudFileFactory
from flowline.jobs.models import Job
from flowline.planner.tests.factories import KeywordFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _match(process, source, **data):
    run = AgentRun.unscoped.create(account_id=process.account_id, process=process)
    run_file = RunFile.unscoped.create(
        account_id=process.account_id, run=run, data_source=source, filename="Leads.xlsx"
    )
    return AgentMatch.unscoped.create(
        account_id=process.account_id,
        process=process,
        run=run,
        run_file=run_file,
        data=data,
        evidence="likes yoga",
    )


def test_user_export_holds_the_users_processes_sources_matches_and_files(owner, member_factory):
    # given: the owner's process with a source and a match; a colleague's process
    mine = AgentProcessFactory(account=owner.account, created_by=owner.user, name="Leads")
    source = DataSourceFactory(account=owner.account, process=mine, resource_name="Leads.xlsx")
    _match(mine, source, name="Ana")
    colleague = member_factory(owner, Role.EDITOR)
    AgentProcessFactory(account=owner.account, created_by=colleague.user, name="Theirs")
    SavedCloudFileFactory(account=owner.account, name="Leads.xlsx")
    CloudConnectionFactory(account=owner.account, access_token="ya29-very-secret")

    # when
    response = owner.client.get(f"{API}/user/export/")

    # then
    assert response.status_code == 200
    document = json.loads(response.content)
    processes = document["agents"]["processes"]
    assert [p["name"] for p in processes] == ["Leads"]
    assert [s["resource_name"] for s in processes[0]["data_sources"]] == ["Leads.xlsx"]
    assert [m["data"] for m in processes[0]["matches"]] == [{"name": "Ana"}]
    assert [f["name"] for f in document["cloud_files"]["files"]] == ["Leads.xlsx"]
    assert document["cloud_files"]["connections"][0]["provider"] == "google_drive"
    assert b"ya29-very-secret" not in response.content


def _start(member, **headers):
    return member.client.post(f"{API}/account/export/", **headers)


def test_owner_exports_the_whole_account_as_one_archive_with_progress(owner, other_owner, run_job):
    # given: data in several apps, a private upload, and another account's data
    KeywordFactory.create_batch(2, account=owner.account)
    KeywordFactory(account=other_owner.account, keyword="not ours")
    process = AgentProcessFactory(account=owner.account)
    upload = owner.client.post(
        f"{API}/datasources/",
        {
            "process_id": process.id,
            "platform": "upload",
            "upload": SimpleUploadedFile("leads.csv", b"name\nAna\n", content_type="text/csv"),
        },
        format="multipart",
    )
    assert upload.status_code == 201, upload.content
    CloudConnectionFactory(account=owner.account, access_token="ya29-very-secret")

    # when: the owner starts the export and a worker runs it
    started = _start(owner)
    task_id = started.json()["data"]["task_id"]
    waiting = owner.client.get(f"{API}/account/export/{task_id}/download/")
    job = run_job(task_id)
    polled = owner.client.get(f"{API}/jobs/{task_id}/")
    download = owner.client.get(f"{API}/account/export/{task_id}/download/")

    # then
    assert started.status_code == 201
    assert waiting.status_code == 409
    assert job.status == Job.Status.COMPLETED
    result = polled.json()["data"]["result"]
    assert polled.json()["data"]["progress"] == 100
    assert result["download"] == f"/api/v1/account/export/{task_id}/download/"
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert "attachment" in download["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert "account.json" in names
    keywords = json.loads(archive.read("data/planner/keyword.json"))
    assert sorted(k["keyword"] for k in keywords) == sorted(
        KeywordFactory._meta.model.unscoped.filter(account_id=owner.account_id).values_list(
            "keyword", flat=True
        )
    )
    assert all(k["account_id"] == owner.account_id for k in keywords)
    assert [n for n in names if n.startswith("files/")]
    uploaded = next(n for n in names if n.startswith("files/agent-uploads/"))
    assert archive.read(uploaded) == b"name\nAna\n"
    everything = b"".join(archive.read(n) for n in names)
    assert b"ya29-very-secret" not in everything
    assert b"not ours" not in everything


def test_only_the_owner_exports_and_downloads(owner, member_factory, other_owner, run_job):
    # given
    admin = member_factory(owner, Role.ADMIN)
    task_id = _start(owner).json()["data"]["task_id"]
    run_job(task_id)

    # when
    admin_start = _start(admin)
    admin_download = admin.client.get(f"{API}/account/export/{task_id}/download/")
    foreign_download = other_owner.client.get(f"{API}/account/export/{task_id}/download/")
    not_a_uuid = owner.client.get(f"{API}/account/export/123/download/")

    # then
    assert (admin_start.status_code, admin_download.status_code) == (403, 403)
    assert (foreign_download.status_code, not_a_uuid.status_code) == (404, 404)


def test_another_kind_of_job_is_not_an_export(owner, run_job):
    # given: a job of another kind in the same account
    from flowline.jobs.public import job_start

    other = job_start(kind="test.steps", account_id=owner.account_id, payload={"steps": 1})

    # when
    response = owner.client.get(f"{API}/account/export/{other.id}/download/")

    # then
    assert response.status_code == 404


def test_an_idempotency_key_starts_one_export(owner):
    # when
    first = _start(owner, HTTP_IDEMPOTENCY_KEY="export-1")
    again = _start(owner, HTTP_IDEMPOTENCY_KEY="export-1")

    # then
    assert first.json()["data"]["task_id"] == again.json()["data"]["task_id"]
    assert (
        Job.unscoped.filter(account_id=owner.account_id, kind="identity.account_export").count()
        == 1
    )


def test_an_expired_export_is_refused_then_swept_with_its_archive(owner, run_job, settings):
    # given: an export finished longer ago than archives are kept, and a fresh one
    from datetime import timedelta

    from django.utils import timezone

    from flowline.core import private_files
    from flowline.identity.tasks import sweep_account_exports

    settings.FLOWLINE_ACCOUNT_EXPORT_DAYS = 7
    old_id = _start(owner, HTTP_IDEMPOTENCY_KEY="old").json()["data"]["task_id"]
    new_id = _start(owner, HTTP_IDEMPOTENCY_KEY="new").json()["data"]["task_id"]
    old, new = run_job(old_id), run_job(new_id)
    assert old.result["expires_at"] and new.status == Job.Status.COMPLETED
    Job.unscoped.filter(id=old_id).update(finished_at=timezone.now() - timedelta(days=8))
    storage = private_files.private_storage()
    assert storage.exists(old.result["archive"])

    # when: the owner downloads the old one, then beat's sweep runs
    expired = owner.client.get(f"{API}/account/export/{old_id}/download/")
    removed = sweep_account_exports()

    # then: 410 first; then the old archive and its job are gone, the fresh one stays
    assert expired.status_code == 410 and expired.json()["code"] == "expired"
    assert removed == 1
    assert not storage.exists(old.result["archive"])
    assert not Job.unscoped.filter(id=old_id).exists()
    assert owner.client.get(f"{API}/account/export/{old_id}/download/").status_code == 404
    assert storage.exists(new.result["archive"])
    assert owner.client.get(f"{API}/account/export/{new_id}/download/").status_code == 200


def test_the_sweep_runs_on_beat_and_expires_like_the_other_entries(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["identity-sweep-account-exports"]
    assert entry["task"] == "identity.sweep_account_exports"
    assert entry["options"]["expires"] == entry["schedule"]
