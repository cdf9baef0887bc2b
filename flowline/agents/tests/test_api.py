"""Agents over HTTP: processes, data sources (one or many, bulk delete), control, config."""

import pytest

from flowline.agents.models import AgentProcess, DataSource
from flowline.agents.tests.factories import AgentProcessFactory, DataSourceFactory
from flowline.ai.tests.factories import AIAgentFactory, AIModelFactory

pytestmark = pytest.mark.django_db


def test_processes_are_created_on_the_accounts_agent_only(owner, other_owner):
    mine = AIAgentFactory(account=owner.account)
    theirs = AIAgentFactory(account=other_owner.account)
    ok = owner.client.post(
        "/api/v1/agents/processes/", {"agent": mine.id, "name": "P"}, format="json"
    )
    assert ok.status_code == 201 and ok.json()["data"]["status"] == "idle"
    refused = owner.client.post(
        "/api/v1/agents/processes/", {"agent": theirs.id, "name": "P"}, format="json"
    )
    assert refused.status_code == 400


def test_data_sources_one_or_many_listed_by_process_and_bulk_deleted(owner):
    process = AgentProcessFactory(account=owner.account)
    one = owner.client.post(
        "/api/v1/datasources/",
        {
            "process_id": process.id,
            "platform": "google_drive",
            "resource_identifier": "f1",
            "resource_name": "A.xlsx",
        },
        format="json",
    )
    many = owner.client.post(
        "/api/v1/datasources/",
        [
            {"process_id": process.id, "platform": "onedrive", "resource_identifier": "f2"},
            {"process_id": process.id, "platform": "google_drive", "resource_identifier": "f3"},
        ],
        format="json",
    )
    assert one.status_code == many.status_code == 201
    listed = owner.client.get("/api/v1/datasources/", {"process_id": process.id}).json()
    assert listed["count"] == 3
    assert owner.client.get("/api/v1/user/datasources/").json()["count"] == 3
    ids = [row["id"] for row in listed["results"][:2]]
    deleted = owner.client.delete("/api/v1/datasources/", {"ids": ids}, format="json")
    assert deleted.json()["data"] == {"deleted_count": 2}
    assert DataSource.unscoped.filter(process=process).count() == 1


def test_bulk_delete_with_another_accounts_id_deletes_nothing(owner, other_owner):
    mine = DataSourceFactory(account=owner.account)
    theirs = DataSourceFactory(account=other_owner.account)
    response = owner.client.delete(
        "/api/v1/datasources/", {"ids": [mine.id, theirs.id]}, format="json"
    )
    assert response.status_code == 404
    assert DataSource.unscoped.count() == 2


def test_a_drive_source_needs_the_files_id(owner):
    process = AgentProcessFactory(account=owner.account)
    response = owner.client.post(
        "/api/v1/datasources/",
        {"process_id": process.id, "platform": "google_drive"},
        format="json",
    )
    assert response.status_code == 400 and "resource_identifier" in response.json()["errors"]


def test_starting_without_data_sources_or_credits_is_refused(owner):
    process = AgentProcessFactory(account=owner.account)
    empty = owner.client.post(
        "/api/v1/agent/control/", {"action": "start", "agent_id": process.id}, format="json"
    )
    assert empty.status_code == 400 and empty.json()["code"] == "no_data_sources"
    DataSourceFactory.create_batch(
        51, account=owner.account, process=process
    )  # 2 credits each, 100 held
    broke = owner.client.post("/api/v1/agent/task/", {"agent_id": process.id}, format="json")
    assert broke.status_code == 402 and broke.json()["credits_needed"] == 102


def test_config_update_sets_emails_and_schedule_and_model(owner):
    process = AgentProcessFactory(account=owner.account)
    response = owner.client.post(
        "/api/v1/config/update/",
        {
            "agent_id": process.id,
            "notification_emails": ["ops@example.com"],
            "schedule": {"interval_minutes": 15},
            "execution_mode": "scheduled",
        },
        format="json",
    )
    data = response.json()["data"]
    assert data["notification_emails"] == ["ops@example.com"]
    assert data["schedule_interval_seconds"] == 900 and data["execution_mode"] == "scheduled"
    model = AIModelFactory(account=owner.account)
    assert (
        owner.client.post(
            "/api/v1/agent/config/", {"agent_id": process.id, "model": model.id}, format="json"
        ).status_code
        == 200
    )
    assert AgentProcess.unscoped.get(id=process.id).agent.model_id == model.id
    emails = owner.client.post(
        "/api/v1/config/connection-emails/",
        {"agent_id": process.id, "emails": ["a@example.com"]},
        format="json",
    )
    assert emails.json()["data"]["emails"] == ["a@example.com"]


def test_another_accounts_process_is_404_on_every_agent_route(owner, other_owner):
    theirs = AgentProcessFactory(account=other_owner.account)
    for method, path, body in [
        ("get", "/api/v1/agent/status/", {"agent_id": theirs.id}),
        ("get", "/api/v1/agent/matches/", {"agent_id": theirs.id}),
        ("get", "/api/v1/config/update/", {"agent_id": theirs.id}),
        ("post", "/api/v1/agent/control/", {"agent_id": theirs.id, "action": "start"}),
        ("post", "/api/v1/agent/task/", {"agent_id": theirs.id}),
    ]:
        kwargs = {"format": "json"} if method == "post" else {}
        assert getattr(owner.client, method)(path, body, **kwargs).status_code == 404, path


def test_an_unknown_control_action_is_400(owner):
    process = AgentProcessFactory(account=owner.account)
    response = owner.client.post(
        "/api/v1/agent/control/", {"agent_id": process.id, "action": "explode"}, format="json"
    )
    assert response.status_code == 400


def test_stop_ends_a_queued_run_cleanly(owner, django_capture_on_commit_callbacks):
    from flowline.agents.models import AgentRun, RunFile
    from flowline.jobs import public as jobs

    process = AgentProcessFactory(account=owner.account)
    DataSourceFactory(account=owner.account, process=process)
    with django_capture_on_commit_callbacks(execute=False):
        started = owner.client.post("/api/v1/agent/task/", {"agent_id": process.id}, format="json")
    assert started.status_code == 201
    stopped = owner.client.post(
        "/api/v1/agent/control/", {"agent_id": process.id, "action": "stop"}, format="json"
    )
    assert stopped.json()["data"]["status"] == "stopped"
    run = AgentRun.unscoped.get(process=process)
    assert run.status == "stopped"
    # the queued job, when a worker gets to it, does nothing
    assert jobs.run(run.job_id) == "completed"
    run.refresh_from_db()
    assert run.status == "stopped"
    assert not RunFile.unscoped.filter(run=run).exists()
