"""Issue #6's story over HTTP and Socket.IO against a live server: keywords from a CSV
become clusters, ideas, writer tasks, an illustrated article and a WordPress post, with
progress events at each step and the credits of each step in the ledger. First step by
step through each app's endpoints, then the same pipeline in one automation run."""

import httpx
import pytest

from flowline.realtime.testing import connect_client, live_asgi_server, member_token
from flowline.sandbox.wordpress.fake_wordpress import APP_PASSWORD, USERNAME

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CSV = (
    "keyword,volume,difficulty,intent\n"
    "pour over coffee,2400,35,informational\n"
    "pour over coffee ratio,900,20,informational\n"
    "best pour over coffee maker,1300,40,commercial\n"
    "cold brew coffee,3100,30,informational\n"
    "cold brew coffee recipe,1900,25,informational\n"
    "cold brew coffee concentrate,700,20,informational\n"
)


class Session:
    """The member's HTTP client and live events, against one live server."""

    def __init__(self, base_url: str, token: str):
        self.http = httpx.Client(
            base_url=f"{base_url}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        self.socket, self.events = connect_client(
            base_url, auth={"token": token}, events=("task_update", "pipeline_update")
        )

    def close(self):
        self.socket.disconnect()
        self.http.close()

    def data(self, response, status=200):
        assert response.status_code == status, response.text
        return response.json()["data"]

    def job(self, response) -> dict:
        """Start a job with `response` and wait for its final task_update."""
        task_id = self.data(response, 201)["task_id"]
        _, final = self.events.wait_for(
            lambda n, d: (
                n == "task_update"
                and d["id"] == task_id
                and d["status"] in ("completed", "failed", "cancelled")
            ),
            timeout=60,
        )
        assert final["status"] == "completed", final
        return final

    def updates(self, task_id: str) -> list[dict]:
        return [d for n, d in self.events.events if n == "task_update" and d["id"] == task_id]

    def deductions(self) -> list[tuple[str, int]]:
        rows = self.http.get(
            "/billing/credits/transactions/",
            params={"transaction_type": "deduction", "page_size": 100, "ordering": "created_at"},
        ).json()["results"]
        return [(row["operation_type"], -row["amount"]) for row in rows]


def _connect_site(session: Session, site_id: int, fake_wordpress) -> None:
    session.data(
        session.http.post(
            "/integration/integrations/",
            json={
                "site": site_id,
                "base_url": fake_wordpress.base_url,
                "username": USERNAME,
                "app_password": APP_PASSWORD,
            },
        ),
        201,
    )


def _import(session: Session, sector) -> list[dict]:
    result = session.data(
        session.http.post(
            "/planner/keywords/import_keywords/",
            data={"site_id": sector.site_id, "sector_id": sector.id},
            files={"file": ("keywords.csv", CSV.encode(), "text/csv")},
        )
    )
    assert result["imported_count"] == 6 and result["error_count"] == 0
    listed = session.http.get("/planner/keywords/", params={"page_size": 100}).json()
    return listed["results"]


def test_keywords_from_a_csv_become_a_wordpress_post_step_by_step(owner, sector, fake_wordpress):
    with live_asgi_server() as base_url:
        session = Session(base_url, member_token(owner))
        http = session.http
        try:
            _connect_site(session, sector.site_id, fake_wordpress)
            keywords = _import(session, sector)

            # auto-cluster the imported keywords
            clustered = session.job(
                http.post(
                    "/planner/keywords/auto_cluster/",
                    json={"ids": [k["id"] for k in keywords], "sector_id": sector.id},
                )
            )
            clusters = http.get("/planner/clusters/").json()["results"]
            assert clusters and sum(c["keywords_count"] for c in clusters) == 6

            # ideas for the biggest cluster, one of them queued to the writer
            cluster = max(clusters, key=lambda c: c["volume"])
            ideas_job = session.job(
                http.post("/planner/clusters/auto_generate_ideas/", json={"ids": [cluster["id"]]})
            )
            ideas = http.get("/planner/ideas/", params={"cluster_id": cluster["id"]}).json()
            assert ideas["count"] >= 1
            idea = ideas["results"][0]
            queued = session.data(
                http.post("/planner/ideas/bulk_queue_to_writer/", json={"ids": [idea["id"]]}),
                201,
            )
            assert queued["tasks_created"] == 1
            assert session.data(http.get(f"/planner/ideas/{idea['id']}/"))["status"] == "queued"

            # write it, then its image prompts and pictures
            task = http.get("/writer/tasks/").json()["results"][0]
            content_job = session.job(
                http.post("/writer/tasks/auto_generate_content/", json={"ids": [task["id"]]})
            )
            content = http.get("/writer/content/").json()["results"][0]
            assert content["status"] == "review" and content["word_count"] > 0
            prompts_job = session.job(
                http.post("/writer/content/generate_image_prompts/", json={"ids": [content["id"]]})
            )
            images = http.get("/writer/images/", params={"content_id": content["id"]}).json()
            image_ids = [image["id"] for image in images["results"]]
            assert image_ids
            images_job = session.job(
                http.post("/writer/images/generate_images/", json={"ids": image_ids})
            )

            # the optimizer scores it and suggests no link to itself
            score = session.data(
                http.post("/optimizer/analyze/", json={"content_id": content["id"]}), 201
            )
            assert 0 < score["score"] <= 100

            # publish it, and see it on WordPress
            publish_job = session.job(
                http.post("/publisher/publish/", json={"content_ids": [content["id"]]})
            )
            [post] = fake_wordpress.posts.values()
            assert content["title"] in str(post["title"])
            assert post["status"] == "publish"
            published = session.data(http.get(f"/writer/content/{content['id']}/"))
            assert published["status"] == "published" and published["external_url"]

            # every step reported its progress live
            for job in (clustered, ideas_job, content_job, prompts_job, images_job, publish_job):
                statuses = [u["status"] for u in session.updates(job["id"])]
                assert "processing" in statuses and statuses[-1] == "completed", job["kind"]
                assert session.updates(job["id"])[-1]["progress"] == 100
            # and each paid step is in the ledger
            charged = dict.fromkeys(op for op, _ in session.deductions())
            assert list(charged) == ["clustering", "ideas", "content", "image_prompts", "images"]
        finally:
            session.close()


