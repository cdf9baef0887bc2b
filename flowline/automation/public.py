"""What other apps and pages may ask of automation: where a site's keyword-to-WordPress
pipeline stands, as a small frozen summary.

A dashboard card or another app's page shows whether a site is automated and what its
run is doing through `automation_status`, never through automation's models. It reads
inside the active account's scope (`core.tenancy`): another account's site has no
automation here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flowline.automation import selectors
from flowline.automation.models import AutomationConfig


@dataclass(frozen=True)
class AutomationStatus:
    """A site's automation: its schedule and the run in progress (queued, running or
    paused), if any."""

    site_id: int
    enabled: bool
    frequency: str
    next_run_at: datetime | None
    run_id: int | None
    run_status: str | None
    run_stage: str | None


def automation_status(*, site_id: int) -> AutomationStatus:
    """The site's automation status; the defaults (not enabled) until it is configured."""
    config = selectors.config_saved(site_id=site_id)
    run = selectors.open_run(site_id)
    return AutomationStatus(
        site_id=site_id,
        enabled=bool(config and config.is_enabled),
        frequency=config.frequency if config else AutomationConfig.Frequency.DAILY,
        next_run_at=config.next_run_at if config else None,
        run_id=run.id if run else None,
        run_status=run.status if run else None,
        run_stage=(run.stage or None) if run else None,
    )
