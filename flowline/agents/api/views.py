"""004 §3.4-3.5 under /api/v1/: processes, agent control/config/tasks/matches, config,
data sources."""

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from flowline.agents.api import serializers as s
from flowline.agents.models import AgentMatch, AgentProcess, DataSource
from flowline.agents.services import processes, sources
from flowline.core import private_files, tenancy
from flowline.core.envelope import ok
from flowline.core.errors import NotFoundError
from flowline.core.pagination import EnvelopePagination
from flowline.core.permissions import HasAccountRole
from flowline.core.serializers import IdsInputSerializer
from flowline.core.uploads import KINDS
from flowline.core.viewsets import TenantModelViewSet, created
from flowline.jobs.public import job_find

AGENT_ID = OpenApiParameter("agent_id", int, required=True, description="The process id.")


def _process(agent_id) -> AgentProcess:
    try:
        process = AgentProcess.objects.select_related("agent").filter(id=int(agent_id)).first()
    except (TypeError, ValueError):
        process = None
    if process is None:
        raise NotFoundError("Agent not found.")
    return process


class ProcessViewSet(TenantModelViewSet):
    model = AgentProcess
    serializer_class = s.ProcessSerializer
    filterset_fields = ["status", "execution_mode", "agent"]
    search_fields = ["name", "description"]
    api_scope = "agents"

    def perform_create(self, serializer):
        serializer.instance = processes.process_create(
            account_id=tenancy.require().account_id,
            user_id=self.request.user.id,
            **serializer.validated_data,
        )


class DataSourceViewSet(TenantModelViewSet):
    """`datasources/`: list (by process), create one or many, bulk delete by ids; an
    uploaded source's file is downloaded from `datasources/{id}/download/`."""

    model = DataSource
    serializer_class = s.DataSourceSerializer
    filterset_fields = {"process": ["exact"], "platform": ["exact"]}
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    api_scope = "agents"

    def safely_get_queryset(self, queryset):
        process_id = self.request.query_params.get("process_id")
        return queryset.filter(process_id=process_id) if process_id else queryset

    def create(self, request, *args, **kwargs):
        many = isinstance(request.data, list)
        serializer = self.get_serializer(data=request.data, many=many)
        serializer.is_valid(raise_exception=True)
        items = serializer.validated_data if many else [serializer.validated_data]
        rows = sources.data_sources_create(
            account_id=tenancy.require().account_id, owner_id=request.user.id, items=items
        )
        return created(self.get_serializer(rows if many else rows[0], many=many).data)

    def perform_update(self, serializer):
        serializer.instance = sources.data_source_update(
            source=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        sources.data_sources_delete(sources=[instance])

    @extend_schema(
        request=IdsInputSerializer, responses=dict, operation_id="datasources_bulk_destroy"
    )
    def bulk_destroy(self, request):
        payload = IdsInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        with transaction.atomic():
            rows = self.resolve_ids(payload.validated_data["ids"], lock=True)
            deleted = sources.data_sources_delete(sources=rows)
        return ok({"deleted_count": deleted})

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], filter_backends=[])
    def download(self, request, pk=None):
        """The uploaded file, as an attachment (the account's own sources only)."""
        source = self.get_object()
        if not source.upload:
            raise NotFoundError("This data source has no uploaded file.", code="no_file")
        extension = source.upload.name.rsplit(".", 1)[-1].lower()
        kind = KINDS.get(extension)
        return private_files.download(
            source.upload.name,
            filename=source.resource_name or f"data-source-{source.id}.{extension}",
            content_type=kind.content_type if kind else "application/octet-stream",
        )


class AgentView(APIView):
    permission_classes = [IsAuthenticated, HasAccountRole]
    api_scope = "agents"


class UserDataSourcesView(AgentView):
    pagination_class = EnvelopePagination  # pages by hand; the schema says so

    @extend_schema(responses=s.DataSourceSerializer(many=True), tags=["agents"])
    def get(self, request):
        paginator = EnvelopePagination()
        rows = DataSource.objects.filter(owner_id=request.user.id).order_by("id")
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(s.DataSourceSerializer(page, many=True).data)


