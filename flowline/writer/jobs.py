"""The writer's background jobs. Each is started by `billing.public.start_paid_job`, which
holds the credits (operation `content` per article, `image_prompts` per article, `images`
per image); billing captures the hold when the job completes and releases it when the
job fails or is cancelled, so a failed generation costs nothing.
"""

from __future__ import annotations

from django.db import transaction

from flowline.billing import public as billing
from flowline.core.errors import ConflictError
from flowline.jobs.public import job_handler
from flowline.writer.models import Task
from flowline.writer.services import generation, images

GENERATE_CONTENT = "writer.generate_content"
GENERATE_IMAGE_PROMPTS = "writer.generate_image_prompts"
GENERATE_IMAGES = "writer.generate_images"

# job kind -> (credit operation, payload key of the ids it is paid per)
PAID = {
    GENERATE_CONTENT: ("content", "task_ids"),
    GENERATE_IMAGE_PROMPTS: ("image_prompts", "content_ids"),
    GENERATE_IMAGES: ("images", "image_ids"),
}


def _reporter(job, phase: str):
    def report(percentage: int, message: str) -> None:
        # The work's 0-100 maps to 5-95: preparing comes before it, saving after.
        job.progress(5 + percentage * 90 // 100, phase=phase, message=message)

    return report


@job_handler(GENERATE_CONTENT, max_attempts=3)
def generate_content(job) -> dict:
    """Writes the article of each task (`task_ids`), in order."""
    job.progress(2, phase="PREPARING", message="Preparing the prompts")
    written = generation.contents_write(
        account_id=job.account_id,
        task_ids=job.payload["task_ids"],
        progress=_reporter(job, "AI_CALL"),
        job_id=job.id,
    )
    return {
        "content_ids": [content.id for content in written],
        "task_ids": [content.task_id for content in written],
        "word_counts": [content.word_count for content in written],
    }


@job_handler(GENERATE_IMAGE_PROMPTS, max_attempts=3)
def generate_image_prompts(job) -> dict:
    """Writes image prompts (featured and in-article) for each content (`content_ids`)."""
    job.progress(2, phase="PREPARING", message="Reading the articles")
    rows = images.prompts_for_contents(
        account_id=job.account_id,
        content_ids=job.payload["content_ids"],
        progress=_reporter(job, "AI_CALL"),
        job_id=job.id,
    )
    return {"image_ids": [image.id for image in rows], "content_ids": job.payload["content_ids"]}


@job_handler(GENERATE_IMAGES, max_attempts=3)
def generate_images(job) -> dict:
    """Generates and stores the picture of each image (`image_ids`) that has none yet."""
    job.progress(2, phase="PREPARING", message="Preparing the prompts")
    rows = images.pictures_generate(
        account_id=job.account_id,
        image_ids=job.payload["image_ids"],
        progress=_reporter(job, "AI_CALL"),
        job_id=job.id,
    )
    return {"image_ids": [image.id for image in rows]}


def tasks_release(job) -> None:
    """Job finish listener: the tasks of a content job that did not complete (failed, or
    cancelled before it reached them) are `draft` again, free to be generated anew."""
    if job.kind != GENERATE_CONTENT or job.status == job.Status.COMPLETED:
        return
    Task.unscoped.filter(
        account_id=job.account_id,
        id__in=job.payload.get("task_ids") or [],
        status=Task.Status.IN_PROGRESS,
    ).update(status=Task.Status.DRAFT, error=(job.error or job.message or "Not written.")[:500])


@transaction.atomic
def start_content(*, account_id: int, user_id: int | None, tasks: list[Task]) -> tuple:
    """Queue the writing of `tasks` (locked by the caller): they are `in_progress` from
    now on, so a second request for one of them is a 409 until this job ends."""
    busy = sorted(task.id for task in tasks if task.status == Task.Status.IN_PROGRESS)
    if busy:
        raise ConflictError(
            "Some tasks are being written already.",
            code="generation_in_progress",
            errors={"ids": busy},
        )
    ids = sorted(task.id for task in tasks)
    started = start(kind=GENERATE_CONTENT, account_id=account_id, user_id=user_id, ids=ids)
    Task.unscoped.filter(id__in=ids).update(status=Task.Status.IN_PROGRESS, error="")
    return started


def start(*, kind: str, account_id: int, user_id: int | None, ids: list[int]) -> tuple:
    """Hold the credits and queue a writer job over `ids` (402 when credits are
    missing); returns the job and the credits held."""
    operation, key = PAID[kind]
    job = billing.start_paid_job(
        kind=kind,
        account_id=account_id,
        user_id=user_id,
        operation_type=operation,
        quantity=len(ids),
        payload={key: list(ids)},
        target=(key.removesuffix("_ids"), ids[0]) if len(ids) == 1 else None,
    )
    return job, billing.estimate(operation_type=operation, quantity=len(ids)).credits
