"""000 campaigns: `campaigns/` with a window, attached posts and articles, and metrics."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from flowline.campaigns import selectors, services
from flowline.campaigns.api import serializers as s
from flowline.campaigns.filters import CampaignFilterSet
from flowline.campaigns.models import Campaign
from flowline.core.envelope import ok
from flowline.core.viewsets import BulkDeleteMixin, TenantModelViewSet, created


class CampaignViewSet(BulkDeleteMixin, TenantModelViewSet):
    """Viewers read; editors create, schedule, attach and end campaigns. `status` is the
    system's: it follows the window."""

    model = Campaign
    serializer_class = s.CampaignSerializer
    filterset_class = CampaignFilterSet
    search_fields = ["name", "description", "goal"]
    ordering_fields = ["name", "starts_at", "ends_at", "created_at", "status"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def safely_get_queryset(self, queryset):
        return selectors.campaigns_for_list(queryset)

    def _out(self, campaign: Campaign):
        fresh = selectors.campaign_for_detail(campaign_id=campaign.pk)
        return s.CampaignSerializer(fresh).data

    @extend_schema(request=s.CampaignInputSerializer, responses={201: s.CampaignSerializer})
    def create(self, request, *args, **kwargs):
        payload = s.CampaignInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        campaign = services.campaign_create(user_id=request.user.id, **payload.validated_data)
        return created(self._out(campaign), message="Campaign created.")

    @extend_schema(request=s.CampaignUpdateSerializer, responses=s.CampaignSerializer)
    def partial_update(self, request, *args, **kwargs):
        campaign = self.get_object()
        payload = s.CampaignUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.campaign_update(campaign=campaign, **payload.validated_data)
        return ok(self._out(campaign), message="Campaign updated.")

    @extend_schema(request=s.CampaignScheduleInput, responses=s.CampaignSerializer)
    @action(detail=True, methods=["post"])
    def schedule(self, request, pk=None):
        """Set the window: scheduled until it starts, running inside it."""
        campaign = self.get_object()  # another account's campaign is 404 before any 400
        payload = s.CampaignScheduleInput(data=request.data)
        payload.is_valid(raise_exception=True)
        campaign = services.campaign_schedule(campaign=campaign, **payload.validated_data)
        return ok(self._out(campaign), message="Campaign scheduled.")

    @extend_schema(request=None, responses=s.CampaignSerializer)
    @action(detail=True, methods=["post"])
    def unschedule(self, request, pk=None):
        campaign = services.campaign_unschedule(campaign=self.get_object())
        return ok(self._out(campaign), message="Campaign back to draft.")

    @extend_schema(request=None, responses=s.CampaignSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """End the campaign now."""
        campaign = services.campaign_complete(campaign=self.get_object())
        return ok(self._out(campaign), message="Campaign completed.")

    @extend_schema(request=s.CampaignAttachInput, responses=s.CampaignSerializer)
    @action(detail=True, methods=["post"])
    def attach(self, request, pk=None):
        """Add posts and articles (ids of this account's posts and writer contents)."""
        campaign = self.get_object()
        payload = s.CampaignAttachInput(data=request.data)
        payload.is_valid(raise_exception=True)
        services.campaign_attach(campaign=campaign, **payload.validated_data)
        return ok(self._out(campaign), message="Attached.")

    @extend_schema(request=s.CampaignAttachInput, responses=s.CampaignSerializer)
    @action(detail=True, methods=["post"])
    def detach(self, request, pk=None):
        campaign = self.get_object()
        payload = s.CampaignAttachInput(data=request.data)
        payload.is_valid(raise_exception=True)
        services.campaign_detach(campaign=campaign, **payload.validated_data)
        return ok(self._out(campaign), message="Detached.")

    @extend_schema(responses=s.CampaignMetricsSerializer)
    @action(detail=True, methods=["get"])
    def metrics(self, request, pk=None):
        """Posts published, reach and engagement (from the posts' published targets)."""
        return ok(selectors.campaign_metrics(self.get_object()))
