"""Content typed in or edited by members, and its publication record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from flowline.core.errors import ApplicationError
from flowline.writer.models import Content, Task
from flowline.writer.services.html import sanitize_html
from flowline.writer.services.tasks import check_placement


def _check(site, sector, task, taxonomies) -> None:
    check_placement(site=site, sector=sector)
    errors = {}
    if task is not None and task.site_id != site.id:
        errors["task"] = ["This task belongs to another site."]
    if taxonomies is not None and any(term.site_id != site.id for term in taxonomies):
        errors["taxonomies"] = ["Every category and tag must belong to the content's site."]
    if errors:
        raise ApplicationError("The content's site does not match.", errors=errors)


def _clean(fields: dict) -> dict:
    """Sanitise the HTML a member sent and derive its outline and word count."""
    if "html_content" in fields:
        clean = sanitize_html(fields["html_content"])
        fields.update(html_content=clean.html, headings=clean.headings, word_count=clean.word_count)
    return fields


@transaction.atomic
def content_create(*, taxonomies=None, **fields) -> Content:
    """Content typed in by a member: its HTML sanitised, one per task, all of one site."""
    _check(fields["site"], fields["sector"], fields.get("task"), taxonomies)
    if fields.get("task") is not None and Content.objects.filter(task=fields["task"]).exists():
        raise _task_taken()
    content = Content.objects.create(**_clean(fields))
    if taxonomies:
        content.taxonomies.set(taxonomies)
    return content


@transaction.atomic
def content_update(*, content: Content, taxonomies=None, **fields) -> Content:
    """Edit content under the same rules; `taxonomies` (when given) replaces its terms."""
    site = fields.get("site", content.site)
    task = fields.get("task", content.task)
    _check(site, fields.get("sector", content.sector), task, taxonomies)
    if task is not None and Content.objects.filter(task=task).exclude(id=content.id).exists():
        raise _task_taken()
    for name, value in _clean(fields).items():
        setattr(content, name, value)
    content.save()
    if taxonomies is not None:
        content.taxonomies.set(taxonomies)
    return content


@transaction.atomic
def content_mark_published(
    *, content_id: int, external_id: str, url: str, published_at: datetime
) -> Content:
    """The content is live at `url` (`external_id` on the platform); its task is done."""
    content = Content.unscoped.select_for_update().get(id=content_id)
    content.external_id = str(external_id)[:64]
    content.external_url = url[:500]
    content.published_at = published_at
    content.status = Content.Status.PUBLISHED
    content.save(
        update_fields=["external_id", "external_url", "published_at", "status", "updated_at"]
    )
    if content.task_id:
        Task.unscoped.filter(id=content.task_id).update(status=Task.Status.COMPLETED)
    return content


@transaction.atomic
def content_mark_unpublished(*, content_id: int) -> Content | None:
    """The content is no longer live (its post went back to a draft, to the trash, or
    was deleted): a published content becomes a `draft`, which automation does not
    publish on its own. Content that was not published is left as it is."""
    content = Content.unscoped.select_for_update().filter(id=content_id).first()
    if content is None or content.status != Content.Status.PUBLISHED:
        return content
    content.status = Content.Status.DRAFT
    content.external_url = ""
    content.published_at = None
    content.save(update_fields=["status", "external_url", "published_at", "updated_at"])
    return content


# --- deleting content -------------------------------------------------------------------
# What `?unpublish=` may say about a deleted content's published copies.
UNPUBLISH_CHOICES = ("trash", "draft", "keep")


@dataclass(frozen=True)
class DeleteGuard:
    """What another app does when content is deleted (integration: its WordPress posts).
    Both are called with `account_id`, `content_ids` and `unpublish`."""

    # Before the delete, outside its transaction (it may call other services).
    prepare: Callable[..., None]
    # Inside the delete's transaction, the rows locked: raises to refuse the delete.
    check: Callable[..., None]


_delete_guards: list[DeleteGuard] = []


def register_delete_guard(*, prepare: Callable[..., None], check: Callable[..., None]) -> None:
    """Have `prepare` and `check` run whenever content is deleted."""
    guard = DeleteGuard(prepare, check)
    if guard not in _delete_guards:
        _delete_guards.append(guard)


def contents_delete(*, account_id: int, content_ids: list[int], unpublish: str | None) -> int:
    """Delete the account's content, all or none; returns how many went. The guards may
    refuse (409 while content has a live post, unless `unpublish` says what to do)."""
    if unpublish is not None and unpublish not in UNPUBLISH_CHOICES:
        raise ApplicationError(
            "unpublish must be trash, draft or keep.",
            errors={"unpublish": [f"Choose one of {', '.join(UNPUBLISH_CHOICES)}."]},
        )
    for guard in _delete_guards:
        guard.prepare(account_id=account_id, content_ids=content_ids, unpublish=unpublish)
    with transaction.atomic():
        rows = Content.objects.select_for_update().filter(account_id=account_id, id__in=content_ids)
        ids = list(rows.values_list("id", flat=True))
        for guard in _delete_guards:
            guard.check(account_id=account_id, content_ids=ids, unpublish=unpublish)
        Content.objects.filter(id__in=ids).delete()
    return len(ids)


def _task_taken() -> ApplicationError:
    """One content per task."""
    message = "This task already has content."
    return ApplicationError(message, code="duplicate", errors={"task": [message]})
