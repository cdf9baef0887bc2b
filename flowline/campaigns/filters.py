"""Campaign list filters."""

import django_filters

from flowline.campaigns.models import Campaign
from flowline.core.filters import FilterSet


class CampaignFilterSet(FilterSet):
    starts_after = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    ends_before = django_filters.IsoDateTimeFilter(field_name="ends_at", lookup_expr="lte")

    class Meta:
        model = Campaign
        fields = ["status", "site"]
