"""Filters of the event log: `?event_type=purchase&platform=instagram&site=3
&date_from=2025-01-01&date_to=2025-01-31` (UTC days, inclusive)."""

from datetime import timedelta

import django_filters

from flowline.analytics.models import AnalyticsEvent, Platform
from flowline.analytics.services.rollup import day_start
from flowline.core.filters import FilterSet


class AnalyticsEventFilterSet(FilterSet):
    event_type = django_filters.CharFilter()
    platform = django_filters.ChoiceFilter(choices=Platform.choices)
    # An id, not a model choice: a choice field would load the account's sites per request.
    site = django_filters.NumberFilter(field_name="site_id")
    session_id = django_filters.CharFilter()
    customer_id = django_filters.CharFilter()
    date_from = django_filters.DateFilter(method="filter_date_from")
    date_to = django_filters.DateFilter(method="filter_date_to")

    class Meta:
        model = AnalyticsEvent
        fields = [
            "event_type",
            "platform",
            "site",
            "session_id",
            "customer_id",
            "date_from",
            "date_to",
        ]

    # Ranges on the column itself (not its date) so the (account, occurred_at) index serves.
    def filter_date_from(self, queryset, name, value):
        return queryset.filter(occurred_at__gte=day_start(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(occurred_at__lt=day_start(value + timedelta(days=1)))
