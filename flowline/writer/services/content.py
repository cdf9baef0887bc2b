"""Content typed in or edited by members, and its publication record."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from flowline.writer.models import Content, Task


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