def test_one_automation_run_takes_a_csv_of_keywords_to_wordpress(owner, sector, fake_wordpress):
    with live_asgi_server() as base_url:
        session = Session(base_url, member_token(owner))
        http = session.http
        try:
            _connect_site(session, sector.site_id, fake_wordpress)
            _import(session, sector)
            config = session.data(
                http.patch(
                    f"/automation/update_config/?site_id={sector.site_id}",
                    json={"clusters_per_run": 1, "ideas_per_run": 2, "tasks_per_run": 2},
                )
            )
            assert config["keywords_per_run"] == 20
            overview = session.data(
                http.get("/automation/pipeline_overview/", params={"site_id": sector.site_id})
            )
            assert overview["stages"][0] == {
                "stage": "clusters",
                "label": "Keywords to clusters",
                "item": "keyword",
                "waiting": 6,
                "limit": 20,
                "next_run": 6,
            }
            estimate = session.data(
                http.get("/automation/estimate/", params={"site_id": sector.site_id})
            )
            assert estimate["total_credits"] == 1 and estimate["sufficient"] is True

            # one click
            run = session.data(http.post(f"/automation/run_now/?site_id={sector.site_id}"), 201)
            session.events.wait_for(
                lambda n, d: (
                    n == "pipeline_update"
                    and d.get("run_id") == run["id"]
                    and d["status"] in ("completed", "failed", "paused", "cancelled")
                ),
                timeout=120,
            )
            done = session.data(http.get(f"/automation/runs/{run['id']}/"))
            assert done["status"] == "completed", done

            # two articles, illustrated, on WordPress
            progress = done["progress"]
            assert progress["clusters"]["done"] == 6
            assert progress["ideas"]["done"] == 1 and progress["tasks"]["done"] == 2
            assert progress["content"]["done"] == 2 and progress["publish"]["done"] == 2
            assert len(fake_wordpress.posts) == 2
            contents = http.get("/writer/content/", params={"status": "published"}).json()
            assert contents["count"] == 2

            # a pipeline_update at every step, in stage order
            updates = [
                d
                for n, d in session.events.events
                if n == "pipeline_update" and d.get("run_id") == run["id"]
            ]
            order = ["clusters", "ideas", "tasks", "content", "image_prompts", "images", "publish"]
            seen = [d["stage"] for d in updates if d["stage"] in order]
            assert list(dict.fromkeys(seen)) == order
            messages = [d["message"] for d in updates]
            assert sum(m.startswith("Article written") for m in messages) == 2
            assert sum(m.startswith("Posted to WordPress") for m in messages) == 2

            # the credits of each step, in the ledger and on the run
            deductions = session.deductions()
            assert [op for op, _ in deductions][:2] == ["clustering", "ideas"]
            assert [op for op, _ in deductions].count("content") == 2
            assert sum(amount for _, amount in deductions) == done["credits_used"]
            logs = http.get(
                "/automation/logs/", params={"run_id": run["id"], "page_size": 100}
            ).json()
            charged_lines = [row for row in logs["results"] if row["data"].get("ids")]
            assert (
                sum(row["data"].get("credits", 0) for row in charged_lines) == done["credits_used"]
            )
        finally:
            session.close()
