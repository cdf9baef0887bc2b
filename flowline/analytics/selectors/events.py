"""The event log."""

from django.db.models import QuerySet

from flowline.analytics.models import AnalyticsEvent


def events_for_list(queryset: QuerySet[AnalyticsEvent]) -> QuerySet[AnalyticsEvent]:
    """Newest first (by the client's time), ids breaking ties; no joins are needed."""
    return queryset.order_by("-occurred_at", "-id")
