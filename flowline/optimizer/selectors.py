"""Reads of the optimizer: the writer's content turned into `Document`s, and link
suggestions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowline.core.errors import NotFoundError
from flowline.optimizer.document import Document
from flowline.optimizer.models import LinkSuggestion
from flowline.writer import public as writer

if TYPE_CHECKING:
    from flowline.writer.models import Content


def content_get(*, account_id: int, content_id: int) -> Content:
    content = writer.content_with_task(account_id=account_id, content_id=content_id)
    if content is None:
        raise NotFoundError("Content not found.", errors={"content_id": [content_id]})
    return content


def _keywords(content: Content) -> list[str]:
    text = content.keywords or (content.task.keywords if content.task_id else "")
    return [part.strip() for part in text.split(",") if part.strip()]


def document_for(content: Content) -> Document:
    """The writer's content as the optimizer reads it: the first keyword is the primary
    one, the task's word count is the target, the site's URL marks internal links."""
    keywords = _keywords(content)
    site = content.site
    return Document(
        id=content.id,
        site_id=content.site_id,
        html=content.html_content,
        title=content.title,
        meta_title=content.meta_title,
        meta_description=content.meta_description,
        primary_keyword=keywords[0] if keywords else "",
        secondary_keywords=tuple(keywords[1:]),
        target_word_count=content.task.word_count if content.task_id else None,
        url=content.external_url,
        site_url=site.url or site.wp_url,
    )


def site_documents(content: Content) -> list[Document]:
    """Every other linkable article of the content's site."""
    return [document_for(other) for other in writer.linkable_contents(content)]


def link_suggestions_in_order(ids: list[int]) -> list[LinkSuggestion]:
    """The suggestions `ids` of the active account with their targets, in `ids`' order."""
    fresh = LinkSuggestion.objects.filter(id__in=ids).select_related("target")
    return sorted(fresh, key=lambda row: ids.index(row.id))
