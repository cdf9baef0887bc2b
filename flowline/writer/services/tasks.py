"""Tasks: created by hand, queued from the planner's ideas, changed in bulk."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from flowline.core.errors import ApplicationError, NotFoundError
from flowline.planner.public import ContentIdea
from flowline.writer.models import Task


def check_placement(*, site, sector, cluster=None, idea=None) -> None:
    """The sector, cluster and idea must belong to the task's site (400 otherwise)."""
    errors = {}
    if sector is not None and site is not None and sector.site_id != site.id:
        errors["sector"] = ["This sector belongs to another site."]
    for name, row in (("cluster", cluster), ("idea", idea)):
        if row is not None and site is not None and row.site_id != site.id:
            errors[name] = [f"This {name} belongs to another site."]
    if errors:
        raise ApplicationError("The task's site does not match.", errors=errors)


def task_create(**fields) -> Task:
    """A task typed in by a member (or an API client)."""
    check_placement(
        site=fields.get("site"),
        sector=fields.get("sector"),
        cluster=fields.get("cluster"),
        idea=fields.get("idea"),
    )
    try:
        with transaction.atomic():
            return Task.objects.create(**fields)
    except IntegrityError as exc:
        raise _idea_taken() from exc


def task_update(*, task: Task, **fields) -> Task:
    """Change a task; the same site rules as on creation."""
    check_placement(
        site=fields.get("site", task.site),
        sector=fields.get("sector", task.sector),
        cluster=fields.get("cluster", task.cluster),
        idea=fields.get("idea", task.idea),
    )
    for name, value in fields.items():
        setattr(task, name, value)
    try:
        with transaction.atomic():
            task.save()
    except IntegrityError as exc:
        raise _idea_taken() from exc
    return task


@transaction.atomic
def tasks_set_status(*, tasks: list[Task], status: str) -> int:
    """003 `bulk_update`: one status for every task given (already scoped by the caller)."""
    return Task.objects.filter(id__in=[task.id for task in tasks]).update(status=status)


@transaction.atomic
def tasks_from_ideas(*, account_id: int, idea_ids: list[int]) -> list[Task]:
    """One draft task per idea of `account_id` that has none yet; ideas that already have
    a task are skipped, so queueing twice writes nothing twice. Unknown or foreign ids
    are a 404 naming them. The ideas' own status is the planner's to change."""
    ideas = list(
        ContentIdea.objects.select_for_update()
        .filter(account_id=account_id, id__in=idea_ids)
        .order_by("id")
    )
    missing = sorted(set(idea_ids) - {idea.id for idea in ideas})
    if missing:
        raise NotFoundError("Some ideas do not exist in this account.", errors={"ids": missing})
    queued = set(
        Task.objects.filter(account_id=account_id, idea_id__in=idea_ids).values_list(
            "idea_id", flat=True
        )
    )
    created = []
    for idea in ideas:
        if idea.id in queued:
            continue
        created.append(
            Task.objects.create(
                account_id=account_id,
                site_id=idea.site_id,
                sector_id=idea.sector_id,
                cluster_id=idea.cluster_id,
                idea_id=idea.id,
                title=idea.idea_title[:255],
                description=idea.description,
                keywords=idea.target_keywords,
                content_type=idea.content_type,
                content_structure=idea.content_structure,
                word_count=idea.estimated_word_count or 1500,
            )
        )
    return created


def _idea_taken() -> ApplicationError:
    """One task per idea: the database refused a second one."""
    message = "This idea already has a task."
    return ApplicationError(message, code="duplicate", errors={"idea": [message]})
