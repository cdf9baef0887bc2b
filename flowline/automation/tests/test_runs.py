"""Automation runs over HTTP, with the run's job driven in the test: content written,
illustrated and published per step and charged per step; one open run per site; pause,
resume and cancel keep their place; running out of credits stops cleanly."""

import pytest

from flowline.automation import events
from flowline.automation.models import AutomationLog, AutomationRun
from flowline.automation.services import runs
from flowline.automation.tests.factories import AutomationRunFactory
from flowline.automation.tests.helpers import charges, drive, set_credits
from flowline.integration.testing.fixtures import connect_wordpress
from flowline.jobs.models import Job
from flowline.writer.models import Content, Image, Task

pytestmark = pytest.mark.django_db

API = "/api/v1/automation"


def _run_now(member, site):
    return member.client.post(f"{API}/run_now/?site_id={site.id}")


def _content_only(owner, site):
    """Leave the image stages off so a run writes and publishes."""
    response = owner.client.patch(
        f"{API}/update_config/?site_id={site.id}",
        {"image_prompts_per_run": 0, "images_per_run": 0},
        format="json",
    )
    assert response.status_code == 200, response.content


def test_a_run_writes_illustrates_and_publishes_charging_each_step(
    owner, sector, two_tasks, fake_wordpress
):
    # given: two tasks waiting and the site connected to WordPress, 100 credits
    connect_wordpress(sector.site, fake_wordpress)
    set_credits(owner.account_id, 100)

    # when
    started = _run_now(owner, sector.site)
    assert started.status_code == 201, started.content
    run = AutomationRun.unscoped.get(id=started.json()["data"]["id"])
    assert drive(run) == "completed"

    # then: each task written once, illustrated, and published on WordPress
    run.refresh_from_db()
    assert run.status == "completed" and run.stage == "done"
    contents = Content.unscoped.filter(task__in=two_tasks)
    assert contents.count() == 2
    assert set(contents.values_list("status", flat=True)) == {"published"}
    assert not Image.unscoped.filter(content__in=contents).exclude(status="completed").exists()
    assert {
        p["title"]["raw"] if isinstance(p["title"], dict) else p["title"]
        for p in fake_wordpress.posts.values()
    } == {t.title for t in two_tasks}
    # charged step by step: content, then prompts, then the pictures of each article
    images_each = Image.unscoped.filter(content=contents.first()).count()
    assert sorted(charges(owner.account_id)) == sorted(
        [("content", 10)] * 2 + [("image_prompts", 1)] * 2 + [("images", 3 * images_each)] * 2
    )
    assert run.credits_used == sum(amount for _, amount in charges(owner.account_id))
    assert run.progress["content"]["done"] == 2 and run.progress["publish"]["done"] == 2
    assert run.progress["clusters"]["done"] == 0
    # the log tells the story
    logs = owner.client.get(f"{API}/logs/", {"run_id": run.id}).json()
    messages = [row["message"] for row in logs["results"]]
    assert messages[0] == "Run queued (manual)." and any(
        m.startswith("Article written") for m in messages
    )
    assert logs["count"] == AutomationLog.unscoped.filter(run=run).count()
    history = owner.client.get(f"{API}/history/", {"site_id": sector.site_id}).json()
    assert [r["id"] for r in history["results"]] == [run.id]


def test_progress_events_follow_every_step(owner, sector, two_tasks, monkeypatch):
    seen = []
    original = events.pipeline_update
    monkeypatch.setattr(
        events,
        "pipeline_update",
        lambda run, message="": (seen.append(message), original(run, message)),
    )
    _content_only(owner, sector.site)
    run = AutomationRun.unscoped.get(id=_run_now(owner, sector.site).json()["data"]["id"])
    drive(run)
    wrote = [m for m in seen if m.startswith("Article written")]
    assert len(wrote) == 2
    assert "Tasks to content: started" in seen and seen[-1].startswith("Completed")


def test_a_second_run_while_one_is_open_is_409(owner, sector, two_tasks):
    first = _run_now(owner, sector.site)
    second = _run_now(owner, sector.site)
    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["code"] == "automation_running"
    assert second.json()["run_id"] == first.json()["data"]["id"]
    # the database refuses a second open run even past the service's check
    with pytest.raises(Exception):  # noqa: B017 (IntegrityError, wrapped by the atomic block)
        from django.db import transaction

        with transaction.atomic():
            AutomationRun.unscoped.create(account=owner.account, site=sector.site)


