"""Request and response bodies of the analytics endpoints.

Event payloads are checked by `flowline.analytics.validation` (a serializer per event is
too slow for batches); `EventInput` and `EventBatchInput` describe them in the schema.
"""

from datetime import timedelta

from django.utils import timezone
from rest_framework import serializers

from flowline.analytics.models import AnalyticsEvent, Platform
from flowline.analytics.selectors.funnel import DEFAULT_STEPS, MAX_STEPS
from flowline.analytics.selectors.metrics import BUCKETS, MetricQuery
from flowline.analytics.services.ingest import MAX_BATCH
from flowline.analytics.validation import EVENT_TYPE, TRACKED_FIELDS
from flowline.core.serializers import IdField, ModelSerializer, Serializer

MAX_RANGE_DAYS = 731
DEFAULT_RANGE_DAYS = 30


class AnalyticsEventSerializer(ModelSerializer):
    class Meta:
        model = AnalyticsEvent
        fields = ["id", *TRACKED_FIELDS, "received_at"]
        read_only_fields = fields


class EventInput(Serializer):
    """One event. Only `event_type` is required; `occurred_at` defaults to now."""

    event_id = serializers.UUIDField(required=False, help_text="The client's id: dedups retries.")
    event_type = serializers.RegexField(EVENT_TYPE.pattern)
    platform = serializers.ChoiceField(choices=Platform.choices, default=Platform.WEB)
    site = IdField(required=False, allow_null=True)
    session_id = serializers.CharField(required=False, max_length=64)
    customer_id = serializers.CharField(required=False, max_length=64)
    value = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    currency = serializers.RegexField(r"^[A-Z]{3}$", required=False)
    properties = serializers.DictField(required=False)
    occurred_at = serializers.DateTimeField(required=False)


class EventBatchInput(Serializer):
    events = EventInput(many=True, max_length=MAX_BATCH)


class RejectedEventSerializer(Serializer):
    index = serializers.IntegerField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class IngestResultSerializer(Serializer):
    accepted = serializers.IntegerField()
    duplicates = serializers.IntegerField(help_text="Events whose event_id was already stored.")
    rejected = RejectedEventSerializer(many=True)


class ReportQueryInput(Serializer):
    """`?date_from&date_to` (UTC days, inclusive; the last 30 days by default),
    `&site=<id>&platform=<platform>`."""

    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    site = IdField(required=False)
    platform = serializers.ChoiceField(choices=Platform.choices, required=False)

    def validate(self, attrs):
        date_to = attrs.get("date_to") or timezone.now().date()
        date_from = attrs.get("date_from") or date_to - timedelta(days=DEFAULT_RANGE_DAYS - 1)
        if date_from > date_to:
            raise serializers.ValidationError({"date_from": ["Must not be after date_to."]})
        if (date_to - date_from).days >= MAX_RANGE_DAYS:
            raise serializers.ValidationError(
                {"date_from": [f"The range is limited to {MAX_RANGE_DAYS} days."]}
            )
        attrs["query"] = MetricQuery(
            date_from=date_from,
            date_to=date_to,
            site_id=attrs.get("site"),
            platform=attrs.get("platform"),
        )
        return attrs


class RevenueQueryInput(ReportQueryInput):
    interval = serializers.ChoiceField(choices=sorted(BUCKETS), default="day")


class FunnelQueryInput(ReportQueryInput):
    steps = serializers.CharField(
        required=False,
        help_text=(
            "Comma-separated steps, each one or more event types joined by |; default "
            + ",".join("|".join(step) for step in DEFAULT_STEPS)
        ),
    )

    def validate_steps(self, value: str) -> tuple[tuple[str, ...], ...]:
        steps = tuple(tuple(part.split("|")) for part in value.split(","))
        if not 2 <= len(steps) <= MAX_STEPS:
            raise serializers.ValidationError(f"Give 2 to {MAX_STEPS} steps.")
        for step in steps:
            if not all(EVENT_TYPE.match(event_type) for event_type in step):
                raise serializers.ValidationError(f"Not an event type: {'|'.join(step)!r}.")
        return steps


class DayCountsSerializer(Serializer):
    date = serializers.DateField()
    events = serializers.IntegerField()
    revenue = serializers.DecimalField(max_digits=18, decimal_places=2)
    sessions = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField())


class DashboardTotalsSerializer(Serializer):
    events = serializers.IntegerField()
    revenue = serializers.DecimalField(max_digits=18, decimal_places=2)
    sessions = serializers.IntegerField(help_text="Distinct sessions of each day, added up.")
    counts = serializers.DictField(child=serializers.IntegerField())


class DashboardSerializer(Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    live_from = serializers.DateField(help_text="Days from this one on are counted live.")
    totals = DashboardTotalsSerializer()
    days = DayCountsSerializer(many=True)


class ReportedSerializer(Serializer):
    followers = serializers.IntegerField()
    reach = serializers.IntegerField()
    impressions = serializers.IntegerField()
    engagement = serializers.IntegerField()


class PlatformReportSerializer(Serializer):
    platform = serializers.CharField()
    events = serializers.IntegerField()
    engagement = serializers.IntegerField()
    posts_published = serializers.IntegerField()
    messages_received = serializers.IntegerField()
    orders = serializers.IntegerField()
    revenue = serializers.DecimalField(max_digits=18, decimal_places=2)
    sessions = serializers.IntegerField()
    reported = ReportedSerializer()


class FunnelStepSerializer(Serializer):
    step = serializers.CharField()
    event_types = serializers.ListField(child=serializers.CharField())
    sessions = serializers.IntegerField()
    rate_from_previous = serializers.FloatField()
    rate_from_first = serializers.FloatField()


class FunnelSerializer(Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    steps = FunnelStepSerializer(many=True)
    overall_rate = serializers.FloatField()


class RevenueBucketSerializer(Serializer):
    period = serializers.DateField(help_text="The bucket's first day.")
    orders = serializers.IntegerField()
    revenue = serializers.DecimalField(max_digits=18, decimal_places=2)


class RevenueSerializer(Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    interval = serializers.CharField()
    orders = serializers.IntegerField()
    revenue = serializers.DecimalField(max_digits=18, decimal_places=2)
    buckets = RevenueBucketSerializer(many=True)
