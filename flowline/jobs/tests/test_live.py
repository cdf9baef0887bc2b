"""Jobs end to end: a real server with its embedded worker, HTTP polling and a Socket.IO
client watching `task_update` events."""

import time

import httpx
import pytest
import redis

from flowline.jobs import services
from flowline.jobs.models import Job
from flowline.jobs.testing import gates
from flowline.realtime.testing import (
    connect_client,
    live_asgi_server,
    member_token,
    realtime_redis,  # noqa: F401
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _watch(base_url: str, token: str, *, join=()):
    return connect_client(base_url, auth={"token": token}, join=join, events=("task_update",))


def _start(owner, kind="test.steps", payload=None):
    return services.job_start(
        kind=kind, account_id=owner.account_id, user_id=owner.user.id, payload=payload or {}
    )


def test_job_progress_reaches_socket_clients_and_the_progress_endpoint(owner):
    with live_asgi_server() as base_url:
        client, events = _watch(base_url, member_token(owner))
        http = httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {member_token(owner)}"}
        )
        try:
            # given: a job that waits for us before each of its 4 steps
            job = _start(owner, payload={"steps": 4, "gated": True})
            progress_url = f"/api/v1/system/settings/task_progress/{job.id}/"
            events.wait_for(lambda n, d: d["id"] == str(job.id) and d["status"] == "processing")
            assert http.get(progress_url).json()["data"]["state"] == "PROGRESS"

            # when: it takes its steps
            for step in (1, 2, 3, 4):
                gates[str(job.id)].release()
                events.wait_for(
                    lambda n, d, s=step: d["id"] == str(job.id) and d["progress"] >= s * 25
                )

            # then: completed, with rising percentages, on the socket and over HTTP
            events.wait_for(lambda n, d: d["id"] == str(job.id) and d["status"] == "completed")
            seen = [d["progress"] for d in events.of("task_update") if d["id"] == str(job.id)]
            assert seen == sorted(seen) and seen[-1] == 100
            ids = [
                d["event_id"]
                for d in events.of("task_update")
                if d["room"] == f"user_{owner.user.id}"
            ]
            assert ids == sorted(ids) and len(set(ids)) == len(ids)
            body = http.get(progress_url).json()["data"]
            assert body["state"] == "SUCCESS" and body["meta"]["percentage"] == 100
            detail = http.get(f"/api/v1/jobs/{job.id}/").json()["data"]
            assert detail["status"] == "completed" and detail["result"] == {"steps": 4}
        finally:
            client.disconnect()
            http.close()


def test_cancel_mid_run_and_a_failing_provider(owner):
    with live_asgi_server() as base_url:
        client, events = _watch(base_url, member_token(owner))
        http = httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {member_token(owner)}"}
        )
        try:
            # given: a running job, one step done
            job = _start(owner, payload={"steps": 3, "gated": True})
            gates[str(job.id)].release()
            events.wait_for(lambda n, d: d["id"] == str(job.id) and d["progress"] > 0)
            # when: cancelled over HTTP, then allowed its next step
            response = http.post(f"/api/v1/jobs/{job.id}/cancel/")
            assert response.status_code == 200
            gates[str(job.id)].release()
            # then
            events.wait_for(lambda n, d: d["id"] == str(job.id) and d["status"] == "cancelled")
            assert (
                http.get(f"/api/v1/system/settings/task_progress/{job.id}/").json()["data"]["state"]
                == "REVOKED"
            )

            # and a job whose provider rejects the key fails with a clear error
            broken = _start(owner, kind="test.broken")
            _, data = events.wait_for(
                lambda n, d: d["id"] == str(broken.id) and d["status"] == "failed"
            )
            assert data["error"] == "The provider rejected the API key."
            assert data["error_code"] == "bad_key"
        finally:
            client.disconnect()
            http.close()


def test_a_job_queued_while_no_worker_runs_completes_when_one_starts(owner):
    # given: a job queued while the server (and its worker) is down
    job = _start(owner, payload={"steps": 2})
    assert Job.unscoped.get(id=job.id).status == Job.Status.QUEUED
    # when: Flowline starts
    with live_asgi_server() as base_url:
        client, events = _watch(base_url, member_token(owner))
        try:
            # then: the startup recovery runs it
            if Job.unscoped.get(id=job.id).status != Job.Status.COMPLETED:
                events.wait_for(lambda n, d: d["id"] == str(job.id) and d["status"] == "completed")
        finally:
            client.disconnect()
    assert Job.unscoped.get(id=job.id).status == Job.Status.COMPLETED


def test_a_client_in_a_job_room_receives_that_jobs_updates(owner):
    with live_asgi_server() as base_url:
        # given: two jobs waiting on us, and a client in the first one's room only
        job = _start(owner, payload={"steps": 1, "gated": True})
        other = _start(owner, payload={"steps": 1, "gated": True})
        room = f"job_{job.id}"
        client, events = _watch(base_url, member_token(owner), join=(room,))
        try:
            # when: both run to their end
            gates[str(other.id)].release()
            gates[str(job.id)].release()
            # then: the job's room carries its updates up to the final one, and nothing else
            events.wait_for(lambda n, d: d["room"] == room and d["status"] == "completed")
            events.wait_for(lambda n, d: d["id"] == str(other.id) and d["status"] == "completed")
            in_room = [d for d in events.of("task_update") if d["room"] == room]
            assert {d["id"] for d in in_room} == {str(job.id)}
            ids = [d["event_id"] for d in in_room]
            assert ids == sorted(ids)
        finally:
            client.disconnect()


def _status_becomes(job, status, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while Job.unscoped.get(id=job.id).status != status:  # another thread's progress
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_job_that_ends_while_redis_is_paused_is_not_held_up_and_its_end_is_not_lost(
    owner,
    realtime_redis,  # noqa: F811
):
    with live_asgi_server() as base_url:
        # given: a client in a running job's room
        job = _start(owner, payload={"steps": 1, "gated": True})
        room = f"job_{job.id}"
        client, events = _watch(base_url, member_token(owner), join=(room,))
        try:
            _, seen = events.wait_for(lambda n, d: d["room"] == room)
            # when: Redis stops answering while the job ends
            realtime_redis.pause(10)
            gates[str(job.id)].release()
            # then: the job does not wait for Redis to report its progress and end
            assert _status_becomes(job, Job.Status.COMPLETED, timeout=6), "held up by Redis"
            redis.Redis.from_url(realtime_redis.url, socket_timeout=30).ping()  # pause over
            # and a client that asks for what it missed gets the job's final state
            answer = client.call("replay", {"room": room, "last_event_id": seen["event_id"]})
            assert answer["ok"] and answer["replayed"] >= 1
            _, final = events.wait_for(
                lambda n, d: d["room"] == room and d["status"] == "completed"
            )
            assert final["result"] == {"steps": 1} and final["progress"] == 100
        finally:
            client.disconnect()
