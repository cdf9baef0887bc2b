"""004 `/user/export`: download everything the user owns as a JSON file."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from flowline.core import private_files
from flowline.core.envelope import dumps
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