def test_run_now_replays_with_the_same_idempotency_key(owner, sector, two_tasks):
    first = owner.client.post(
        f"{API}/run_now/?site_id={sector.site_id}", HTTP_IDEMPOTENCY_KEY="run-1"
    )
    again = owner.client.post(
        f"{API}/run_now/?site_id={sector.site_id}", HTTP_IDEMPOTENCY_KEY="run-1"
    )
    assert first.status_code == again.status_code == 201
    assert first.json()["data"]["id"] == again.json()["data"]["id"]
    assert AutomationRun.unscoped.count() == 1


def test_pause_mid_run_and_resume_continue_where_it_stopped(owner, sector, two_tasks, monkeypatch):
    # given: the member presses pause as soon as the first article is written
    _content_only(owner, sector.site)
    run = AutomationRun.unscoped.get(id=_run_now(owner, sector.site).json()["data"]["id"])
    original = events.pipeline_update

    def press_pause(event_run, message=""):
        original(event_run, message)
        if message.startswith("Article written") and event_run.status == "running":
            response = owner.client.post(f"{API}/pause/", {"run_id": run.id}, format="json")
            assert response.status_code == 200

    monkeypatch.setattr(events, "pipeline_update", press_pause)

    # when: the run reaches the end of that step
    drive(run)

    # then: it stopped after that step, at the content stage, with one article written
    run.refresh_from_db()
    assert run.status == "paused" and run.stage == "content"
    assert run.progress["content"]["done"] == 1
    assert Content.unscoped.filter(task__in=two_tasks).count() == 1
    assert charges(owner.account_id) == [("content", 10)]
    processing = owner.client.get(f"{API}/current_processing/", {"site_id": sector.site_id})
    assert processing.json()["data"]["stage"] == "content"
    assert processing.json()["data"]["done"] == 1

    # when: resumed
    monkeypatch.setattr(events, "pipeline_update", original)
    resumed = owner.client.post(f"{API}/resume/", {"run_id": run.id}, format="json")
    assert resumed.status_code == 200 and resumed.json()["data"]["status"] == "queued"
    assert drive(run) == "completed"

    # then: the second article was written, the first not again
    run.refresh_from_db()
    assert run.status == "completed"
    assert Content.unscoped.filter(task__in=two_tasks).count() == 2
    assert charges(owner.account_id) == [("content", 10), ("content", 10)]
    assert run.progress["content"]["done"] == 2
    assert sorted(run.progress["content"]["done_ids"]) == sorted(t.id for t in two_tasks)


def test_pausing_a_queued_run_cancels_its_job_and_it_never_starts(owner, sector, two_tasks):
    run = AutomationRun.unscoped.get(id=_run_now(owner, sector.site).json()["data"]["id"])
    paused = owner.client.post(f"{API}/pause/?run_id={run.id}")
    assert paused.json()["data"]["status"] == "paused"
    assert Job.unscoped.get(id=run.job_id).status == "cancelled"
    assert drive(run) == "skipped"
    assert Content.unscoped.count() == 0


def test_cancel_ends_a_queued_paused_or_running_run(owner, sector, two_tasks, monkeypatch):
    # queued: at once
    run = AutomationRun.unscoped.get(id=_run_now(owner, sector.site).json()["data"]["id"])
    response = owner.client.post(f"{API}/cancel/", {"run_id": run.id}, format="json")
    assert response.json()["data"]["status"] == "cancelled"
    assert owner.client.post(f"{API}/cancel/", {"run_id": run.id}, format="json").status_code == 409
    assert owner.client.post(f"{API}/resume/", {"run_id": run.id}, format="json").status_code == 409

    # running: after the current step, nothing more is done
    _content_only(owner, sector.site)
    run = AutomationRun.unscoped.get(id=_run_now(owner, sector.site).json()["data"]["id"])
    original = events.pipeline_update

    def press_cancel(event_run, message=""):
        original(event_run, message)
        if message.startswith("Article written") and event_run.status == "running":
            owner.client.post(f"{API}/cancel/", {"run_id": run.id}, format="json")

    monkeypatch.setattr(events, "pipeline_update", press_cancel)
    drive(run)
    run.refresh_from_db()
    assert run.status == "cancelled" and run.finished_at is not None
    assert Content.unscoped.count() == 1
    # the site is free for a new run
    monkeypatch.setattr(events, "pipeline_update", original)
    assert _run_now(owner, sector.site).status_code == 201


