"""Writes of the optimizer: record an SEO analysis, refresh a content's link suggestions."""

from __future__ import annotations

from django.db import transaction

from flowline.core.errors import ApplicationError
from flowline.optimizer import linking, scoring, selectors
from flowline.optimizer.models import ContentScore, LinkSuggestion

MAX_LINKS = 20


def content_analyze(*, account_id: int, content_id: int) -> ContentScore:
    """Score one piece of content and keep the result (404 when it is not the account's)."""
    content = selectors.content_get(account_id=account_id, content_id=content_id)
    result = scoring.score(selectors.document_for(content))
    return ContentScore.objects.create(
        account_id=account_id,
        site_id=content.site_id,
        content=content,
        score=result.score,
        word_count=result.word_count,
        checks=result.as_dict()["checks"],
    )


@transaction.atomic
def links_refresh(*, account_id: int, content_id: int, limit: int = 5) -> list[LinkSuggestion]:
    """Replace a content's open suggestions with fresh ones. Targets the editor dismissed
    are not proposed again."""
    if not 1 <= limit <= MAX_LINKS:
        raise ApplicationError(
            f"Ask for 1 to {MAX_LINKS} links.", code="invalid", errors={"limit": ["Out of range."]}
        )
    content = selectors.content_get(account_id=account_id, content_id=content_id)
    dismissed = set(
        LinkSuggestion.objects.filter(
            source=content, status=LinkSuggestion.Status.DISMISSED
        ).values_list("target_id", flat=True)
    )
    candidates = [doc for doc in selectors.site_documents(content) if doc.id not in dismissed]
    found = linking.suggest(selectors.document_for(content), candidates, limit=limit)
    LinkSuggestion.objects.filter(source=content, status=LinkSuggestion.Status.SUGGESTED).delete()
    return LinkSuggestion.objects.bulk_create(
        LinkSuggestion(
            account_id=account_id,
            site_id=content.site_id,
            source=content,
            target_id=s.target_id,
            anchor_text=s.anchor_text[:255],
            matched=s.matched,
            similarity=s.similarity,
            score=s.score,
            context=s.context[:300],
            reason=s.reason[:500],
        )
        for s in found
    )


def suggestion_dismiss(*, suggestion: LinkSuggestion) -> LinkSuggestion:
    """The editor does not want this link: keep the row so it is not proposed again."""
    suggestion.status = LinkSuggestion.Status.DISMISSED
    suggestion.save(update_fields=["status"])
    return suggestion
