"""004 `/user/export`: download everything the user owns as a JSON file; and the owner's
export of the whole account as one archive, built by a job (`account/export/`)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from flowline.core import private_files, tenancy
from flowline.core.envelope import dumps
from flowline.core.idempotency import idempotent
from flowline.core.permissions import HasAccountRole
from flowline.core.roles import Role
from flowline.core.viewsets import created
from flowline.identity.services import account_export
from flowline.identity.services.export import user_export


class UserExportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={(200, "application/json"): OpenApiResponse(description="JSON file")},
        tags=["user"],
    )
    def get(self, request):
        document = user_export(user=request.user)
        return private_files.attachment(
            dumps(document),
            filename=f"flowline-export-{request.user.id}.json",
            content_type="application/json",
        )


class ExportStarted(serializers.Serializer):
    task_id = serializers.UUIDField()
    status = serializers.CharField()


class AccountExportView(APIView):
    """Owner only: queue the archive of the whole account. Follow `task_id` at `jobs/{id}/`
    (progress, then `result.download`); send an `Idempotency-Key` to make retries safe."""

    permission_classes = [IsAuthenticated, HasAccountRole]
    read_role = Role.OWNER
    write_role = Role.OWNER
    api_scope = "account"

    @extend_schema(request=None, responses={201: ExportStarted}, tags=["account"])
    @idempotent
    def post(self, request):
        ctx = tenancy.require()
        job = account_export.account_export_start(account_id=ctx.account_id, user_id=ctx.user_id)
        return created({"task_id": str(job.id), "status": job.status}, message="Export queued.")


class AccountExportDownloadView(APIView):
    """Owner only: the finished archive (409 `not_ready` before that)."""

    permission_classes = [IsAuthenticated, HasAccountRole]
    read_role = Role.OWNER
    api_scope = "account"

    @extend_schema(
        parameters=[OpenApiParameter("task_id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        responses={(200, "application/zip"): OpenApiResponse(description="ZIP archive")},
        tags=["account"],
    )
    def get(self, request, task_id):
        name, filename = account_export.account_export_archive(task_id=task_id)
        return private_files.download(name, filename=filename, content_type="application/zip")
