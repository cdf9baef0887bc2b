"""`/jobs/` (list, detail, cancel), 003 `system/settings/task_progress/{task_id}/`, and
000 `automations/agent-tasks/` (agent jobs, read-only)."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from flowline.core.envelope import ok
from flowline.core.errors import NotFoundError
from flowline.core.large_pagination import GrowingListPagination
from flowline.core.permissions import HasAccountRole
from flowline.core.roles import Role
from flowline.core.viewsets import TenantReadOnlyViewSet
from flowline.jobs import selectors, services
from flowline.jobs.api.serializers import JobSerializer, TaskProgressSerializer
from flowline.jobs.models import Job

_STATES = {
    Job.Status.QUEUED: "PENDING",
    Job.Status.PROCESSING: "PROGRESS",
    Job.Status.COMPLETED: "SUCCESS",
    Job.Status.FAILED: "FAILURE",
    Job.Status.CANCELLED: "REVOKED",
}


class JobViewSet(TenantReadOnlyViewSet):
    """Background jobs of the active account, newest first."""

    model = Job
    serializer_class = JobSerializer
    action_roles = {"cancel": Role.EDITOR}
    filterset_fields = ["status", "kind", "target_type", "target_id"]
    pagination_class = GrowingListPagination
    ordering_fields = ["created_at", "finished_at", "progress"]
    api_scope = "jobs"

    @extend_schema(request=None, responses=JobSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        job = services.job_cancel(job=self.get_object())
        message = "Cancelled." if job.status == Job.Status.CANCELLED else "Cancel requested."
        if job.status in (Job.Status.COMPLETED, Job.Status.FAILED):
            message = "The job had already finished."
        return ok(JobSerializer(job).data, message=message)


class AgentTaskViewSet(JobViewSet):
    """000 `automations/agent-tasks/`: the jobs AI agents ran."""

    def safely_get_queryset(self, queryset):
        return queryset.filter(kind__startswith="agent.")


class TaskProgressView(APIView):
    permission_classes = [IsAuthenticated, HasAccountRole]
    api_scope = "jobs"

    @extend_schema(responses=TaskProgressSerializer, tags=["system"])
    def get(self, request, task_id):
        job = selectors.job_get(job_id=task_id)
        if job is None:
            raise NotFoundError("Task not found.")
        return ok(
            {
                "state": _STATES[job.status],
                "meta": {
                    "phase": job.phase,
                    "percentage": job.progress,
                    "message": job.message,
                    "status": job.status,
                    "result": job.result,
                    "error": job.error or None,
                },
            }
        )
