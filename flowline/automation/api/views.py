"""002 Automation under `automation/`: a site's config, runs now or on schedule, the
current run and its history and logs, the estimate, the pipeline overview, pause,
resume and cancel. Sites are chosen with `site_id`, runs with `run_id` (query or body)."""

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated

from flowline.automation import selectors
from flowline.automation.api import serializers as s
from flowline.automation.models import AutomationLog, AutomationRun
from flowline.automation.services import runs
from flowline.core.envelope import ok
from flowline.core.errors import ApplicationError, NotFoundError
from flowline.core.idempotency import idempotent
from flowline.core.permissions import HasAccountRole
from flowline.core.roles import Role
from flowline.core.throttles import AIThrottle, UserThrottle
from flowline.core.viewsets import TenantReadOnlyViewSet, created
from flowline.sites.public import site_find

SITE_ID = OpenApiParameter("site_id", int, description="The site (or `site_id` in the body).")
RUN_ID = OpenApiParameter("run_id", int, description="The run (or `run_id` in the body).")
TAGS = ["automation"]


def _int_param(request, name: str) -> int:
    value = request.query_params.get(name)
    if value is None and isinstance(request.data, dict):
        value = request.data.get(name)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApplicationError(
            f"Say which {name.removesuffix('_id')}.", code="invalid", errors={name: ["Required."]}
        ) from None


def _site(request):
    site = site_find(_int_param(request, "site_id"))
    if site is None:
        raise NotFoundError("Site not found.")
    return site


def _run(request) -> AutomationRun:
    run = selectors.run_find(run_id=_int_param(request, "run_id"))
    if run is None:
        raise NotFoundError("Run not found.")
    return run


