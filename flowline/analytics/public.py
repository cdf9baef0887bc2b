"""What other apps may call: track events (chat's messages, social posts) and record the
numbers platforms report. Functions take ids and plain values."""

from flowline.analytics.services.ingest import IngestResult, events_ingest
from flowline.analytics.services.platform_metrics import platform_metric_record
from flowline.core.tenancy import tenant_scope


def track_events(*, account_id: int, events: list[dict]) -> IngestResult:
    """Store events for an account, as `POST analytics/events/` would (same validation:
    `occurred_at` as an ISO string, `value` as a number or string)."""
    with tenant_scope(account_id):
        return events_ingest(account_id=account_id, events=events)


__all__ = ["IngestResult", "platform_metric_record", "track_events"]
