"""What other apps may ask of the writer (planner, automation, integration).

These functions take an `account_id` and work without a request. They do not charge
credits: callers that run them inside a paid job do (automation holds `content`,
`image_prompts` and `images` credits per step). `progress` is an optional
`callable(percentage: int, message: str)`. AI provider errors (`ai.public.AIProviderError`,
transient for rate limits and timeouts) and `EmptyAnswer` (the model answered nothing
usable) are raised to the caller after the task or image was marked with its error.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from flowline.writer.models import Content, Image, Task, Taxonomy
from flowline.writer.selectors import (
    content_for_publishing,
    content_site_ids,
    content_with_task,
    contents_none,
    contents_ready_to_publish,
    contents_with_pending_images,
    contents_without_images,
    idea_has_task,
    linkable_contents,
    tasks_waiting_for_content,
    visible_content_ids,
)
from flowline.writer.services import content as content_services
from flowline.writer.services import generation
from flowline.writer.services import images as image_services
from flowline.writer.services import tasks as task_services
from flowline.writer.services.generation import EmptyAnswer

__all__ = [
    "UNPUBLISH_CHOICES",
    "EmptyAnswer",
    "content_for_publishing",
    "content_site_ids",
    "content_with_task",
    "contents_none",
    "contents_ready_to_publish",
    "contents_with_pending_images",
    "contents_without_images",
    "generate_image_prompts",
    "generate_images",
    "idea_has_task",
    "linkable_contents",
    "mark_published",
    "mark_unpublished",
    "publish_payload",
    "queue_ideas",
    "register_delete_guard",
    "tasks_waiting_for_content",
    "taxonomy_link",
    "visible_content_ids",
    "write_content",
]

UNPUBLISH_CHOICES = content_services.UNPUBLISH_CHOICES


@transaction.atomic
def queue_ideas(*, account_id: int, idea_ids: list[int], user_id: int | None = None) -> list[Task]:
    """Create one draft writer task per content idea and return the tasks created; the
    ideas are marked `queued` (planner's `ideas_mark_queued`) in the same transaction.

    Ideas that already have a task are skipped (not returned), so a repeated call queues
    nothing twice. Unknown ids or ids of another account raise `NotFoundError` (404)
    naming them, and nothing is created. Registered with the planner, whose
    `ideas/bulk_queue_to_writer/` answers with it.
    """
    from flowline.planner import public as planner

    tasks = task_services.tasks_from_ideas(account_id=account_id, idea_ids=idea_ids)
    planner.ideas_mark_queued(account_id=account_id, idea_ids=idea_ids)
    return tasks


def write_content(
    *, account_id: int, task_ids: list[int], user_id: int | None = None, progress=None, job_id=None
) -> list[Content]:
    """Write the article of each task (sanitised HTML, headings, meta title and
    description, word count): tasks end in `review`, their content in `review`. A task
    that fails goes back to `draft` with its error and the error is raised."""
    return generation.contents_write(
        account_id=account_id, task_ids=task_ids, progress=progress, job_id=job_id
    )


def generate_image_prompts(
    *,
    account_id: int,
    content_ids: list[int],
    user_id: int | None = None,
    progress=None,
    job_id=None,
) -> list[Image]:
    """A featured and in-article image prompts (with alt text) for each content, as
    `pending` images replacing the ones it had."""
    return image_services.prompts_for_contents(
        account_id=account_id, content_ids=content_ids, progress=progress, job_id=job_id
    )


def images_to_generate(*, account_id: int, content_ids: list[int]) -> list[int]:
    """Ids of these contents' images that have no picture yet (what `generate_images`
    will pay for: price it with `billing.public.estimate("images", len(ids))`)."""
    return image_services.images_to_generate(account_id=account_id, content_ids=content_ids)


def generate_images(
    *,
    account_id: int,
    content_ids: list[int],
    user_id: int | None = None,
    progress=None,
    job_id=None,
) -> list[Image]:
    """Generate and store the picture of every image of these contents that has none
    yet (run `generate_image_prompts` first); returns those images."""
    image_ids = image_services.images_to_generate(account_id=account_id, content_ids=content_ids)
    if not image_ids:
        return []
    return image_services.pictures_generate(
        account_id=account_id, image_ids=image_ids, progress=progress, job_id=job_id
    )


def mark_published(
    *, content_id: int, external_id: str, url: str, published_at: datetime
) -> Content:
    """Record where a piece of content was published (integration calls this after
    WordPress accepted it): the content becomes `published`, its task `completed`.
    Calling it again (a re-publish) updates the same fields."""
    return content_services.content_mark_published(
        content_id=content_id, external_id=external_id, url=url, published_at=published_at
    )


def mark_unpublished(*, content_id: int) -> Content | None:
    """The content's post is no longer live (integration calls this when it was taken
    down, from Flowline or on the site): published content becomes a `draft` without
    its public URL. Other content is left as it is."""
    return content_services.content_mark_unpublished(content_id=content_id)


def register_delete_guard(*, prepare, check) -> None:
    """Run `prepare(account_id=, content_ids=, unpublish=)` before content is deleted
    (outside the transaction) and `check(...)` inside it, rows locked (raise an
    ApplicationError to refuse). `unpublish` is the request's `?unpublish=` (`trash`,
    `draft`, `keep` or None): what to do with the content's published copies."""
    content_services.register_delete_guard(prepare=prepare, check=check)


def publish_payload(*, account_id: int, content_id: int) -> dict:
    """Everything a publisher needs of one content: its fields, its categories and tags
    (with the WordPress term id once linked) and its images with their storage names
    (open them with `default_storage.open(name)`)."""
    content = Content.unscoped.get(account_id=account_id, id=content_id)
    terms = Taxonomy.unscoped.filter(contents=content).order_by("id")
    pictures = Image.unscoped.filter(content=content, status=Image.Status.COMPLETED)
    return {
        "id": content.id,
        "site_id": content.site_id,
        "title": content.title,
        "html_content": content.html_content,
        "meta_title": content.meta_title,
        "meta_description": content.meta_description,
        "status": content.status,
        "external_id": content.external_id,
        "external_url": content.external_url,
        "taxonomies": [
            {
                "id": term.id,
                "taxonomy_type": term.taxonomy_type,
                "name": term.name,
                "slug": term.slug,
                "external_id": term.external_id,
            }
            for term in terms
        ],
        "images": [
            {
                "id": image.id,
                "image_type": image.image_type,
                "position": image.position,
                "alt_text": image.alt_text,
                "caption": image.caption,
                "file_name": image.file.name,
                "mime_type": image.mime_type,
            }
            for image in pictures.order_by("position", "id")
        ],
    }


def taxonomy_link(*, account_id: int, taxonomy_id: int, external_id: str) -> None:
    """Remember the WordPress term a category or tag was matched to (or created as)."""
    Taxonomy.unscoped.filter(account_id=account_id, id=taxonomy_id).update(
        external_id=str(external_id)[:64]
    )


def content_title(content_id: int) -> str | None:
    """The content's title (any account: callers pass an id they hold), or None."""
    return Content.unscoped.filter(id=content_id).values_list("title", flat=True).first()
