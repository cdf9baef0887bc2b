"""Agents in the console: create a process, configure it, add data sources, start it and
follow its run live (resuming after a reload), read and download its matches; over HTTP
and in Chromium."""

import csv
import io
import json
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from flowline.agents import events
from flowline.agents.models import AgentMatch, AgentProcess, AgentRun, DataSource, RunFile
from flowline.agents.tests.factories import AgentProcessFactory, DataSourceFactory
from flowline.ai.testing.fixtures import use_fake_openai
from flowline.core.testing.pages import CSRF, page_client
from flowline.drives.testing.fixtures import connect_google_drive
from flowline.realtime import rooms

# How long a live step may take on a busy machine (the run is held by the test, not timed).
LIVE = 30_000
CITIES = ["Lisbon", "Porto", "Faro"]
INTERESTS = ["yoga", "running", "surf"]


def _leads_csv(count: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Name", "City", "Interest", "Phone"])
    for n in range(count):
        writer.writerow([f"Lead {n}", CITIES[n % 3], INTERESTS[n % 3], f"+3519110{n:05d}"])
    return out.getvalue().encode()


@pytest.mark.django_db
def test_a_process_is_created_configured_and_given_an_uploaded_file(owner):
    client = page_client(owner)

    # when: they create a process with its instructions
    answer = client.post(
        "/agents/new/",
        {"csrf_token": CSRF, "name": "Lisbon yoga", "instructions": "Find Lisbon yoga fans."},
    )
    # then: the process and its agent exist, and its page opens
    process = AgentProcess.unscoped.get(account_id=owner.account_id)
    assert answer.status_code == 302 and answer["Location"] == f"/agents/{process.id}/"
    assert process.agent.instructions == "Find Lisbon yoga fans."

    # when: they schedule it and give e-mails
    url = f"/agents/{process.id}/"
    saved = client.post(
        url,
        {
            "csrf_token": CSRF,
            "action": "configure",
            "execution_mode": "scheduled",
            "interval_minutes": "15",
            "notification_emails": "ana@example.com, ops@example.com",
            "connection_emails": "it@example.com",
        },
    )
    assert saved.status_code == 302
    process.refresh_from_db()
    assert process.execution_mode == "scheduled"
    assert process.schedule_interval_seconds == 900
    assert process.notification_emails == ["ana@example.com", "ops@example.com"]
    assert process.connection_emails == ["it@example.com"]

    # when: they upload a CSV
    upload = SimpleUploadedFile("leads.csv", _leads_csv(3), content_type="text/csv")
    added = client.post(url, {"csrf_token": CSRF, "action": "upload", "upload": upload})
    # then: it is the process's private uploaded source, named as the file was
    assert added.status_code == 302
    source = DataSource.unscoped.get(process=process)
    assert (source.platform, source.resource_name) == ("upload", "leads.csv")
    page = client.get(url).content.decode()
    assert "leads.csv" in page and 'data-room="agent_' in page


@pytest.mark.django_db
def test_a_file_is_picked_from_a_folder_of_the_connected_drive(owner, fake_google_drive):
    # given: a connected Google Drive with a folder holding a CSV
    folder = fake_google_drive.add_folder("Leads")
    file_id = fake_google_drive.add_file("march.csv", _leads_csv(2), "text/csv", parent=folder)
    connect_google_drive(owner, fake_google_drive)
    process = AgentProcessFactory(account=owner.account)
    client = page_client(owner)
    url = f"/agents/{process.id}/"

    # when: they open the drive, then the folder
    top = client.get(url, {"drive": "google_drive"}).content.decode()
    inside = client.get(url, {"drive": "google_drive", "folder": folder}).content.decode()
    # then: the folder is listed, then its file with an Add button
    assert "Leads" in top and "march.csv" not in top
    assert 'aria-label="Add march.csv"' in inside

    # when: they add it
    picked = client.post(
        url,
        {
            "csrf_token": CSRF,
            "action": "pick",
            "platform": "google_drive",
            "file_id": file_id,
            "file_name": "march.csv",
        },
    )
    # then: the drive's file is a data source read with their connection
    assert picked.status_code == 302
    source = DataSource.unscoped.get(process=process)
    assert (source.platform, source.resource_identifier, source.owner_id) == (
        "google_drive",
        file_id,
        owner.user.id,
    )


@pytest.mark.django_db
def test_an_unconnected_drive_offers_to_connect(owner):
    process = AgentProcessFactory(account=owner.account)
    page = page_client(owner).get(f"/agents/{process.id}/", {"drive": "onedrive"})
    assert b"OneDrive is not connected." in page.content
    assert b'data-connect-drive="onedrive"' in page.content


@pytest.mark.django_db
def test_a_bad_email_and_a_refused_file_show_the_apis_words(owner):
    process = AgentProcessFactory(account=owner.account)
    client = page_client(owner)
    url = f"/agents/{process.id}/"
    refused = client.post(
        url,
        {
            "csrf_token": CSRF,
            "action": "configure",
            "execution_mode": "manual",
            "notification_emails": "not-an-address",
        },
    )
    assert refused.status_code == 400
    assert b'id="agent-refused"' in refused.content
    fake = SimpleUploadedFile("leads.csv", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    refused = client.post(url, {"csrf_token": CSRF, "action": "upload", "upload": fake})
    assert refused.status_code in (400, 415)
    assert not DataSource.unscoped.filter(process=process).exists()


@pytest.mark.django_db
def test_starting_without_a_data_source_is_refused_with_the_apis_words(owner):
    process = AgentProcessFactory(account=owner.account)
    answer = page_client(owner).post(
        f"/agents/{process.id}/", {"csrf_token": CSRF, "action": "start"}
    )
    assert answer.status_code == 400
    assert b"Add a data source before running the agent." in answer.content


@pytest.mark.django_db
def test_another_accounts_process_and_matches_are_not_found(owner, other_owner):
    theirs = AgentProcessFactory(account=other_owner.account, name="Their secret process")
    client = page_client(owner)
    assert client.get(f"/agents/{theirs.id}/").status_code == 404
    assert client.get(f"/agents/{theirs.id}/matches.csv").status_code == 404
    refused = client.post(f"/agents/{theirs.id}/", {"csrf_token": CSRF, "action": "stop"})
    assert refused.status_code == 404
    listed = client.get("/agents/").content.decode()
    assert "Their secret process" not in listed


@pytest.mark.django_db
def test_matches_download_as_csv_with_a_column_per_field(owner):
    source = DataSourceFactory(account=owner.account, resource_name="leads.csv")
    process = source.process
    run = AgentRun.unscoped.create(account=owner.account, process=process, status="completed")
    run_file = RunFile.unscoped.create(
        account=owner.account, run=run, data_source=source, filename="leads.csv"
    )
    for index, data in [(0, {"name": "Ana", "phone": "+351 1"}), (4, {"name": "Eva"})]:
        AgentMatch.unscoped.create(
            account=owner.account,
            process=process,
            run=run,
            run_file=run_file,
            data=data,
            evidence="Lisbon, yoga",
            source_index=index,
        )
    answer = page_client(owner).get(f"/agents/{process.id}/matches.csv")
    assert answer.status_code == 200
    assert answer["Content-Disposition"] == f'attachment; filename="agent-{process.id}-matches.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode())))
    assert rows[0] == ["file", "row", "name", "phone", "evidence", "found_at"]
    assert [row[:5] for row in rows[1:]] == [
        ["leads.csv", "1", "Ana", "+351 1", "Lisbon, yoga"],
        ["leads.csv", "5", "Eva", "", "Lisbon, yoga"],
    ]


@pytest.mark.django_db
def test_the_agent_room_restates_the_process_and_its_latest_run_on_join(owner):
    # given: a paused scheduled process whose run stopped at the transform stage
    process = AgentProcessFactory(
        account=owner.account, status="active", execution_mode="scheduled"
    )
    from django.utils import timezone

    process.next_run_at = timezone.now() + timezone.timedelta(seconds=90)
    process.save()
    run = AgentRun.unscoped.create(
        account=owner.account,
        process=process,
        status="paused",
        stage="transform",
        pipeline={"load": {"rows": 3}},
    )
    # when: a client joins the room (or asks for a replay)
    state = dict(rooms.snapshot(events.room(process.id)))
    # then: it is told the status, the run's pipeline and the seconds left
    assert state["agent_status"]["status"] == "active"
    assert state["pipeline_update"] == {
        "process_id": str(process.id),
        "run_id": run.id,
        "stage": "transform",
        "status": "paused",
        "pipeline": {"load": {"rows": 3}},
    }
    assert 85 <= state["agent_countdown"]["remaining_seconds"] <= 90
    assert rooms.snapshot("agent_999999") == []


def _held_model(first_batch_seen: threading.Event, release: threading.Event):
    """A model that answers the first batch at once and holds the second until released."""
    calls = []

    def answer(body: dict) -> str:
        calls.append(body)
        batch = len(calls)
        if batch == 2:
            first_batch_seen.set()
            assert release.wait(30), "the test never released the second batch"
        matches = []
        for line in body["messages"][-1]["content"].splitlines():
            if line.startswith('{"row"'):
                item = json.loads(line)
                if item["data"]["City"] == "Lisbon" and item["data"]["Interest"] == "yoga":
                    matches.append(
                        {
                            "row": item["row"],
                            "reason": "Lives in Lisbon and likes yoga.",
                            "fields": {"name": item["data"]["Name"]},
                        }
                    )
        return f"Reading batch {batch}. Checking each lead's city and interest. " + json.dumps(
            {"matches": matches}
        )

    return answer


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_agent_on_an_uploaded_csv_is_followed_live_and_resumes_after_a_reload(
    console, owner, fake_openai, tmp_path
):
    # given: the account's model is the local fake, which holds the second batch of rows
    use_fake_openai(owner.account_id, fake_openai)
    second_batch_asked, release = threading.Event(), threading.Event()
    fake_openai.responder = _held_model(second_batch_asked, release)
    leads = tmp_path / "leads.csv"
    leads.write_bytes(_leads_csv(60))  # 60 rows: two batches of the model's 40
    console.sign_in(owner)
    page = console.page

    try:
        # when: they create a process and upload the CSV
        console.go("/agents/")
        page.get_by_role("link", name="New process").first.click()
        page.get_by_label("Name").fill("Lisbon yoga leads")
        page.get_by_label("Instructions").fill("Find the leads in Lisbon who like yoga.")
        page.get_by_role("button", name="Create process").click()
        expect(page.get_by_role("heading", name="Lisbon yoga leads")).to_be_visible()
        page.get_by_label("Upload a file").set_input_files(str(leads))
        page.get_by_role("button", name="Upload", exact=True).click()
        expect(page.locator("#agent-sources")).to_contain_text("leads.csv")

        # when: they start it
        page.get_by_role("button", name="Start").click()
        # then: the stages move live to the transform, and the first batch's thoughts stream in
        transform = page.locator('#agent-stages [data-stage="transform"]')
        expect(transform).to_have_attribute("data-state", "active", timeout=LIVE)
        expect(page.locator('#agent-stages [data-stage="load"]')).to_contain_text(
            "60 rows", timeout=LIVE
        )
        stream = page.locator("#agent-stream li")
        expect(page.locator("#agent-stream")).to_contain_text("Reading batch 1.", timeout=LIVE)
        expect(page.locator("#agent-stream")).to_contain_text("Loaded 60 rows", timeout=LIVE)
        expect(page.locator("#agent-tasks")).to_contain_text("leads.csv", timeout=LIVE)
        assert second_batch_asked.wait(30)
        # the first batch's answer has streamed to its end (its last match is row 39)
        expect(page.locator("#agent-stream")).to_contain_text('"Lead 39"}}]}', timeout=LIVE)
        console.shot("agents-run-live")
        before = stream.all_inner_texts()

        # when: they reload the page while the model holds the second batch
        page.reload()
        # then: the run is shown where it was, with the same stream, nothing twice
        expect(transform).to_have_attribute("data-state", "active", timeout=LIVE)
        expect(stream).to_have_count(len(before), timeout=LIVE)
        assert stream.all_inner_texts() == before

        # when: the model answers the second batch
        release.set()
        # then: what happened after the reload arrives once, and the run ends
        expect(page.locator("#agent-stream")).to_contain_text("Reading batch 2.", timeout=LIVE)
        expect(page.locator("#agent-stream")).to_contain_text(
            "Found 20 matches in leads.csv", timeout=LIVE
        )
        expect(page.locator('#agent-stages [data-stage="done"]')).to_have_attribute(
            "data-state", "done", timeout=LIVE
        )
        expect(page.locator("#agent-run-status")).to_have_text("Completed", timeout=LIVE)
        expect(page.locator("#agent-tasks [data-job]")).to_have_attribute(
            "data-status", "completed", timeout=LIVE
        )
        texts = stream.all_inner_texts()
        assert texts[: len(before)] == before
        ids = stream.evaluate_all("items => items.map(item => item.dataset.eventId)")
        assert len(ids) == len(set(ids)), f"an event was shown twice: {texts}"
        assert sum("Reading batch 2." in text for text in texts) == 1

        # then: the matches appear with their evidence, and download as CSV
        expect(page.locator("#agent-matches")).to_contain_text("(20)", timeout=LIVE)
        expect(page.locator("#agent-matches")).to_contain_text("Lives in Lisbon and likes yoga.")
        expect(page.locator("#agent-controls")).to_contain_text("Idle", timeout=LIVE)
        console.shot("agents-run-done")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download CSV").click()
        with open(download.value.path(), encoding="utf-8") as downloaded:
            rows = list(csv.reader(downloaded))
        assert rows[0][:3] == ["file", "row", "name"] and len(rows) == 21
        console.go("/agents/")
        expect(page.get_by_role("link", name="Lisbon yoga leads")).to_be_visible()
        console.shot("agents-list", full_page=False)
    finally:
        release.set()
