"""003 Planner: `planner/keywords/`, `planner/clusters/`, `planner/ideas/`."""

from __future__ import annotations

import math

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.filters import SearchFilter
from rest_framework.parsers import FormParser, MultiPartParser

from flowline.billing.public import credits_held, start_paid_job
from flowline.core import private_files, tenancy
from flowline.core.envelope import ok
from flowline.core.errors import ApplicationError
from flowline.core.filters import FilterBackend
from flowline.core.idempotency import idempotent
from flowline.core.large_pagination import LargeListPagination
from flowline.core.serializers import BulkResultSerializer, IdsInputSerializer
from flowline.core.throttles import AIThrottle, UserThrottle
from flowline.core.viewsets import BulkDeleteMixin, TenantModelViewSet, created
from flowline.jobs.public import TaskStarted, paid_job_started
from flowline.planner import jobs, selectors
from flowline.planner.api import serializers as s
from flowline.planner.filters import (
    AliasedOrderingFilter,
    ClusterFilterSet,
    ContentIdeaFilterSet,
    KeywordFilterSet,
)
from flowline.planner.models import Cluster, ContentIdea, Keyword
from flowline.planner.search import KeywordSearchFilter
from flowline.planner.services import clusters as cluster_services
from flowline.planner.services import csv_io, ideas, keywords

_FILTERS = [FilterBackend, SearchFilter, AliasedOrderingFilter]


def _task_started(job, message: str):
    return paid_job_started(job, message=message, held=credits_held(job.id))


class KeywordViewSet(BulkDeleteMixin, TenantModelViewSet):
    """Keywords of the account's sites and sectors (003 KeywordViewSet). Lists reach
    millions of rows: indexed substring search, bounded counts, keyset deep pages."""

    model = Keyword
    serializer_class = s.KeywordSerializer
    filterset_class = KeywordFilterSet
    filter_backends = [FilterBackend, KeywordSearchFilter, AliasedOrderingFilter]
    pagination_class = LargeListPagination
    search_fields = ["keyword"]
    ordering_fields = ["created_at", "volume", "difficulty", "keyword", "status"]
    ordering_aliases = {
        "seed_keyword__volume": "volume",
        "seed_keyword__difficulty": "difficulty",
        "seed_keyword__keyword": "keyword",
    }
    ordering = ["-created_at", "-id"]

    def safely_get_queryset(self, queryset):
        if self.action in ("list", "retrieve"):
            return selectors.keywords_for_list(queryset)
        return queryset

    def perform_create(self, serializer):
        serializer.instance = keywords.keyword_create(**serializer.validated_data)

    def perform_update(self, serializer):
        keywords.keyword_update(instance=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        keywords.keywords_delete(keyword_ids=[instance.id])

    def perform_bulk_destroy(self, rows) -> int:
        return keywords.keywords_delete(keyword_ids=[row.id for row in rows])

    @extend_schema(request=s.BulkStatusInput, responses=BulkResultSerializer)
    @action(detail=False, methods=["post"])
    def bulk_update_status(self, request):
        payload = s.BulkStatusInput(data=request.data)
        payload.is_valid(raise_exception=True)
        rows = self.resolve_ids(payload.validated_data["ids"])
        count = keywords.keywords_set_status(
            keyword_ids=[row.id for row in rows], status=payload.validated_data["status"]
        )
        return ok({"updated_count": count}, message=f"Updated {count} keywords.")

    @extend_schema(request=s.SeedInput, responses={201: s.SeedResultSerializer})
    @action(detail=False, methods=["post"])
    def bulk_add_from_seed(self, request):
        """Copy seed keywords (`auth/seed-keywords/`) into a sector; ones already there are
        skipped and listed in `skipped_seed_keyword_ids`."""
        payload = s.SeedInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        added, skipped = keywords.keywords_add_from_seed(
            sector=data["sector"], site=data.get("site"), seed_keyword_ids=data["seed_keyword_ids"]
        )
        rows = selectors.keywords_by_ids([k.id for k in added])
        return created(
            {
                "added_count": len(added),
                "skipped_seed_keyword_ids": skipped,
                "keywords": s.KeywordSerializer(rows, many=True).data,
            },
            message=f"Added {len(added)} keywords.",
        )

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR)})
    @action(detail=False, methods=["get"], pagination_class=None)
    def export(self, request):
        """The keywords the same filters, search and site/sector would list, as CSV
        (cells that a spreadsheet would run as formulas are escaped)."""
        rows = selectors.keywords_for_export(self.filter_queryset(self.get_queryset()))
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        return private_files.attachment(
            csv_io.export_lines(rows), filename=f"keywords-{stamp}.csv", content_type="text/csv"
        )

    @extend_schema(
        request={"multipart/form-data": s.ImportInput}, responses=s.ImportResultSerializer
    )
    @action(
        detail=False,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser],
        filter_backends=[],
    )
    def import_keywords(self, request):
        """multipart/form-data: `file` (CSV), `sector_id`, optional `site_id`. Bad rows are
        reported by line; the good ones are imported."""
        payload = s.ImportInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        result = csv_io.keywords_import(
            upload=data["file"], sector=data["sector"], site=data.get("site")
        )
        body = {
            "imported_count": result.imported_count,
            "duplicate_count": result.duplicate_count,
            "error_count": result.error_count,
            "errors_truncated": result.errors_truncated,
            "errors": result.errors,
        }
        return ok(body, message=f"Imported {result.imported_count} keywords.")

    @extend_schema(request=s.AutoClusterInput, responses={201: TaskStarted})
    @action(detail=False, methods=["post"], throttle_classes=[UserThrottle, AIThrottle])
    @idempotent
    def auto_cluster(self, request):
        """Cluster up to PLANNER_CLUSTER_MAX_KEYWORDS keywords in a job (credits:
        `clustering`, per 100 keywords). Poll `task_id` or watch Socket.IO."""
        payload = s.AutoClusterInput(data=request.data)
        payload.is_valid(raise_exception=True)
        ids = payload.validated_data["ids"]
        rows = self.resolve_ids(ids)
        sector_id = payload.validated_data.get("sector_id")
        if sector_id is not None and any(row.sector_id != sector_id for row in rows):
            raise ApplicationError(
                "Some keywords are not in this sector.",
                errors={"ids": sorted(row.id for row in rows if row.sector_id != sector_id)},
            )
        ctx = tenancy.require()
        job = start_paid_job(
            kind=jobs.AUTO_CLUSTER,
            account_id=ctx.account_id,
            user_id=ctx.user_id,
            operation_type="clustering",
            quantity=math.ceil(len(ids) / 100),
            payload={"keyword_ids": ids},
        )
        return _task_started(job, "Clustering queued.")


