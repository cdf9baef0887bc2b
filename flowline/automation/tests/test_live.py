"""A live automation run over HTTP and Socket.IO: paused by the member mid-run, resumed,
and finished without doing anything twice."""

import threading

import httpx
import pytest

from flowline.automation import events as automation_events
from flowline.integration.testing.fixtures import connect_wordpress
from flowline.realtime.testing import connect_client, live_asgi_server, member_token
from flowline.writer.models import Content

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_live_run_pauses_where_asked_and_resumes_to_wordpress(
    owner, sector, two_tasks, fake_wordpress, monkeypatch
):
    # given: the site on WordPress; the worker holds after its first article until the
    # member has pressed pause (so the pause lands mid-run, not by luck)
    connect_wordpress(sector.site, fake_wordpress)
    pressed = threading.Event()
    original = automation_events.pipeline_update

    def hold_after_first_article(run, message=""):
        original(run, message)
        if message.startswith("Article written") and run.progress["content"]["done"] == 1:
            pressed.wait(20)

    monkeypatch.setattr(automation_events, "pipeline_update", hold_after_first_article)
    token = member_token(owner)
    site_id = sector.site_id

    with live_asgi_server() as base_url:
        http = httpx.Client(
            base_url=f"{base_url}/api/v1/automation",
            headers={"Authorization": f"Bearer {token}"},
            timeout=20,
        )
        client, events = connect_client(
            base_url, auth={"token": token}, events=("pipeline_update", "task_update")
        )
        try:
            # when: run now, and pause once the first article is written
            config = http.patch(f"/update_config/?site_id={site_id}", json={"images_per_run": 2})
            assert config.status_code == 200, config.text
            started = http.post(f"/run_now/?site_id={site_id}")
            assert started.status_code == 201, started.text
            run_id = started.json()["data"]["id"]
            events.wait_for(
                lambda n, d: n == "pipeline_update" and d["message"].startswith("Article written")
            )
            paused = http.post("/pause/", json={"run_id": run_id})
            assert paused.status_code == 200
            pressed.set()
            events.wait_for(lambda n, d: n == "pipeline_update" and d["status"] == "paused")

            # then: it stopped in the content stage with one article
            current = http.get("/current_run/", params={"site_id": site_id}).json()["data"]
            assert current["status"] == "paused" and current["stage"] == "content"
            assert current["progress"]["content"]["done"] == 1
            assert http.post(f"/run_now/?site_id={site_id}").status_code == 409

            # when: resumed
            assert http.post("/resume/", json={"run_id": run_id}).status_code == 200
            events.wait_for(
                lambda n, d: n == "pipeline_update" and d["status"] == "completed", timeout=30
            )

            # then: both articles written once, illustrated and posted once each
            assert Content.unscoped.filter(task__in=two_tasks).count() == 2
            assert len(fake_wordpress.posts) == 2
            stages = {d["stage"] for n, d in events.events if n == "pipeline_update"}
            assert {"content", "image_prompts", "images", "publish"} <= stages
            runs = [
                d for n, d in events.events if n == "task_update" and d["kind"] == "automation.run"
            ]
            assert {d["status"] for d in runs} >= {"processing", "completed"}
            history = http.get("/history/", params={"site_id": site_id}).json()
            assert history["results"][0]["status"] == "completed"
            assert sorted(history["results"][0]["progress"]["content"]["done_ids"]) == sorted(
                task.id for task in two_tasks
            )
            billing = httpx.get(
                f"{base_url}/api/v1/billing/credits/transactions/",
                params={"transaction_type": "deduction", "page_size": 50},
                headers={"Authorization": f"Bearer {token}"},
            ).json()
            charged = sorted(row["operation_type"] for row in billing["results"])
            assert charged.count("content") == 2 and charged.count("image_prompts") == 2
            assert charged.count("images") == 2
        finally:
            client.disconnect()
            http.close()
