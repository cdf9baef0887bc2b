"""Campaign writes: create, change, schedule a window, attach posts and articles, end,
and the beat's moves along the window (draft → scheduled → running → completed)."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from flowline.campaigns.models import Campaign
from flowline.core.errors import ApplicationError, ConflictError
from flowline.webhooks.public import emit

logger = logging.getLogger("flowline.campaigns")
Status = Campaign.Status


def _check_window(starts_at: datetime, ends_at: datetime, *, now: datetime) -> None:
    errors = {}
    if ends_at <= starts_at:
        errors["ends_at"] = ["The campaign must end after it starts."]
    elif ends_at <= now:
        errors["ends_at"] = ["The campaign must end in the future."]
    if errors:
        raise ApplicationError("Invalid campaign window.", code="validation_error", errors=errors)


@transaction.atomic
def campaign_create(
    *,
    name: str,
    user_id: int | None,
    description: str = "",
    goal: str = "",
    site=None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    posts=(),
    contents=(),
) -> Campaign:
    """A draft campaign; with a window it is scheduled at once."""
    campaign = Campaign.objects.create(
        name=name, description=description, goal=goal, site=site, created_by_id=user_id
    )
    campaign.posts.set(posts)
    campaign.contents.set(contents)
    if starts_at or ends_at:
        if not (starts_at and ends_at):
            raise ApplicationError(
                "A window needs both ends.",
                code="validation_error",
                errors={"ends_at" if starts_at else "starts_at": ["This field is required."]},
            )
        campaign_schedule(campaign=campaign, starts_at=starts_at, ends_at=ends_at)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, **fields) -> Campaign:
    """Name, description, goal, site; posts and contents replace the attached sets."""
    posts = fields.pop("posts", None)
    contents = fields.pop("contents", None)
    for name, value in fields.items():
        setattr(campaign, name, value)
    if fields:
        campaign.save(update_fields=[*fields, "updated_at"])
    if posts is not None:
        campaign.posts.set(posts)
    if contents is not None:
        campaign.contents.set(contents)
    return campaign


@transaction.atomic
def campaign_schedule(*, campaign: Campaign, starts_at: datetime, ends_at: datetime) -> Campaign:
    """Set the window. A draft or scheduled campaign becomes scheduled (running at once
    when the window has begun); a running one may only move its end; a completed one
    is over (409)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    now = timezone.now()
    if campaign.status == Status.COMPLETED:
        raise ConflictError("The campaign is completed.", code="campaign_completed")
    if campaign.status == Status.RUNNING:
        if starts_at != campaign.starts_at:
            raise ApplicationError(
                "A running campaign's start cannot move.",
                code="validation_error",
                errors={"starts_at": ["The campaign has started; only ends_at can change."]},
            )
        _check_window(campaign.starts_at, ends_at, now=now)
        campaign.ends_at = ends_at
        campaign.save(update_fields=["ends_at", "updated_at"])
        return campaign
    _check_window(starts_at, ends_at, now=now)
    campaign.starts_at, campaign.ends_at = starts_at, ends_at
    campaign.status = Status.SCHEDULED
    campaign.save(update_fields=["starts_at", "ends_at", "status", "updated_at"])
    campaigns_advance(now=now, ids=[campaign.pk])
    campaign.refresh_from_db()
    return campaign


@transaction.atomic
def campaign_unschedule(*, campaign: Campaign) -> Campaign:
    """Back to draft, window kept; only before it starts."""
    changed = Campaign.objects.filter(pk=campaign.pk, status=Status.SCHEDULED).update(
        status=Status.DRAFT, updated_at=timezone.now()
    )
    if not changed:
        raise ConflictError("Only a scheduled campaign can be unscheduled.", code="invalid_state")
    campaign.refresh_from_db()
    return campaign


@transaction.atomic
def campaign_complete(*, campaign: Campaign) -> Campaign:
    """End a scheduled or running campaign now."""
    now = timezone.now()
    changed = Campaign.objects.filter(
        pk=campaign.pk, status__in=[Status.SCHEDULED, Status.RUNNING]
    ).update(status=Status.COMPLETED, completed_at=now, updated_at=now)
    if not changed:
        raise ConflictError("Only a scheduled or running campaign can end.", code="invalid_state")
    emit(
        account_id=campaign.account_id, event_type="campaign.completed", payload={"id": campaign.pk}
    )
    campaign.refresh_from_db()
    return campaign


@transaction.atomic
def campaign_attach(*, campaign: Campaign, posts=(), contents=()) -> Campaign:
    campaign.posts.add(*posts)
    campaign.contents.add(*contents)
    return campaign


@transaction.atomic
def campaign_detach(*, campaign: Campaign, posts=(), contents=()) -> Campaign:
    campaign.posts.remove(*posts)
    campaign.contents.remove(*contents)
    return campaign


def campaigns_advance(*, now: datetime | None = None, ids: list[int] | None = None) -> dict:
    """Move campaigns along their windows (the beat task, every minute) and emit
    `campaign.started` / `campaign.completed`. The rows are locked (skipping rows another
    worker holds) and updated in one transaction, so each move happens, and is announced,
    once."""
    now = now or timezone.now()
    rows = Campaign.unscoped.all() if ids is None else Campaign.unscoped.filter(pk__in=ids)
    with transaction.atomic():
        starting = _lock(rows.filter(status=Status.SCHEDULED, starts_at__lte=now, ends_at__gt=now))
        ending = _lock(rows.filter(status__in=[Status.SCHEDULED, Status.RUNNING], ends_at__lte=now))
        Campaign.unscoped.filter(pk__in=[pk for pk, _ in starting]).update(
            status=Status.RUNNING, started_at=now, updated_at=now
        )
        Campaign.unscoped.filter(pk__in=[pk for pk, _ in ending]).update(
            status=Status.COMPLETED,
            started_at=Coalesce(F("started_at"), F("starts_at")),
            completed_at=now,
            updated_at=now,
        )
        for event_type, moved in (("campaign.started", starting), ("campaign.completed", ending)):
            for pk, account_id in moved:
                emit(account_id=account_id, event_type=event_type, payload={"id": pk})
    if starting or ending:
        logger.info("Campaigns advanced: %s started, %s completed", len(starting), len(ending))
    return {"started": len(starting), "completed": len(ending)}


def _lock(queryset) -> list[tuple[int, int]]:
    return list(queryset.select_for_update(skip_locked=True).values_list("pk", "account_id"))
