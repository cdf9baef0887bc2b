import django_filters

from flowline.core.filters import FilterSet
from flowline.notifications.models import Notification


class NotificationFilterSet(FilterSet):
    """`?is_read=false` for unread only, `?notification_type=job_failed` (or `?type=`)."""

    is_read = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", exclude=True)
    notification_type = django_filters.CharFilter()
    type = django_filters.CharFilter(field_name="notification_type")

    class Meta:
        model = Notification
        fields = ["is_read", "notification_type", "type"]
