"""A content generation job end to end on a real server: its worker, Socket.IO progress."""

import httpx
import pytest

from flowline.billing.models import CreditBalance
from flowline.realtime.testing import connect_client, live_asgi_server, member_token
from flowline.sites.tests.factories import SectorFactory
from flowline.writer.models import Content
from flowline.writer.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_content_generation_pushes_rising_progress_and_settles_credits(owner):
    # given: two tasks to write
    sector = SectorFactory(account=owner.account)
    tasks = [
        TaskFactory(account=owner.account, sector=sector, site=sector.site, title=title)
        for title in ("Pour-over basics", "Espresso at home")
    ]
    with live_asgi_server() as base_url:
        client, events = connect_client(
            base_url, auth={"token": member_token(owner)}, events=("task_update",)
        )
        http = httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {member_token(owner)}"}
        )
        try:
            # when
            response = http.post(
                "/api/v1/writer/tasks/auto_generate_content/",
                json={"ids": [task.id for task in tasks]},
            )
            assert response.status_code == 201, response.text
            task_id = response.json()["data"]["task_id"]

            # then: task_update events rise to completed with the written content's ids
            _, done = events.wait_for(
                lambda n, d: d["id"] == task_id and d["status"] == "completed"
            )
            seen = [d for d in events.of("task_update") if d["id"] == task_id]
            progress = [d["progress"] for d in seen]
            assert progress == sorted(progress) and progress[-1] == 100 and len(progress) >= 4
            assert any("Espresso at home" in (d["message"] or "") for d in seen)
            assert done["kind"] == "writer.generate_content"
            assert len(done["result"]["content_ids"]) == 2
            state = http.get(f"/api/v1/system/settings/task_progress/{task_id}/").json()["data"]
            assert state["state"] == "SUCCESS"
            assert Content.unscoped.filter(task__in=tasks, status="review").count() == 2
            balance = CreditBalance.unscoped.get(account_id=owner.account_id)
            assert (balance.total, balance.held) == (80, 0)
        finally:
            client.disconnect()
            http.close()
