"""004 §3.4-3.5 under /api/v1/: processes, agent control/config/tasks/matches, config,
data sources."""

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from flowline.agents import selectors
from flowline.agents.api import serializers as s
from flowline.agents.models import AgentProcess, DataSource
from flowline.agents.services import processes, sources
from flowline.core import private_files, tenancy
from flowline.core.envelope import ok
from flowline.core.pagination import EnvelopePagination
from flowline.core.permissions import HasAccountRole
from flowline.core.serializers import IdsInputSerializer
from flowline.core.viewsets import TenantModelViewSet, created

AGENT_ID = OpenApiParameter("agent_id", int, required=True, description="The process id.")


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
        return selectors.data_sources_for_list(
            queryset, process_id=self.request.query_params.get("process_id")
        )

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
        stored = sources.data_source_file(source=self.get_object())
        return private_files.download(
            stored.name, filename=stored.filename, content_type=stored.content_type
        )


class AgentView(APIView):
    permission_classes = [IsAuthenticated, HasAccountRole]
    api_scope = "agents"


class UserDataSourcesView(AgentView):
    pagination_class = EnvelopePagination  # pages by hand; the schema says so

    @extend_schema(responses=s.DataSourceSerializer(many=True), tags=["agents"])
    def get(self, request):
        paginator = EnvelopePagination()
        rows = selectors.data_sources_of_owner(owner_id=request.user.id)
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(s.DataSourceSerializer(page, many=True).data)


class StatusView(AgentView):
    @extend_schema(parameters=[AGENT_ID], responses=dict, tags=["agents"])
    def get(self, request):
        process = selectors.process_get(agent_id=request.query_params.get("agent_id"))
        return ok(selectors.process_status(process=process))


class ControlView(AgentView):
    @extend_schema(request=s.ControlInput, responses=s.ProcessSerializer, tags=["agents"])
    def post(self, request):
        payload = s.ControlInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        process = processes.control(
            process=selectors.process_get(agent_id=data["agent_id"]),
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
        process = selectors.process_get(agent_id=payload.validated_data["agent_id"])
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
            process=selectors.process_get(agent_id=payload.validated_data["agent_id"]),
            user_id=request.user.id,
        )
        return created({"task_id": str(run.job_id), "run_id": run.id, "status": run.status})


class TaskDetailView(AgentView):
    @extend_schema(responses=s.AgentTaskSerializer, tags=["agents"])
    def get(self, request, task_id):
        return ok(selectors.task_detail(task_id=task_id))


class MatchesView(AgentView):
    @extend_schema(parameters=[AGENT_ID], responses=s.MatchSerializer(many=True), tags=["agents"])
    def get(self, request):
        process = selectors.process_get(agent_id=request.query_params.get("agent_id"))
        paginator = EnvelopePagination()
        rows = selectors.matches_of_process(process=process)
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(s.MatchSerializer(page, many=True).data)


class ConfigUpdateView(AgentView):
    """004 `config/update`: notification emails, execution mode and schedule of a process."""

    @extend_schema(parameters=[AGENT_ID], responses=s.ProcessSerializer, tags=["agents"])
    def get(self, request):
        return ok(
            s.ProcessSerializer(
                selectors.process_get(agent_id=request.query_params.get("agent_id"))
            ).data
        )

    @extend_schema(request=s.ConfigUpdateInput, responses=s.ProcessSerializer, tags=["agents"])
    def post(self, request):
        payload = s.ConfigUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        process = processes.process_configure(
            process=selectors.process_get(agent_id=data["agent_id"]),
            notification_emails=data.get("notification_emails"),
            execution_mode=data.get("execution_mode"),
            schedule=data.get("schedule"),
        )
        return ok(s.ProcessSerializer(process).data, message="Configuration saved.")


class ConnectionEmailsView(AgentView):
    """004 `config/connection-emails` (legacy): alert emails when a connection breaks."""

    @extend_schema(parameters=[AGENT_ID], responses=dict, tags=["agents"])
    def get(self, request):
        process = selectors.process_get(agent_id=request.query_params.get("agent_id"))
        return ok({"agent_id": str(process.id), "emails": process.connection_emails})

    @extend_schema(request=s.EmailsInput, responses=dict, tags=["agents"])
    def post(self, request):
        payload = s.EmailsInput(data=request.data)
        payload.is_valid(raise_exception=True)
        process = selectors.process_get(agent_id=payload.validated_data["agent_id"])
        processes.connection_emails_set(process=process, emails=payload.validated_data["emails"])
        return ok({"agent_id": str(process.id), "emails": payload.validated_data["emails"]})
