"""The 004 story over HTTP and Socket.IO: an agent finds leads in an XLSX on Google Drive."""

import json
import re
import threading

import httpx
import pytest

from flowline.agents.models import AgentRun, RunFile
from flowline.ai.testing.fixtures import use_fake_openai
from flowline.drives.testing.fixtures import connect_google_drive
from flowline.realtime.testing import connect_client, live_asgi_server, member_token
from flowline.sandbox.drives.sheets import xlsx

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LEADS = [
    ["Name", "City", "Interest", "Phone"],
    ["Ana Costa", "Lisbon", "yoga", "+351911000001"],
    ["Bruno Dias", "Porto", "running", "+351911000002"],
    ["Carla Reis", "Lisbon", "yoga retreats", "+351911000003"],
    ["Duarte Lima", "Faro", "surf", "+351911000004"],
]
MORE = [["Name", "City", "Interest", "Phone"], ["Eva Melo", "Lisbon", "yoga", "+351911000005"]]


def _model_answer(body: dict) -> str:
    """A model that reads the rows it was given and picks the Lisbon yoga fans."""
    prompt = body["messages"][-1]["content"]
    matches = []
    for line in prompt.splitlines():
        if line.startswith('{"row"'):
            item = json.loads(line)
            data = item["data"]
            if data.get("City") == "Lisbon" and "yoga" in data.get("Interest", ""):
                matches.append(
                    {
                        "row": item["row"],
                        "reason": "Lives in Lisbon and likes yoga.",
                        "fields": {"name": data["Name"], "phone": data["Phone"]},
                    }
                )
    return "Looking at each lead's city and interest. Lisbon and yoga both matter. " + json.dumps(
        {"matches": matches}
    )


def _downloads(fake, file_id: str) -> int:
    return sum(
        1 for r in fake.requests if f"/files/{file_id}" in r["path"] and "alt=media" in r["path"]
    )


def test_an_agent_finds_leads_on_google_drive_live_with_pause_and_resume(
    owner, fake_openai, fake_google_drive
):
    # given: the fake model, a Google Drive with two lead files, and the owner connected to it
    use_fake_openai(owner.account_id, fake_openai)
    gate = threading.Event()

    def slow_first_answer(body):
        gate.wait(20)  # the first answer waits until the test has asked for a pause
        return _model_answer(body)

    fake_openai.responder = slow_first_answer
    leads_id = fake_google_drive.add_file(
        "Leads.xlsx",
        xlsx(LEADS),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    more_id = fake_google_drive.add_file(
        "More leads.xlsx",
        xlsx(MORE),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    connect_google_drive(owner, fake_google_drive)
    token = member_token(owner)

    with live_asgi_server() as base_url:
        http = httpx.Client(
            base_url=f"{base_url}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=20
        )
        client, events = connect_client(
            base_url,
            auth={"token": token},
            events=("pipeline_update", "agent_action", "agent_status", "task_update"),
        )
        try:
            # create an agent, a process, and two data sources in one request
            agent = http.post(
                "/automations/ai-agents/",
                json={
                    "name": "Lead finder",
                    "instructions": (
                        "Find the leads who live in Lisbon and are interested in yoga, "
                        "with their phone numbers."
                    ),
                },
            ).json()["data"]
            process = http.post(
                "/agents/processes/", json={"agent": agent["id"], "name": "Lisbon yoga leads"}
            ).json()["data"]
            created = http.post(
                "/datasources/",
                json=[
                    {
                        "process_id": process["id"],
                        "platform": "google_drive",
                        "resource_identifier": leads_id,
                        "resource_name": "Leads.xlsx",
                    },
                    {
                        "process_id": process["id"],
                        "platform": "google_drive",
                        "resource_identifier": more_id,
                        "resource_name": "More leads.xlsx",
                    },
                ],
            )
            assert created.status_code == 201, created.text
            listed = http.get("/datasources/", params={"process_id": process["id"]}).json()
            assert listed["count"] == 2
            joined = client.call("join", {"room": f"agent_{process['id']}"}, timeout=5)
            assert joined["ok"] is True

            # start it and watch the pipeline reach the transform stage of the first file
            assert (
                http.post(
                    "/agent/control/",
                    json={"action": "start", "agent_id": process["id"], "execution_mode": "manual"},
                ).status_code
                == 200
            )
            events.wait_for(lambda n, d: n == "pipeline_update" and d["stage"] == "transform")
            events.wait_for(lambda n, d: n == "agent_status" and d["status"] == "active")

            # pause while the model is thinking; the first file finishes, the run stops there
            assert (
                http.post(
                    "/agent/control/", json={"action": "pause", "agent_id": process["id"]}
                ).status_code
                == 200
            )
            gate.set()
            events.wait_for(lambda n, d: n == "pipeline_update" and d["status"] == "paused")
            run = AgentRun.unscoped.get(process_id=process["id"])
            files = dict(RunFile.unscoped.filter(run=run).values_list("filename", "status"))
            assert files == {"Leads.xlsx": "completed"}
            assert (
                http.get("/agent/status/", params={"agent_id": process["id"]}).json()["data"][
                    "status"
                ]
                == "paused"
            )

            # resume: the finished file is not read again, the second one is processed
            downloads_before = _downloads(fake_google_drive, leads_id)
            assert (
                http.post(
                    "/agent/control/", json={"action": "start", "agent_id": process["id"]}
                ).status_code
                == 200
            )
            events.wait_for(
                lambda n, d: n == "pipeline_update" and d["status"] == "completed", timeout=30
            )
            assert _downloads(fake_google_drive, leads_id) == downloads_before

            # thoughts streamed, actions reported, each file a task with its name
            thoughts = [
                d["content"]
                for n, d in events.events
                if n == "agent_action" and d["type"] == "thought"
            ]
            actions = [
                d["content"]
                for n, d in events.events
                if n == "agent_action" and d["type"] == "action"
            ]
            assert any("Lisbon" in t for t in thoughts)
            assert any(a.startswith("Found 2 matches in Leads.xlsx") for a in actions)
            file_tasks = {
                d["filename"]
                for n, d in events.events
                if n == "task_update" and d["kind"] == "agent.process_file"
            }
            assert file_tasks == {"Leads.xlsx", "More leads.xlsx"}
            stages = [d["stage"] for n, d in events.events if n == "pipeline_update"]
            assert {"extract", "load", "transform", "done"} <= set(stages)

            # the matches, with their evidence
            matches = http.get("/agent/matches/", params={"agent_id": process["id"]}).json()
            found = sorted((m["data"]["name"], m["data"]["phone"]) for m in matches["results"])
            assert found == [
                ("Ana Costa", "+351911000001"),
                ("Carla Reis", "+351911000003"),
                ("Eva Melo", "+351911000005"),
            ]
            assert all(re.search("Lisbon", m["evidence"]) for m in matches["results"])
            task = http.get(f"/agent/task/{run.job_id}/").json()["data"]
            assert task["status"] == "completed" and task["progress"] == 100
        finally:
            client.disconnect()
            http.close()