def test_cancelling_the_job_cancels_the_run(owner, sector, two_tasks, monkeypatch):
    _content_only(owner, sector.site)
    run = AutomationRun.unscoped.get(id=_run_now(owner, sector.site).json()["data"]["id"])
    original = events.pipeline_update

    def cancel_job(event_run, message=""):
        original(event_run, message)
        if message.startswith("Article written"):
            Job.unscoped.filter(id=event_run.job_id).update(cancel_requested=True)

    monkeypatch.setattr(events, "pipeline_update", cancel_job)
    assert drive(run) == "cancelled"
    run.refresh_from_db()
    assert run.status == "cancelled"


def test_running_out_of_credits_pauses_before_the_unpaid_step_and_resumes(owner, sector, two_tasks):
    # given: enough credits to start, then the balance drops to one article's worth
    _content_only(owner, sector.site)
    set_credits(owner.account_id, 100)
    run = AutomationRun.unscoped.get(id=_run_now(owner, sector.site).json()["data"]["id"])
    set_credits(owner.account_id, 15)

    # when
    assert drive(run) == "failed"

    # then: one article written and paid, a clear state, the job says why
    run.refresh_from_db()
    assert run.status == "paused" and run.error_code == "insufficient_credits"
    assert "needs 10, 5 available" in run.error
    assert Content.unscoped.count() == 1
    assert charges(owner.account_id) == [("content", 10)]
    assert Job.unscoped.get(id=run.job_id).error_code == "insufficient_credits"
    assert Task.unscoped.filter(status="draft").count() == 1  # the other one is untouched

    # resuming without credits is refused; after a top-up it finishes the rest
    refused = owner.client.post(f"{API}/resume/", {"run_id": run.id}, format="json")
    assert refused.status_code == 402 and refused.json()["code"] == "insufficient_credits"
    set_credits(owner.account_id, 50)
    assert owner.client.post(f"{API}/resume/", {"run_id": run.id}, format="json").status_code == 200
    assert drive(run) == "completed"
    assert Content.unscoped.count() == 2
    assert charges(owner.account_id) == [("content", 10), ("content", 10)]


def test_run_now_without_the_estimated_credits_is_402(owner, sector, two_tasks):
    set_credits(owner.account_id, 12)
    response = _run_now(owner, sector.site)
    assert response.status_code == 402
    body = response.json()
    assert body["code"] == "insufficient_credits"
    assert body["credits_needed"] > 12 and body["credits_available"] == 12
    assert AutomationRun.unscoped.count() == 0


def test_an_item_that_fails_is_logged_and_the_others_go_on(
    owner, sector, two_tasks, fake_wordpress
):
    # given: WordPress refuses the first post it is sent, for good
    _content_only(owner, sector.site)
    connect_wordpress(sector.site, fake_wordpress)
    fake_wordpress.fail("POST", r"^posts$", status=400, code="rest_invalid_param", times=1)
    run = AutomationRun.unscoped.get(id=_run_now(owner, sector.site).json()["data"]["id"])

    # when
    assert drive(run) == "completed"

    # then: one article published, the other logged as failed and left for the next run
    run.refresh_from_db()
    assert run.status == "completed"
    assert run.progress["publish"]["done"] == 1 and run.progress["publish"]["failed"] == 1
    errors = AutomationLog.unscoped.filter(run=run, level="error")
    assert errors.count() == 1 and "WordPress refused" in errors.get().message
    assert Content.unscoped.filter(status="published").count() == 1


def test_estimate_and_overview_count_what_waits(owner, sector, two_tasks):
    overview = owner.client.get(f"{API}/pipeline_overview/", {"site_id": sector.site_id})
    stages = {row["stage"]: row for row in overview.json()["data"]["stages"]}
    assert stages["content"]["waiting"] == 2 and stages["content"]["next_run"] == 2
    assert stages["clusters"]["waiting"] == 0
    assert list(stages) == [
        "clusters",
        "ideas",
        "tasks",
        "content",
        "image_prompts",
        "images",
        "publish",
    ]
    owner.client.patch(
        f"{API}/update_config/?site_id={sector.site_id}", {"tasks_per_run": 1}, format="json"
    )
    estimate = owner.client.get(f"{API}/estimate/", {"site_id": sector.site_id}).json()["data"]
    by_stage = {row["stage"]: row for row in estimate["stages"]}
    assert by_stage["content"] == {
        "stage": "content",
        "label": "Tasks to content",
        "items": 1,
        "operation_type": "content",
        "credits": 10,
    }
    assert estimate["total_credits"] == 10
    assert estimate["sufficient"] is True


