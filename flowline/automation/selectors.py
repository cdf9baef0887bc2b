"""Reads of automation: a site's config (defaults until saved), what is waiting at each
stage, what the next run would cost, and what a run is doing now."""

from __future__ import annotations

from django.db.models import QuerySet

from flowline.automation.models import AutomationConfig, AutomationLog, AutomationRun
from flowline.automation.stages import BY_NAME, STAGES
from flowline.billing import public as billing


def config_saved(*, site_id: int) -> AutomationConfig | None:
    """The site's saved config, or None until it is first saved."""
    return AutomationConfig.objects.filter(site_id=site_id).first()


def config_for(site) -> AutomationConfig:
    """The site's config, or an unsaved one with the defaults (reading creates nothing)."""
    config = config_saved(site_id=site.id)
    return config or AutomationConfig(account_id=site.account_id, site=site)


def _waiting(stage, account_id: int, site_id: int, config):
    return stage.waiting(account_id, site_id, config)


def pipeline_overview(*, account_id: int, site_id: int, config) -> dict:
    """How many items wait at each stage, and how many the next run would take."""
    stages = []
    for stage in STAGES:
        waiting = _waiting(stage, account_id, site_id, config).count()
        limit = stage.limit(config)
        stages.append(
            {
                "stage": stage.name,
                "label": stage.label,
                "item": stage.item,
                "waiting": waiting,
                "limit": limit,
                "next_run": min(waiting, limit),
            }
        )
    return {"site_id": site_id, "stages": stages}


def _credits(stage, account_id: int, batch: list[int]) -> int:
    """What one step over `batch` will hold, as the run prices it."""
    quantity = stage.quantity(account_id, batch) if stage.operation_type and batch else 0
    if not quantity:
        return 0
    return billing.estimate(operation_type=stage.operation_type, quantity=quantity).credits


def _batches(stage, waiting, ids: list[int]) -> list[list[int]]:
    """The steps a run would take over `ids`: batches of the stage's size, of items
    sharing `together_by` (keywords of one sector)."""
    groups: dict = {}
    if stage.together_by:
        for item_id, key in waiting.filter(id__in=ids).values_list("id", stage.together_by):
            groups.setdefault(key, []).append(item_id)
    else:
        groups[None] = ids
    size = stage.batch_size
    return [
        group[start : start + size]
        for group in groups.values()
        for start in range(0, len(group), size)
    ]


def estimate(*, account_id: int, site_id: int, config, progress: dict | None = None) -> dict:
    """Credits the next run (or the rest of a paused one, given its `progress`) needs for
    what is waiting now, per stage, priced from `billing.CreditCost`. Items a run creates
    on its way (the ideas of new clusters, say) add to it; they are priced when reached."""
    progress = progress or {}
    rows, total = [], 0
    for stage in STAGES:
        state = progress.get(stage.name) or {}
        if state.get("status") in ("done", "skipped"):
            continue
        limit = state.get("limit", stage.limit(config)) - state.get("done", 0)
        waiting = _waiting(stage, account_id, site_id, config)
        ids = list(waiting.order_by("id").values_list("id", flat=True)[: max(0, limit)])
        credits = sum(_credits(stage, account_id, batch) for batch in _batches(stage, waiting, ids))
        total += credits
        rows.append(
            {
                "stage": stage.name,
                "label": stage.label,
                "items": len(ids),
                "operation_type": stage.operation_type,
                "credits": credits,
            }
        )
    available = billing.available_credits(account_id=account_id)
    return {
        "site_id": site_id,
        "stages": rows,
        "total_credits": total,
        "credits_available": available,
        "sufficient": available >= total,
    }


def open_run(site_id: int) -> AutomationRun | None:
    return AutomationRun.objects.filter(
        site_id=site_id,
        status__in=[
            AutomationRun.Status.QUEUED,
            AutomationRun.Status.RUNNING,
            AutomationRun.Status.PAUSED,
        ],
    ).first()


def current_processing(run: AutomationRun | None) -> dict | None:
    """What the run does right now: its stage, the items of the step in progress, and
    how far the stage has got."""
    if run is None:
        return None
    stage = BY_NAME.get(run.stage)
    state = (run.progress or {}).get(run.stage) or {}
    return {
        "run_id": run.id,
        "status": run.status,
        "stage": run.stage or None,
        "stage_label": stage.label if stage else None,
        "stage_index": STAGES.index(stage) + 1 if stage else None,
        "stage_count": len(STAGES),
        "items": (run.current or {}).get("ids", []),
        "item_type": (run.current or {}).get("item"),
        "message": (run.current or {}).get("message") or None,
        "done": state.get("done", 0),
        "limit": state.get("limit"),
        "credits_used": run.credits_used,
    }


def run_find(*, run_id: int | None) -> AutomationRun | None:
    """A run of the active account, or None."""
    return AutomationRun.objects.filter(id=run_id).first()


def runs_of_site(*, site_id: int) -> QuerySet:
    """The site's runs, newest first."""
    return AutomationRun.objects.filter(site_id=site_id).order_by("-id")


def run_log(*, run_id: int, stage: str | None = None, level: str | None = None) -> QuerySet:
    """A run's log lines, oldest first; only one stage's or one level's when given."""
    rows = AutomationLog.objects.filter(run_id=run_id).order_by("id")
    if stage:
        rows = rows.filter(stage=stage)
    if level:
        rows = rows.filter(level=level)
    return rows