class ClusterViewSet(BulkDeleteMixin, TenantModelViewSet):
    """Keyword clusters (003 ClusterViewSet); `keywords_count` and `volume` are totals of
    their keywords."""

    model = Cluster
    serializer_class = s.ClusterSerializer
    filterset_class = ClusterFilterSet
    filter_backends = _FILTERS
    search_fields = ["name"]
    ordering_fields = ["keywords_count", "volume", "created_at", "name"]
    ordering = ["-created_at", "-id"]

    def safely_get_queryset(self, queryset):
        if self.action in ("list", "retrieve"):
            return selectors.clusters_for_list(queryset)
        return queryset

    def perform_create(self, serializer):
        serializer.instance = cluster_services.cluster_create(**serializer.validated_data)

    def perform_update(self, serializer):
        cluster_services.cluster_update(cluster=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        cluster_services.clusters_delete(cluster_ids=[instance.id])

    def perform_bulk_destroy(self, rows) -> int:
        """Their keywords stay, unclustered."""
        return cluster_services.clusters_delete(cluster_ids=[row.id for row in rows])

    @extend_schema(request=s.GenerateIdeasInput, responses={201: TaskStarted})
    @action(detail=False, methods=["post"], throttle_classes=[UserThrottle, AIThrottle])
    @idempotent
    def auto_generate_ideas(self, request):
        """Content ideas for clusters in a job (credits: `ideas`, per cluster)."""
        payload = s.GenerateIdeasInput(data=request.data)
        payload.is_valid(raise_exception=True)
        ids = payload.validated_data["ids"]
        self.resolve_ids(ids)
        ctx = tenancy.require()
        job = start_paid_job(
            kind=jobs.GENERATE_IDEAS,
            account_id=ctx.account_id,
            user_id=ctx.user_id,
            operation_type="ideas",
            quantity=len(ids),
            payload={"cluster_ids": ids},
        )
        return _task_started(job, "Idea generation queued.")


class ContentIdeaViewSet(BulkDeleteMixin, TenantModelViewSet):
    """Content ideas (003 ContentIdeasViewSet)."""

    model = ContentIdea
    serializer_class = s.ContentIdeaSerializer
    filterset_class = ContentIdeaFilterSet
    filter_backends = _FILTERS
    search_fields = ["idea_title"]
    ordering_fields = ["created_at", "idea_title", "status", "estimated_word_count"]
    ordering = ["-created_at", "-id"]

    def safely_get_queryset(self, queryset):
        if self.action in ("list", "retrieve"):
            return selectors.ideas_for_list(queryset)
        return queryset

    def perform_create(self, serializer):
        serializer.instance = ideas.idea_create(
            user_id=self.request.user.id, **serializer.validated_data
        )

    def perform_update(self, serializer):
        ideas.idea_update(idea=serializer.instance, **serializer.validated_data)

    @extend_schema(request=IdsInputSerializer, responses={201: s.QueueResultSerializer})
    @action(detail=False, methods=["post"])
    @idempotent
    def bulk_queue_to_writer(self, request):
        """Create writer tasks for ideas (`writer.public.queue_ideas`); they become `queued`."""
        payload = IdsInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        rows = self.resolve_ids(payload.validated_data["ids"])
        ctx = tenancy.require()
        tasks = ideas.ideas_queue_to_writer(
            account_id=ctx.account_id, idea_ids=[row.id for row in rows], user_id=ctx.user_id
        )
        data = [
            {"id": task.id, "title": getattr(task, "title", ""), "status": task.status}
            for task in tasks
        ]
        return created(
            {"tasks_created": len(data), "tasks": data}, message=f"Queued {len(data)} tasks."
        )
