"""A run from keywords: the planner stages feed the writer's in the same run, and a worker
that dies after a step's work but before recording it does not redo it on retry."""

import pytest

from flowline.automation.models import AutomationLog, AutomationRun
from flowline.automation.services import pipeline, runs
from flowline.automation.tests.helpers import charges, drive, set_credits
from flowline.core import tenancy
from flowline.jobs.models import Job
from flowline.optimizer.models import ContentScore
from flowline.planner.models import Cluster, ContentIdea, Keyword
from flowline.writer.models import Content, Task

pytestmark = pytest.mark.django_db

PHRASES = ["cold brew coffee", "cold brew coffee recipe", "cold brew concentrate"]


class WorkerLost(Exception):
    """Stands for a worker killed mid-run: the job is retried (as a stale job would be)."""

    transient = True


@pytest.fixture
def keywords(owner, sector):
    return [
        Keyword.unscoped.create(
            account=owner.account, site=sector.site, sector=sector, keyword=phrase, volume=100
        )
        for phrase in PHRASES
    ]


def _limits(owner, sector, **limits):
    # as the settings endpoint does: inside the member's tenant scope
    with tenancy.tenant_scope(owner.account_id, user_id=owner.user.id):
        runs.config_update(
            site=sector.site,
            user_id=owner.user.id,
            image_prompts_per_run=0,
            images_per_run=0,
            **limits,
        )


def test_keywords_flow_to_articles_in_one_run_with_their_seo_scores(owner, sector, keywords):
    _limits(owner, sector, clusters_per_run=1, ideas_per_run=1, tasks_per_run=1)
    with tenancy.tenant_scope(owner.account_id, user_id=owner.user.id):  # as the API does
        run = runs.run_start(site=sector.site, user_id=owner.user.id)
    assert drive(run) == "completed"
    run.refresh_from_db()
    assert not Keyword.unscoped.filter(cluster__isnull=True).exists()
    assert ContentIdea.unscoped.filter(status="queued").count() == 1
    [content] = Content.unscoped.all()
    assert Task.unscoped.get(id=content.task_id).idea.status == "queued"
    score = ContentScore.unscoped.get(content=content)
    written = AutomationLog.unscoped.get(run=run, stage="content", data__has_key="ids")
    assert f"(SEO score {score.score})" in written.message
    assert [op for op, _ in charges(owner.account_id)] == ["clustering", "ideas", "content"]


def test_a_worker_dying_after_a_step_does_not_redo_it(owner, sector, keywords, monkeypatch):
    # given: the worker dies right after the clustering step, before recording it
    _limits(owner, sector, clusters_per_run=0, tasks_per_run=0)
    set_credits(owner.account_id, 100)
    with tenancy.tenant_scope(owner.account_id, user_id=owner.user.id):  # as the API does
        run = runs.run_start(site=sector.site, user_id=owner.user.id)
    original = pipeline._save
    died = []

    def die_once(target, **fields):
        if "credits_used" in fields and not died:
            died.append(True)
            raise WorkerLost("the worker went away")
        original(target, **fields)

    monkeypatch.setattr(pipeline, "_save", die_once)
    assert drive(run) == "retrying"
    clusters_after_crash = set(Cluster.unscoped.values_list("id", flat=True))
    assert clusters_after_crash

    # when: the job runs again
    Job.unscoped.filter(id=run.job_id).update(run_after=None)
    assert drive(run) == "completed"

    # then: the keywords were clustered once and charged once
    assert set(Cluster.unscoped.values_list("id", flat=True)) == clusters_after_crash
    assert charges(owner.account_id) == [("clustering", 1)]
    assert AutomationRun.unscoped.get(id=run.id).status == "completed"
