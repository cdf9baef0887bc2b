"""The stages of the pipeline: what each one takes, what it costs, and how it does a step.

Each stage reads what is waiting for it in the other apps (a site's keywords without a
cluster, clusters without ideas, ...) and does one step at a time through those apps'
`public.py` functions. Because what is waiting is read from the apps' own state, an item
a step finished is no longer waiting: a resumed or retried run cannot do it again.

What is waiting comes from the apps' selectors (through their `public.py`) as querysets,
so that counts and batches are one query each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet

from flowline.core.errors import ApplicationError
from flowline.integration import public as integration
from flowline.optimizer import public as optimizer
from flowline.planner import public as planner
from flowline.writer import public as writer


@dataclass(frozen=True)
class StepResult:
    """What one step did: ids it created downstream and a line for the log."""

    created: list[int]
    message: str


@dataclass(frozen=True)
class Stage:
    name: str
    label: str
    limit_field: str  # AutomationConfig field holding its per-run limit
    batch_size: int
    operation_type: str | None  # billing.CreditCost row charged per step, None if free
    item: str  # what it takes, for messages
    waiting: Callable[[int, int, object], QuerySet]  # (account_id, site_id, config)
    step: Callable[..., StepResult]
    quantity: Callable[[int, list[int]], float] = lambda account_id, ids: len(ids)
    # A batch takes items sharing this field (planner clusters one sector at a time).
    together_by: str | None = None

    def limit(self, config) -> int:
        return getattr(config, self.limit_field)


def _keywords_waiting(account_id, site_id, config):
    return planner.keywords_unclustered(account_id=account_id, site_id=site_id)


def _clusters_waiting(account_id, site_id, config):
    return planner.clusters_without_ideas(account_id=account_id, site_id=site_id)


def _ideas_waiting(account_id, site_id, config):
    ideas = planner.ideas_new(account_id=account_id, site_id=site_id)
    return ideas.filter(~writer.idea_has_task(OuterRef("pk")))


def _tasks_waiting(account_id, site_id, config):
    return writer.tasks_waiting_for_content(account_id=account_id, site_id=site_id)


def _contents_without_images(account_id, site_id, config):
    return writer.contents_without_images(account_id=account_id, site_id=site_id)


def _contents_with_pending_images(account_id, site_id, config):
    return writer.contents_with_pending_images(account_id=account_id, site_id=site_id)


def _contents_to_publish(account_id, site_id, config):
    """Written, illustrated (when the image stages are on) and with no picture still to make."""
    if not integration.site_has_active_integration(account_id=account_id, site_id=site_id):
        return writer.contents_none()
    return writer.contents_ready_to_publish(
        account_id=account_id,
        site_id=site_id,
        illustrated=bool(config.image_prompts_per_run or config.images_per_run),
    )


def _cluster(ctx, ids):

    clusters = planner.cluster_keywords(
        account_id=ctx.account_id,
        keyword_ids=ids,
        user_id=ctx.user_id,
        progress=ctx.progress,
        job_id=ctx.job_id,
    )
    return StepResult(
        [c.id for c in clusters], f"Grouped {len(ids)} keywords into {len(clusters)} clusters."
    )


def _ideas(ctx, ids):

    ideas = planner.generate_ideas(
        account_id=ctx.account_id,
        cluster_ids=ids,
        user_id=ctx.user_id,
        progress=ctx.progress,
        job_id=ctx.job_id,
    )
    return StepResult([i.id for i in ideas], f"Generated {len(ideas)} content ideas.")


def _queue(ctx, ids):

    # The writer marks the ideas queued with their tasks, in one transaction.
    tasks = writer.queue_ideas(account_id=ctx.account_id, idea_ids=ids, user_id=ctx.user_id)
    return StepResult([t.id for t in tasks], f"Queued {len(tasks)} ideas to the writer.")


def _write(ctx, ids):

    contents = writer.write_content(
        account_id=ctx.account_id,
        task_ids=ids,
        user_id=ctx.user_id,
        progress=ctx.progress,
        job_id=ctx.job_id,
    )

    # Each article's SEO score goes into the log (and the content's score history).
    scores = [
        optimizer.record_seo_score(account_id=ctx.account_id, content_id=c.id)["score"]
        for c in contents
    ]
    return StepResult(
        [c.id for c in contents],
        "Article written: "
        + ", ".join(
            f"\u201c{c.title}\u201d (SEO score {score})"
            for c, score in zip(contents, scores, strict=True)
        ),
    )


def _image_prompts(ctx, ids):

    images = writer.generate_image_prompts(
        account_id=ctx.account_id,
        content_ids=ids,
        user_id=ctx.user_id,
        progress=ctx.progress,
        job_id=ctx.job_id,
    )
    return StepResult([i.id for i in images], f"Wrote {len(images)} image prompts.")


def _images(ctx, ids):

    images = writer.generate_images(
        account_id=ctx.account_id,
        content_ids=ids,
        user_id=ctx.user_id,
        progress=ctx.progress,
        job_id=ctx.job_id,
    )
    return StepResult([i.id for i in images], f"Generated {len(images)} images.")


def _images_quantity(account_id, ids):

    return len(writer.images_to_generate(account_id=account_id, content_ids=ids))


def _publish(ctx, ids):

    records = integration.publish_content(
        account_id=ctx.account_id, content_ids=ids, user_id=ctx.user_id, progress=ctx.progress
    )
    done = [r for r in records if r.status == "published"]
    failed = [r for r in records if r.status != "published"]
    if failed:
        raise ApplicationError(
            "WordPress refused: " + "; ".join(r.error or r.status for r in failed),
            code="publish_failed",
        )
    return StepResult(
        [r.id for r in done],
        "Posted to WordPress: " + ", ".join(r.url or str(r.content_id) for r in done),
    )


STAGES: list[Stage] = [
    Stage(
        name="clusters",
        label="Keywords to clusters",
        limit_field="keywords_per_run",
        batch_size=20,
        operation_type="clustering",
        item="keyword",
        waiting=_keywords_waiting,
        step=_cluster,
        quantity=lambda account_id, ids: len(ids) / 100,  # priced per 100 keywords
        together_by="sector_id",
    ),
    Stage(
        name="ideas",
        label="Clusters to ideas",
        limit_field="clusters_per_run",
        batch_size=1,
        operation_type="ideas",
        item="cluster",
        waiting=_clusters_waiting,
        step=_ideas,
    ),
    Stage(
        name="tasks",
        label="Ideas to writer tasks",
        limit_field="ideas_per_run",
        batch_size=10,
        operation_type=None,
        item="idea",
        waiting=_ideas_waiting,
        step=_queue,
    ),
    Stage(
        name="content",
        label="Tasks to content",
        limit_field="tasks_per_run",
        batch_size=1,
        operation_type="content",
        item="task",
        waiting=_tasks_waiting,
        step=_write,
    ),
    Stage(
        name="image_prompts",
        label="Content to image prompts",
        limit_field="image_prompts_per_run",
        batch_size=1,
        operation_type="image_prompts",
        item="content",
        waiting=_contents_without_images,
        step=_image_prompts,
    ),
    Stage(
        name="images",
        label="Image prompts to images",
        limit_field="images_per_run",
        batch_size=1,
        operation_type="images",
        item="content",
        waiting=_contents_with_pending_images,
        step=_images,
        quantity=_images_quantity,  # priced per picture still to make
    ),
    Stage(
        name="publish",
        label="Content to WordPress",
        limit_field="publish_per_run",
        batch_size=1,
        operation_type=None,
        item="content",
        waiting=_contents_to_publish,
        step=_publish,
    ),
]
BY_NAME = {stage.name: stage for stage in STAGES}
