"""A scheduled process runs on its schedule, counting down to the second."""

import time
from itertools import pairwise

import httpx
import pytest
import socketio
from django.core.files.base import ContentFile

from flowline.agents.models import AgentRun, DataSource
from flowline.agents.tests.factories import AgentProcessFactory
from flowline.realtime.testing import EventRecorder, live_asgi_server

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_scheduled_process_counts_down_each_second_and_runs_at_zero(owner):
    # given: a process reading an uploaded CSV, with the offline model
    process = AgentProcessFactory(
        account=owner.account, agent__instructions="Find the yoga teachers", agent__model=None
    )
    source = DataSource(
        account=owner.account, process=process, platform="upload", resource_name="people.csv"
    )
    source.upload.save(
        "people.csv", ContentFile(b"name,job\nAna,yoga teacher\nRui,baker\n"), save=True
    )
    token = owner.client._credentials["HTTP_AUTHORIZATION"].split(" ", 1)[1]
    with live_asgi_server() as base_url:
        http = httpx.Client(
            base_url=f"{base_url}/api/v1", headers={"Authorization": f"Bearer {token}"}
        )
        events = EventRecorder()
        client = socketio.Client(reconnection=False)
        stamps: list[tuple[float, int]] = []

        def on_countdown(data):
            stamps.append((time.monotonic(), data["remaining_seconds"]))
            events.record("agent_countdown")(data)

        client.on("agent_countdown", on_countdown)
        client.on("pipeline_update", events.record("pipeline_update"))
        client.connect(
            base_url,
            socketio_path="api/socket.io",
            auth={"token": token},
            transports=["websocket"],
            wait_timeout=10,
        )
        try:
            assert client.call("join", {"room": f"agent_{process.id}"}, timeout=5)["ok"]
            # when: every 4 seconds, started in scheduled mode
            response = http.post(
                "/config/update/",
                json={"agent_id": process.id, "schedule": {"interval_seconds": 4}},
            )
            assert response.status_code == 200
            started = http.post(
                "/agent/control/",
                json={"action": "start", "agent_id": process.id, "execution_mode": "scheduled"},
            )
            assert started.status_code == 200
            assert started.json()["data"]["next_run_at"] is not None
            # then: the countdown ticks down second by second, and the run starts at zero
            events.wait_for(
                lambda n, d: n == "pipeline_update" and d["status"] == "completed", timeout=20
            )
            before_run = [remaining for _, remaining in stamps][:4]
            assert before_run == sorted(before_run, reverse=True)
            assert all(a - b == 1 for a, b in pairwise(before_run))
            gaps = [b[0] - a[0] for a, b in pairwise(stamps[:4])]
            assert all(0.5 < gap < 1.5 for gap in gaps), gaps
            run = AgentRun.unscoped.get(process=process)
            assert run.trigger == "scheduled" and run.status == "completed"
            assert http.get("/agent/matches/", params={"agent_id": process.id}).json()["count"] == 1
        finally:
            client.disconnect()
            http.close()
