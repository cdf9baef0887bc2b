"""Automatic clustering of keywords (003 `auto_cluster`).

Keywords are grouped per sector by `grouping` (vectors + agglomerative clustering); the
language model is asked only to name and describe the clusters, one call for a batch of
`NAMING_BATCH` clusters. When it gives no usable name the cluster is named after its
most central keyword, so an offline install still gets sensible names.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from threadpoolctl import threadpool_limits

from flowline.ai import public as ai
from flowline.billing import public as billing
from flowline.planner.models import Cluster, Keyword
from flowline.planner.services import grouping
from flowline.planner.services.keywords import clusters_refresh_totals

logger = logging.getLogger("flowline.planner")

OPERATION = "clustering"
NAMING_OPERATION = "cluster_naming"
NAMING_BATCH = 25
EMBED_BATCH = 256
_NAME_KEYWORDS = 8

Progress = Callable[[int, str], None] | None


def _report(progress: Progress, percentage: int, message: str) -> None:
    if progress is not None:
        progress(percentage, message)


def _vectors(account_id: int, texts: list[str], *, job_id, progress: Progress, span: tuple):
    if not ai.embeddings_configured(account_id):
        packaged = ai.packaged_model()
        if packaged is None:
            return grouping.tfidf_vectors(texts), settings.PLANNER_CLUSTER_THRESHOLD
        return (
            grouping.packaged_vectors(packaged, texts),
            settings.PLANNER_PACKAGED_CLUSTER_THRESHOLD,
        )
    rows: list[list[float]] = []
    start, end = span
    for offset in range(0, len(texts), EMBED_BATCH):
        rows.extend(
            ai.embed(
                account_id=account_id,
                texts=texts[offset : offset + EMBED_BATCH],
                operation=OPERATION,
                job_id=job_id,
            )
        )
        done = min(len(texts), offset + EMBED_BATCH) / len(texts)
        _report(progress, int(start + (end - start) * done), "Embedding keywords")
    return np.asarray(rows, dtype=float), settings.PLANNER_EMBEDDING_CLUSTER_THRESHOLD


def _fallback_name(keyword: str) -> str:
    words = grouping.content_words(keyword)
    return (words or keyword).title()[:255]


def _parse_names(text: str) -> dict[int, tuple[str, str]]:
    try:
        data = json.loads(text.strip().removeprefix("```json").removesuffix("```"))
    except (json.JSONDecodeError, TypeError, ValueError):
        return {}
    items = data.get("clusters") if isinstance(data, dict) else None
    names = {}
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        try:
            index = int(item.get("index"))
        except (TypeError, ValueError):
            continue
        name = " ".join(str(item.get("name") or "").split())[:255]
        if name:
            names[index] = (name, " ".join(str(item.get("description") or "").split()))
    return names


def name_clusters(account_id: int, groups: list[list[str]], *, job_id=None) -> list[tuple]:
    """(name, description) for each group of keywords (most central first): one model
    call per `NAMING_BATCH` groups, the central keyword where the model gives nothing."""
    named: list[tuple[str, str]] = []
    for offset in range(0, len(groups), NAMING_BATCH):
        batch = groups[offset : offset + NAMING_BATCH]
        listing = "\n".join(
            f"{index}. " + ", ".join(words[:_NAME_KEYWORDS]) for index, words in enumerate(batch, 1)
        )
        result = ai.chat(
            account_id=account_id,
            messages=[
                {
                    "role": "system",
                    "content": "You name keyword clusters for an SEO content plan.",
                },
                {
                    "role": "user",
                    "content": (
                        "Give each numbered keyword cluster below a short descriptive name "
                        "(2 to 5 words) and a one-sentence description of the search intent "
                        'it covers. Answer in JSON only: {"clusters": [{"index": 1, '
                        '"name": "...", "description": "..."}]}.\n\nClusters:\n' + listing
                    ),
                },
            ],
            operation=NAMING_OPERATION,
            json_mode=True,
            job_id=job_id,
        )
        answers = _parse_names(result.text)
        for index, words in enumerate(batch, 1):
            name, description = answers.get(index, ("", ""))
            named.append(
                (
                    name or _fallback_name(words[0]),
                    description or f"Searches around “{words[0]}” ({len(words)} keywords).",
                )
            )
    return named


def cluster_keywords(
    *,
    account_id: int,
    keyword_ids: list[int],
    user_id: int | None = None,
    progress: Progress = None,
    job_id=None,
) -> list[Cluster]:
    """Group these keywords (of the account; missing ids are skipped) into new clusters,
    per sector, and move them there. Clusters left empty by the move, with no ideas, are
    deleted. 402 `plan_limit_exceeded` (nothing changed) past the plan's `max_clusters`.
    Does not charge credits: the `planner.auto_cluster` job (or the caller) does."""
    _report(progress, 5, "Loading keywords")
    rows = list(
        Keyword.objects.filter(account_id=account_id, id__in=keyword_ids)
        .order_by("id")
        .values("id", "keyword", "site_id", "sector_id", "cluster_id", "volume")
    )
    by_sector: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_sector[row["sector_id"]].append(row)
    planned: list[tuple[dict, list[dict]]] = []  # (sector row, member rows), central first
    _report(progress, 10, "Grouping keywords")
    total = max(1, len(rows))
    done = 0
    for members in by_sector.values():
        texts = [row["keyword"] for row in members]
        # embedding takes most of this sector's share of 10..70%, grouping the rest
        span = (10 + 60 * done // total, 10 + (60 * done + 45 * len(members)) // total)
        # One BLAS thread: on a busy machine more threads spin against each other (10x slower).
        with threadpool_limits(limits=1):
            vectors, threshold = _vectors(
                account_id, texts, job_id=job_id, progress=progress, span=span
            )
            result = grouping.group(vectors, threshold=threshold)
        done += len(members)
        _report(progress, 10 + 60 * done // total, "Grouping keywords")
        clusters: list[list[dict]] = [[] for _ in range(result.count)]
        for row, label in zip(members, result.labels, strict=True):
            clusters[label].append(row)
        for label, cluster_rows in enumerate(clusters):
            central = members[result.representatives[label]]
            others = sorted(
                (row for row in cluster_rows if row is not central),
                key=lambda row: (-row["volume"], row["id"]),
            )
            ordered = [central, *others]
            planned.append((members[0], ordered))
    _report(progress, 72, "Naming clusters")
    names = name_clusters(
        account_id, [[row["keyword"] for row in group] for _, group in planned], job_id=job_id
    )
    _report(progress, 92, "Saving clusters")
    created = _save(account_id, planned, names, previous={row["cluster_id"] for row in rows})
    _report(progress, 100, f"{len(created)} clusters")
    return created


@transaction.atomic
def _save(account_id: int, planned, names, *, previous: set) -> list[Cluster]:
    clusters = Cluster.objects.bulk_create(
        [
            Cluster(
                account_id=account_id,
                site_id=anchor["site_id"],
                sector_id=anchor["sector_id"],
                name=name,
                description=description,
            )
            for (anchor, _), (name, description) in zip(planned, names, strict=True)
        ]
    )
    now = timezone.now()
    for cluster, (_, members) in zip(clusters, planned, strict=True):
        Keyword.objects.filter(id__in=[row["id"] for row in members]).update(
            cluster_id=cluster.id, updated_at=now
        )
    moved = [row["id"] for _, members in planned for row in members]
    for start in range(0, len(moved), 1000):
        Keyword.objects.filter(
            id__in=moved[start : start + 1000], status=Keyword.Status.PENDING
        ).update(status=Keyword.Status.ACTIVE)
    clusters_refresh_totals([cluster.id for cluster in clusters] + list(previous))
    Cluster.objects.filter(
        account_id=account_id,
        id__in=[i for i in previous if i],
        keywords_count=0,
        ideas__isnull=True,
    ).delete()
    count = Cluster.objects.filter(account_id=account_id).count()
    billing.check_limit(
        account_id=account_id,
        limit="max_clusters",
        current=count - len(clusters),
        adding=len(clusters),
    )
    return list(Cluster.objects.filter(id__in=[cluster.id for cluster in clusters]))
