"""A scheduled process runs on its schedule, counting down to the second."""

import time
from datetime import timedelta
from itertools import pairwise

import httpx
import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from flowline.agents.models import AgentProcess, AgentRun, DataSource
from flowline.agents.services.processes import schedule_tick
from flowline.agents.tests.factories import AgentProcessFactory
from flowline.realtime.buffer import event_buffer
from flowline.realtime.testing import connect_client, live_asgi_server, member_token

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
    token = member_token(owner)
    with live_asgi_server() as base_url:
        http = httpx.Client(
            base_url=f"{base_url}/api/v1", headers={"Authorization": f"Bearer {token}"}
        )
        client, events = connect_client(
            base_url,
            auth={"token": token},
            events=("pipeline_update",),
            join=(f"agent_{process.id}",),
        )
        stamps: list[tuple[float, int]] = []

        def on_countdown(data):
            stamps.append((time.monotonic(), data["remaining_seconds"]))
            events.record("agent_countdown")(data)

        client.on("agent_countdown", on_countdown)  # the countdown starts with the agent
        try:
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
            # (the tick's arithmetic is pinned with explicit clocks below; here, that the
            # events reach a browser and count down, whatever the machine's load)
            before_run = [remaining for _, remaining in stamps][:3]
            assert len(before_run) == 3 and before_run[0] <= 4
            assert all(a >= b for a, b in pairwise(before_run)), before_run
            assert before_run[-1] < before_run[0], before_run
            run = AgentRun.unscoped.get(process=process)
            assert run.trigger == "scheduled" and run.status == "completed"
            assert http.get("/agent/matches/", params={"agent_id": process.id}).json()["count"] == 1
        finally:
            client.disconnect()
            http.close()


def _last_event_id(process) -> int:
    events = event_buffer().since(f"agent_{process.id}", 0)
    return events[-1][0] if events else 0


def _countdowns(process, after: int) -> list[int]:
    return [
        data["remaining_seconds"]
        for _, event, data in event_buffer().since(f"agent_{process.id}", after)
        if event == "agent_countdown"
    ]


@pytest.mark.django_db(transaction=False)
def test_each_tick_tells_the_seconds_left_and_the_run_starts_once_at_zero(owner):
    # given: a process armed to run every 4 seconds, from t0
    process = AgentProcessFactory(
        account=owner.account, agent__instructions="Summarise", agent__model=None
    )
    source = DataSource(
        account=owner.account, process=process, platform="upload", resource_name="notes.csv"
    )
    source.upload.save("notes.csv", ContentFile(b"note\nhello\n"), save=True)
    t0 = timezone.now()
    AgentProcess.unscoped.filter(id=process.id).update(
        execution_mode=AgentProcess.Mode.SCHEDULED,
        status=AgentProcess.Status.ACTIVE,
        schedule_interval_seconds=4,
        next_run_at=t0 + timedelta(seconds=4),
    )

    # when: the scheduler ticks each second, two nodes ticking at the run's second
    seen = _last_event_id(process)
    started = [
        schedule_tick(now=t0 + timedelta(seconds=second, milliseconds=100))
        for second in (0, 1, 2, 3)
    ]
    at_zero = t0 + timedelta(seconds=4)
    started += [schedule_tick(now=at_zero), schedule_tick(now=at_zero)]

    # then: 4, 3, 2, 1 seconds left, one run at zero, and the next countdown from 4
    assert _countdowns(process, seen) == [4, 3, 2, 1, 4, 4]
    assert started == [0, 0, 0, 0, 1, 0]
    assert AgentRun.unscoped.filter(process=process, trigger="scheduled").count() == 1
