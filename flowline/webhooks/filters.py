import django_filters

from flowline.core.filters import FilterSet
from flowline.webhooks.models import WebhookDelivery


class WebhookDeliveryFilterSet(FilterSet):
    """`?endpoint=<id>`, `?status=failed`, `?event_type=job.completed`. The endpoint is
    filtered by id (not a choice among rows), so another account's id just matches
    nothing."""

    endpoint = django_filters.NumberFilter(field_name="endpoint_id")
    status = django_filters.ChoiceFilter(choices=WebhookDelivery.Status.choices)
    event_type = django_filters.CharFilter()

    class Meta:
        model = WebhookDelivery
        fields = ["endpoint", "status", "event_type"]
