"""What other apps may ask of the optimizer (automation scores what it writes)."""

from __future__ import annotations

from dataclasses import asdict

from flowline.optimizer import linking, scoring, selectors, services
from flowline.optimizer.document import Document


def seo_score(content) -> dict:
    """The SEO score of a writer `Content` (or an optimizer `Document`): `score` 0-100,
    `word_count`, `passed`/`total` and each check with its message. Stores nothing."""
    doc = content if isinstance(content, Document) else selectors.document_for(content)
    return scoring.score(doc).as_dict()


def record_seo_score(*, account_id: int, content_id: int) -> dict:
    """Score a content and keep the analysis in its history; returns what `seo_score` does."""
    row = services.content_analyze(account_id=account_id, content_id=content_id)
    return {"id": row.id, "score": row.score, "word_count": row.word_count, "checks": row.checks}


def link_suggestions(*, account_id: int, content_id: int, limit: int = 5) -> list[dict]:
    """Up to `limit` internal links from a content to others of its site, best first
    (`target_id`, `target_url`, `target_title`, `anchor_text`, `matched`, `similarity`,
    `score`, `context`, `reason`). Stores nothing; `linker/process/` keeps them."""
    content = selectors.content_get(account_id=account_id, content_id=content_id)
    found = linking.suggest(
        selectors.document_for(content), selectors.site_documents(content), limit
    )
    return [{**asdict(s), "reason": s.reason} for s in found]