class AutomationViewSet(viewsets.GenericViewSet):
    """The automation module's actions. It has no queryset of its own: each action finds
    its site or run through the scoped managers (another account's is a 404)."""

    permission_classes = [IsAuthenticated, HasAccountRole]
    read_role = Role.VIEWER
    write_role = Role.EDITOR
    api_scope = "automation"
    serializer_class = s.AutomationRunSerializer
    filter_backends: list = []

    def _page(self, rows, serializer):
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(serializer(page, many=True).data)

    @extend_schema(parameters=[SITE_ID], responses=s.AutomationConfigSerializer, tags=TAGS)
    @action(detail=False, methods=["get"])
    def config(self, request):
        """The site's configuration (the defaults until it is first saved)."""
        return ok(s.AutomationConfigSerializer(selectors.config_for(_site(request))).data)

    @extend_schema(
        parameters=[SITE_ID],
        request=s.AutomationConfigInput,
        responses=s.AutomationConfigSerializer,
        tags=TAGS,
    )
    @action(detail=False, methods=["put", "patch"])
    def update_config(self, request):
        """Change limits and schedule; only the fields given change."""
        site = _site(request)
        payload = s.AutomationConfigInput(data=request.data)
        payload.is_valid(raise_exception=True)
        fields = {k: v for k, v in payload.validated_data.items() if k != "site_id"}
        config = runs.config_update(site=site, user_id=request.user.id, **fields)
        return ok(s.AutomationConfigSerializer(config).data, message="Configuration saved.")

    @extend_schema(
        parameters=[SITE_ID],
        request=s.AutomationSiteInput,
        responses={201: s.AutomationRunSerializer},
        tags=TAGS,
    )
    @action(detail=False, methods=["post"], throttle_classes=[UserThrottle, AIThrottle])
    @idempotent
    def run_now(self, request):
        """Start a run now: 409 while the site has an open run, 402 without the credits."""
        site = _site(request)
        with transaction.atomic():
            run = runs.run_start(site=site, user_id=request.user.id)
        return created(s.AutomationRunSerializer(run).data, message="Automation run started.")

    @extend_schema(parameters=[SITE_ID], responses=s.AutomationRunSerializer, tags=TAGS)
    @action(detail=False, methods=["get"])
    def current_run(self, request):
        """The site's open run (queued, running or paused), or null."""
        run = selectors.open_run(_site(request).id)
        return ok(s.AutomationRunSerializer(run).data if run else None)

    @extend_schema(parameters=[SITE_ID], responses=s.AutomationRunSerializer(many=True), tags=TAGS)
    @action(detail=False, methods=["get"])
    def history(self, request):
        """The site's runs, newest first."""
        rows = selectors.runs_of_site(site_id=_site(request).id)
        return self._page(rows, s.AutomationRunSerializer)

    @extend_schema(
        parameters=[
            RUN_ID,
            OpenApiParameter("stage", str, description="Only this stage's lines."),
            OpenApiParameter("level", str, enum=AutomationLog.Level.values),
        ],
        responses=s.AutomationLogSerializer(many=True),
        tags=TAGS,
    )
    @action(detail=False, methods=["get"])
    def logs(self, request):
        """A run's log, oldest first."""
        params = request.query_params
        rows = selectors.run_log(
            run_id=_run(request).id, stage=params.get("stage"), level=params.get("level")
        )
        return self._page(rows, s.AutomationLogSerializer)

    @extend_schema(parameters=[SITE_ID], responses=s.AutomationEstimateSerializer, tags=TAGS)
    @action(detail=False, methods=["get"])
    def estimate(self, request):
        """Credits the next run needs for what is waiting now, per stage."""
        site = _site(request)
        return ok(
            selectors.estimate(
                account_id=site.account_id, site_id=site.id, config=selectors.config_for(site)
            )
        )

    @extend_schema(
        parameters=[SITE_ID], responses=s.AutomationPipelineOverviewSerializer, tags=TAGS
    )
    @action(detail=False, methods=["get"])
    def pipeline_overview(self, request):
        """How many items wait at each stage and how many the next run takes."""
        site = _site(request)
        return ok(
            selectors.pipeline_overview(
                account_id=site.account_id, site_id=site.id, config=selectors.config_for(site)
            )
        )

    @extend_schema(
        parameters=[SITE_ID, RUN_ID], responses=s.AutomationCurrentProcessingSerializer, tags=TAGS
    )
    @action(detail=False, methods=["get"])
    def current_processing(self, request):
        """What the open run (or the run named) is doing now, or null."""
        if request.query_params.get("run_id"):
            run = _run(request)
        else:
            run = selectors.open_run(_site(request).id)
        return ok(selectors.current_processing(run))

    @extend_schema(
        parameters=[RUN_ID],
        request=s.AutomationRunInput,
        responses=s.AutomationRunSerializer,
        tags=TAGS,
    )
    @action(detail=False, methods=["post"])
    def pause(self, request):
        """Pause: at once when queued, after the current step when running."""
        run = runs.run_pause(run=_run(request))
        return ok(s.AutomationRunSerializer(run).data, message="Pause accepted.")

    @extend_schema(
        parameters=[RUN_ID],
        request=s.AutomationRunInput,
        responses=s.AutomationRunSerializer,
        tags=TAGS,
    )
    @action(detail=False, methods=["post"])
    def resume(self, request):
        """Continue a paused run from the stage and item where it stopped."""
        run = runs.run_resume(run=_run(request), user_id=request.user.id)
        return ok(s.AutomationRunSerializer(run).data, message="Run resumed.")

    @extend_schema(
        parameters=[RUN_ID],
        request=s.AutomationRunInput,
        responses=s.AutomationRunSerializer,
        tags=TAGS,
    )
    @action(detail=False, methods=["post"])
    def cancel(self, request):
        """Cancel: at once when queued or paused, after the current step when running."""
        run = runs.run_cancel(run=_run(request))
        return ok(s.AutomationRunSerializer(run).data, message="Cancel accepted.")


class AutomationRunViewSet(TenantReadOnlyViewSet):
    """Every run of the account's sites (`automation/runs/`), filterable."""

    model = AutomationRun
    serializer_class = s.AutomationRunSerializer
    filterset_fields = ["site", "status", "trigger"]
    ordering_fields = ["created_at", "credits_used"]
    api_scope = "automation"

    @extend_schema(responses=s.AutomationLogSerializer(many=True), filters=False, tags=TAGS)
    @action(detail=True, methods=["get"], filter_backends=[])
    def logs(self, request, pk=None):
        rows = selectors.run_log(run_id=self.get_object().id)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.AutomationLogSerializer(page, many=True).data)
