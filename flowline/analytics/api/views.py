"""001 Analytics: event tracking and log, dashboard, platforms, funnel, revenue."""

from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from flowline.analytics.api import serializers as s
from flowline.analytics.filters import AnalyticsEventFilterSet
from flowline.analytics.models import AnalyticsEvent
from flowline.analytics.selectors import events as event_selectors
from flowline.analytics.selectors import funnel, reports
from flowline.analytics.services.ingest import MAX_BATCH, events_ingest
from flowline.core import tenancy
from flowline.core.envelope import ok
from flowline.core.errors import ApplicationError
from flowline.core.large_pagination import GrowingListPagination
from flowline.core.permissions import HasAccountRole
from flowline.core.viewsets import TenantViewSetMixin

TAGS = ["analytics"]
TRACK_BODY = PolymorphicProxySerializer(
    component_name="TrackEventsInput",
    serializers=[s.EventInput, s.EventBatchInput],
    resource_type_field_name=None,
)


class AnalyticsEventViewSet(
    TenantViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The event log (newest first) and the tracking endpoint. API keys need
    `analytics:write` to track and `analytics:read` to read."""

    model = AnalyticsEvent
    serializer_class = s.AnalyticsEventSerializer
    filterset_class = AnalyticsEventFilterSet
    pagination_class = GrowingListPagination
    ordering_fields = ["occurred_at", "received_at"]
    lookup_value_regex = r"\d+"

    def safely_get_queryset(self, queryset):
        return event_selectors.events_for_list(queryset)

    @extend_schema(
        request=TRACK_BODY,
        responses={201: s.IngestResultSerializer, 200: s.IngestResultSerializer},
        description=(
            f'One event, or `{{"events": [...]}}` with up to {MAX_BATCH}. Valid events are '
            "stored even when others are refused; `rejected` lists each refused event's "
            "index and reasons. A batch with no valid event is a 400. Events whose "
            "`event_id` is already stored are counted as `duplicates` and not stored again."
        ),
        tags=TAGS,
    )
    def create(self, request):
        body = request.data
        single = not (isinstance(body, dict) and "events" in body)
        events = [body] if single else body["events"]
        if not isinstance(events, list) or not 1 <= len(events) <= MAX_BATCH:
            raise ApplicationError(
                f"`events` must be a list of 1 to {MAX_BATCH} events.",
                code="invalid_batch",
                errors={"events": [f"Give 1 to {MAX_BATCH} events."]},
            )
        result = events_ingest(account_id=tenancy.require().account_id, events=events)
        if result.rejected and not (result.accepted or result.duplicates):
            errors = result.rejected[0]["errors"] if single else {"events": result.rejected}
            raise ApplicationError("No event was valid.", code="invalid_events", errors=errors)
        message = f"Stored {result.accepted} events."
        if result.rejected:
            message += f" Refused {len(result.rejected)}."
        return ok(
            result.as_dict(),
            message=message,
            status=status.HTTP_201_CREATED if result.accepted else status.HTTP_200_OK,
        )


class ReportView(APIView):
    """A read of the account's analytics; viewers and `analytics:read` keys may call it."""

    permission_classes = [IsAuthenticated, HasAccountRole]
    api_scope = "analytics"
    query_serializer = s.ReportQueryInput

    def query(self, request) -> dict:
        params = self.query_serializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return params.validated_data


class DashboardView(ReportView):
    @extend_schema(parameters=[s.ReportQueryInput], responses=s.DashboardSerializer, tags=TAGS)
    def get(self, request):
        """Daily events by type, revenue and sessions, from rollups plus today live."""
        report = reports.dashboard(self.query(request)["query"])
        return ok(s.DashboardSerializer(report).data)


class PlatformsView(ReportView):
    @extend_schema(
        parameters=[s.ReportQueryInput],
        responses=s.PlatformReportSerializer(many=True),
        tags=TAGS,
    )
    def get(self, request):
        """Per platform (Facebook, Instagram, Twitter/X, WhatsApp, and any other with
        data): events, engagement, orders, revenue, and the platforms' own figures."""
        rows = reports.platform_report(self.query(request)["query"])
        return ok(s.PlatformReportSerializer(rows, many=True).data)


class ConversionsView(ReportView):
    query_serializer = s.FunnelQueryInput

    @extend_schema(
        parameters=[s.FunnelQueryInput],
        responses={200: s.FunnelSerializer, 400: OpenApiResponse(description="Bad steps.")},
        tags=TAGS,
    )
    def get(self, request):
        """The funnel by distinct session and day (UTC): page or product view, add to
        cart, checkout, purchase unless `steps` says otherwise. A session reaches a step
        when it did it and every step before on the same day; over a range, sessions add
        up as session-days, as the dashboard's do."""
        params = self.query(request)
        steps = params.get("steps") or funnel.DEFAULT_STEPS
        report = funnel.conversion_funnel(params["query"], steps=steps)
        return ok(s.FunnelSerializer(report).data)


class RevenueView(ReportView):
    query_serializer = s.RevenueQueryInput

    @extend_schema(parameters=[s.RevenueQueryInput], responses=s.RevenueSerializer, tags=TAGS)
    def get(self, request):
        """Revenue and orders of purchase events per day, week or month."""
        params = self.query(request)
        report = reports.revenue_report(params["query"], interval=params["interval"])
        return ok(s.RevenueSerializer(report).data)
