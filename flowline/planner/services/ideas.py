"""Content ideas: written by hand, generated per cluster by the model (003
`auto_generate_ideas`), and marked queued when the writer takes them."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from flowline.ai import public as ai
from flowline.billing import public as billing
from flowline.core import tenancy
from flowline.core.errors import ApplicationError
from flowline.planner.models import Cluster, ContentIdea, Keyword
from flowline.planner.services.keywords import check_sector

if TYPE_CHECKING:  # annotations only: planner reaches sites through its public.py
    from flowline.sites.models import Sector, Site

OPERATION = "ideas"
PROMPT_TYPE = "generate_ideas"
_PROMPT_KEYWORDS = 15
_CONTENT_TYPES = set(ContentIdea.ContentType.values)


def check_idea_limit(*, account_id: int, adding: int) -> None:
    """402 when `adding` ideas would go past the plan's `max_ideas`."""
    billing.check_limit(
        account_id=account_id,
        limit="max_ideas",
        current=ContentIdea.objects.filter(account_id=account_id).count(),
        adding=adding,
    )


def _check_cluster(cluster: Cluster | None, sector: Sector) -> None:
    if cluster is not None and cluster.sector_id != sector.id:
        raise ApplicationError(
            "The cluster belongs to another sector.",
            errors={"cluster_id": ["Not a cluster of this sector."]},
        )


@transaction.atomic
def idea_create(
    *, sector: Sector, idea_title: str, site: Site | None = None, user_id=None, **fields
) -> ContentIdea:
    account_id = tenancy.require().account_id
    site = check_sector(site=site, sector=sector)
    _check_cluster(fields.get("cluster"), sector)
    check_idea_limit(account_id=account_id, adding=1)
    return ContentIdea.objects.create(
        site=site, sector=sector, idea_title=idea_title.strip(), created_by_id=user_id, **fields
    )


@transaction.atomic
def idea_update(*, idea: ContentIdea, **fields) -> ContentIdea:
    sector = fields.get("sector", idea.sector)
    site = fields.get("site") if ("site" in fields or "sector" in fields) else idea.site
    fields["site"] = check_sector(site=site, sector=sector)
    if "cluster" in fields:
        _check_cluster(fields["cluster"], sector)
    elif "sector" in fields and idea.cluster_id and idea.cluster.sector_id != sector.id:
        fields["cluster"] = None
    for name, value in fields.items():
        setattr(idea, name, value)
    idea.save()
    return idea


def ideas_mark_queued(*, account_id: int, idea_ids: list[int]) -> int:
    """Mark new ideas queued to the writer (ideas already further along stay as they are)."""
    return ContentIdea.objects.filter(
        account_id=account_id, id__in=idea_ids, status=ContentIdea.Status.NEW
    ).update(status=ContentIdea.Status.QUEUED, updated_at=timezone.now())


# The writer owns "ideas into tasks" and registers it here (the planner cannot import it).
_ideas_queue: Callable[..., list] | None = None


def register_ideas_queue(queue: Callable[..., list]) -> None:
    """`queue(account_id=, idea_ids=, user_id=)` -> the tasks made of the ideas, which it
    marks queued (`ideas_mark_queued`) in the same transaction."""
    global _ideas_queue
    _ideas_queue = queue


def ideas_queue_to_writer(*, account_id: int, idea_ids: list[int], user_id=None) -> list:
    """Writer tasks for these ideas (ideas that already have one are skipped), the ideas
    marked queued, in one transaction: the writer's `queue_ideas`."""
    if _ideas_queue is None:
        raise ApplicationError("No writer is installed.", code="unavailable", status=503)
    return _ideas_queue(account_id=account_id, idea_ids=idea_ids, user_id=user_id)


def _parse(text: str) -> list[dict]:
    try:
        data = json.loads(text.strip().removeprefix("```json").removesuffix("```"))
    except (json.JSONDecodeError, TypeError, ValueError):
        return []
    items = data.get("ideas") if isinstance(data, dict) else None
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _idea(account_id: int, cluster: Cluster, item: dict, index: int, user_id) -> ContentIdea | None:
    title = " ".join(str(item.get("title") or "").split())[:255]
    if not title:
        return None
    keywords = item.get("target_keywords") or []
    if isinstance(keywords, str):
        keywords = [keywords]
    content_type = str(item.get("content_type") or "")
    hub = index == 0
    return ContentIdea(
        account_id=account_id,
        site_id=cluster.site_id,
        sector_id=cluster.sector_id,
        cluster=cluster,
        idea_title=title,
        description=str(item.get("description") or "").strip(),
        content_type=content_type if content_type in _CONTENT_TYPES else "blog_post",
        content_structure=(
            ContentIdea.ContentStructure.CLUSTER_HUB
            if hub
            else ContentIdea.ContentStructure.SUPPORTING_PAGE
        ),
        target_keywords=", ".join(str(k).strip() for k in keywords if str(k).strip())[:5000],
        estimated_word_count=2500 if hub else 1500,
        created_by_id=user_id,
    )


def generate_ideas(
    *,
    account_id: int,
    cluster_ids: list[int],
    user_id: int | None = None,
    progress: Callable[[int, str], None] | None = None,
    job_id=None,
) -> list[ContentIdea]:
    """Ask the model for article ideas for each cluster (one call per cluster), then save
    them all in one transaction, so a failed or retried run never leaves half of them (or
    twice some of them); the first idea of a cluster is its hub. Missing clusters are
    skipped. 402 `plan_limit_exceeded` (nothing saved) past the plan's `max_ideas`.
    Does not charge credits: the `planner.generate_ideas` job (or the caller) does."""
    clusters = list(
        Cluster.objects.filter(account_id=account_id, id__in=cluster_ids).order_by("id")
    )
    pending: list[ContentIdea] = []
    for position, cluster in enumerate(clusters):
        if progress is not None:
            progress(5 + 90 * position // max(1, len(clusters)), f"Ideas for {cluster.name}")
        keywords = list(
            Keyword.objects.filter(cluster=cluster)
            .order_by("-volume", "id")
            .values_list("keyword", flat=True)[:_PROMPT_KEYWORDS]
        )
        prompt = ai.prompt_render(
            account_id=account_id,
            prompt_type=PROMPT_TYPE,
            cluster_name=cluster.name,
            keywords="\n".join(f"- {keyword}" for keyword in keywords or [cluster.name]),
        )
        result = ai.chat(
            account_id=account_id,
            messages=[{"role": "user", "content": prompt}],
            operation=PROMPT_TYPE,
            json_mode=True,
            job_id=job_id,
        )
        ideas = [
            idea
            for index, item in enumerate(_parse(result.text))
            if (idea := _idea(account_id, cluster, item, index, user_id)) is not None
        ]
        if not ideas:
            raise ApplicationError(
                f"The AI answered with no ideas for cluster {cluster.id}.",
                code="empty_answer",
                status=502,
            )
        pending.extend(ideas)
    with transaction.atomic():
        check_idea_limit(account_id=account_id, adding=len(pending))
        created = ContentIdea.objects.bulk_create(pending)
    if progress is not None:
        progress(100, f"{len(created)} ideas")
    return created