def test_current_run_and_processing_are_null_without_an_open_run(owner, sector):
    AutomationRunFactory(account=owner.account, site=sector.site, status="completed")
    current = owner.client.get(f"{API}/current_run/", {"site_id": sector.site_id})
    processing = owner.client.get(f"{API}/current_processing/", {"site_id": sector.site_id})
    assert current.status_code == processing.status_code == 200
    assert current.json()["data"] is None and processing.json()["data"] is None


def test_config_starts_with_defaults_and_update_changes_only_what_is_given(owner, sector):
    config = owner.client.get(f"{API}/config/", {"site_id": sector.site_id}).json()["data"]
    assert config["id"] is None and config["is_enabled"] is False
    assert config["tasks_per_run"] == 5 and config["next_run_at"] is None
    updated = owner.client.put(
        f"{API}/update_config/",
        {
            "site_id": sector.site_id,
            "is_enabled": True,
            "frequency": "daily",
            "scheduled_time": "06:30",
            "tasks_per_run": 2,
        },
        format="json",
    ).json()["data"]
    assert updated["id"] and updated["tasks_per_run"] == 2 and updated["clusters_per_run"] == 5
    assert updated["next_run_at"] is not None and updated["next_run_at"][11:16] == "06:30"
    off = owner.client.patch(
        f"{API}/update_config/?site_id={sector.site_id}", {"is_enabled": False}, format="json"
    ).json()["data"]
    assert off["next_run_at"] is None and off["tasks_per_run"] == 2


def test_config_refuses_unknown_fields_and_negative_limits(owner, sector):
    for body in ({"tasks_per_run": -1}, {"credits": 5}, {"frequency": "yearly"}):
        response = owner.client.patch(
            f"{API}/update_config/?site_id={sector.site_id}", body, format="json"
        )
        assert response.status_code == 400, body


def test_a_viewer_reads_but_cannot_run_or_configure(owner, sector, member_factory):
    viewer = member_factory(owner, "viewer")
    assert viewer.client.get(f"{API}/config/", {"site_id": sector.site_id}).status_code == 200
    assert _run_now(viewer, sector.site).status_code == 403
    assert (
        viewer.client.patch(
            f"{API}/update_config/?site_id={sector.site_id}", {"tasks_per_run": 1}, format="json"
        ).status_code
        == 403
    )


def test_the_site_is_required(owner):
    response = owner.client.get(f"{API}/config/")
    assert response.status_code == 400 and "site_id" in response.json()["errors"]


def test_runs_list_and_detail_logs(owner, sector):
    run = AutomationRunFactory(account=owner.account, site=sector.site)
    runs.log(run, "Run started.")
    listed = owner.client.get(f"{API}/runs/", {"site": sector.site_id}).json()
    assert [r["id"] for r in listed["results"]] == [run.id]
    logs = owner.client.get(f"{API}/runs/{run.id}/logs/").json()
    assert [row["message"] for row in logs["results"]] == ["Run started."]


def test_a_passing_error_retries_the_job_and_nothing_is_done_twice(
    owner, sector, two_tasks, fake_wordpress
):
    # given: WordPress answers 503 to the first post
    _content_only(owner, sector.site)
    connect_wordpress(sector.site, fake_wordpress)
    fake_wordpress.fail("POST", r"^posts$", status=503, times=1)
    run = AutomationRun.unscoped.get(id=_run_now(owner, sector.site).json()["data"]["id"])

    # when: the attempt fails and the job is retried
    assert drive(run) == "retrying"
    assert AutomationRun.unscoped.get(id=run.id).status == "running"
    Job.unscoped.filter(id=run.job_id).update(run_after=None)
    assert drive(run) == "completed"

    # then: each article written and charged once, both published once
    assert Content.unscoped.count() == 2
    assert charges(owner.account_id) == [("content", 10), ("content", 10)]
    assert len(fake_wordpress.posts) == 2
    assert Content.unscoped.filter(status="published").count() == 2


def test_cancelling_a_queued_run_in_jobs_ends_the_run_and_frees_the_site(owner, sector, two_tasks):
    run = AutomationRun.unscoped.get(id=_run_now(owner, sector.site).json()["data"]["id"])
    response = owner.client.post(f"/api/v1/jobs/{run.job_id}/cancel/")
    assert response.status_code == 200, response.content
    run.refresh_from_db()
    assert run.status == "cancelled"
    assert AutomationLog.unscoped.filter(run=run, message="Run cancelled with its job.").exists()
    assert _run_now(owner, sector.site).status_code == 201
