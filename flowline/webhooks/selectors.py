"""Reads of webhooks: the delivery log, the endpoints an event goes to, and the event
types endpoints can subscribe to."""

from __future__ import annotations

from django.db.models import QuerySet

from flowline.webhooks import registry
from flowline.webhooks.models import WebhookEndpoint


def deliveries_for_list(queryset: QuerySet) -> QuerySet:
    """The delivery log with each delivery's endpoint joined (one query a page)."""
    return queryset.select_related("endpoint")


def endpoints_subscribed(*, account_id: int, event_type: str) -> list[WebhookEndpoint]:
    """The account's active endpoints that want `event_type`; the caller names the
    account, as events are emitted from jobs and beats as well as requests."""
    return [
        endpoint
        for endpoint in WebhookEndpoint.unscoped.filter(account_id=account_id, is_active=True)
        if endpoint.wants(event_type)
    ]


def event_types_for_list() -> list[dict]:
    """Every registered event type as {name, description}, by name."""
    return [
        {"name": event_type.name, "description": event_type.description}
        for event_type in registry.event_types()
    ]