class StatusView(AgentView):
    @extend_schema(parameters=[AGENT_ID], responses=dict, tags=["agents"])
    def get(self, request):
        process = _process(request.query_params.get("agent_id"))
        run = process.runs.order_by("-id").first()
        return ok(
            {
                "agent_id": str(process.id),
                "status": process.status,
                "execution_mode": process.execution_mode,
                "next_run_at": process.next_run_at,
                "run": run
                and {
                    "id": run.id,
                    "status": run.status,
                    "stage": run.stage,
                    "pipeline": run.pipeline,
                },
            }
        )


class ControlView(AgentView):
    @extend_schema(request=s.ControlInput, responses=s.ProcessSerializer, tags=["agents"])
    def post(self, request):
        payload = s.ControlInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        process = processes.control(
            process=_process(data["agent_id"]),
            action=data["action"],
            execution_mode=data.get("execution_mode"),
            user_id=request.user.id,
        )
        process.refresh_from_db()
        return ok(s.ProcessSerializer(process).data, message=f"Agent {data['action']} accepted.")


class ConfigModelView(AgentView):
    @extend_schema(request=s.ConfigInput, responses=dict, tags=["agents"])
    def post(self, request):
        payload = s.ConfigInput(data=request.data)
        payload.is_valid(raise_exception=True)
        process = _process(payload.validated_data["agent_id"])
        model_id, model_name = processes.process_model_set(
            process=process, model_id=payload.validated_data["model"]
        )
        return ok({"agent_id": str(process.id), "model": model_id, "model_name": model_name})


class TaskView(AgentView):
    @extend_schema(request=s.AgentRef, responses={201: dict}, tags=["agents"])
    def post(self, request):
        payload = s.AgentRef(data=request.data)
        payload.is_valid(raise_exception=True)
        run = processes.run_start(
            process=_process(payload.validated_data["agent_id"]), user_id=request.user.id
        )
        return created({"task_id": str(run.job_id), "run_id": run.id, "status": run.status})


class TaskDetailView(AgentView):
    @extend_schema(responses=s.AgentTaskSerializer, tags=["agents"])
    def get(self, request, task_id):
        job = job_find(task_id, kind_prefix="agent.")
        if job is None:
            raise NotFoundError("Task not found.")
        result = job.result or {}
        return ok(
            {
                "id": str(job.id),
                "status": job.status,
                "progress": job.progress,
                "filename": job.payload.get("filename"),
                "phone": result.get("phone"),
                "created_at": job.created_at,
                "kind": job.kind,
                "result": result,
                "error": job.error or None,
            }
        )


class MatchesView(AgentView):
    @extend_schema(parameters=[AGENT_ID], responses=s.MatchSerializer(many=True), tags=["agents"])
    def get(self, request):
        process = _process(request.query_params.get("agent_id"))
        paginator = EnvelopePagination()
        rows = AgentMatch.objects.filter(process=process).select_related("run_file")
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(s.MatchSerializer(page, many=True).data)


class ConfigUpdateView(AgentView):
    """004 `config/update`: notification emails, execution mode and schedule of a process."""

    @extend_schema(parameters=[AGENT_ID], responses=s.ProcessSerializer, tags=["agents"])
    def get(self, request):
        return ok(s.ProcessSerializer(_process(request.query_params.get("agent_id"))).data)

    @extend_schema(request=s.ConfigUpdateInput, responses=s.ProcessSerializer, tags=["agents"])
    def post(self, request):
        payload = s.ConfigUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        process = processes.process_configure(
            process=_process(data["agent_id"]),
            notification_emails=data.get("notification_emails"),
            execution_mode=data.get("execution_mode"),
            schedule=data.get("schedule"),
        )
        return ok(s.ProcessSerializer(process).data, message="Configuration saved.")


class ConnectionEmailsView(AgentView):
    """004 `config/connection-emails` (legacy): alert emails when a connection breaks."""

    @extend_schema(parameters=[AGENT_ID], responses=dict, tags=["agents"])
    def get(self, request):
        process = _process(request.query_params.get("agent_id"))
        return ok({"agent_id": str(process.id), "emails": process.connection_emails})

    @extend_schema(request=s.EmailsInput, responses=dict, tags=["agents"])
    def post(self, request):
        payload = s.EmailsInput(data=request.data)
        payload.is_valid(raise_exception=True)
        process = _process(payload.validated_data["agent_id"])
        processes.connection_emails_set(process=process, emails=payload.validated_data["emails"])
        return ok({"agent_id": str(process.id), "emails": payload.validated_data["emails"]})
