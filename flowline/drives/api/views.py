"""004 §3.3 cloud storage: drive connections, browsing Google Drive and OneDrive, the
aggregated view, and files saved into agents' context."""

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from flowline.core import tenancy
from flowline.core.envelope import ok
from flowline.core.pagination import EnvelopePagination
from flowline.core.permissions import HasAccountRole
from flowline.core.roles import Role
from flowline.core.viewsets import DestroyModelMixin, TenantViewSetMixin, created
from flowline.drives import oauth, selectors, services
from flowline.drives.api import serializers as s
from flowline.drives.cloud_files import GOOGLE_DRIVE, ONEDRIVE
from flowline.drives.errors import DriveError
from flowline.drives.models import CloudConnection, SavedCloudFile

CALLBACK_PARAMS = ("code", "state", "error", "error_description")
FOLDER_PARAM = OpenApiParameter("folder_id", str, description="A folder's id; the root when absent")


class DriveView(APIView):
    """A member acts on their own drives: any role may, API keys need `drives:read|write`."""

    permission_classes = [IsAuthenticated, HasAccountRole]
    read_role = Role.VIEWER
    write_role = Role.VIEWER
    api_scope = "drives"
    pagination_class = EnvelopePagination  # lists page by hand (`_page`); the schema says so


def _ids() -> tuple[int, int]:
    ctx = tenancy.require()
    return ctx.user_id, ctx.account_id


def _page(request, view, files):
    paginator = EnvelopePagination()
    page = paginator.paginate_queryset([f.as_dict() for f in files], request, view=view)
    return paginator.get_paginated_response(s.CloudFileSerializer(page, many=True).data)


class ConnectInitView(DriveView):
    """Start connecting a drive: the provider's consent URL (state signed, PKCE S256)."""

    @extend_schema(request=None, responses=s.ConnectInitSerializer, tags=["drives"])
    def post(self, request, provider):
        user_id, account_id = _ids()
        return ok(oauth.connect_init(user_id=user_id, account_id=account_id, provider=provider))

    get = post


class ConnectCallbackView(DriveView):
    """Finish connecting: exchange the code (with the PKCE verifier) for tokens; an
    `error` from the provider ends the attempt (400 `drive_connection_cancelled` when the
    person cancelled on the consent page)."""

    def _finish(self, data):
        payload = s.ConnectCallbackInput(data=data)
        payload.is_valid(raise_exception=True)
        user_id, account_id = _ids()
        connection = oauth.connect_callback(
            user_id=user_id, account_id=account_id, **payload.validated_data
        )
        return created(s.CloudConnectionSerializer(connection).data, message="Drive connected.")

    @extend_schema(
        request=s.ConnectCallbackInput, responses=s.CloudConnectionSerializer, tags=["drives"]
    )
    def post(self, request):
        return self._finish(request.data)

    @extend_schema(
        parameters=[OpenApiParameter(name, str) for name in CALLBACK_PARAMS],
        responses=s.CloudConnectionSerializer,
        tags=["drives"],
    )
    def get(self, request):
        params = request.query_params
        return self._finish({k: params[k] for k in CALLBACK_PARAMS if k in params})


class CloudConnectionViewSet(
    TenantViewSetMixin, mixins.ListModelMixin, DestroyModelMixin, viewsets.GenericViewSet
):
    """The signed-in user's own drive connections; DELETE disconnects."""

    model = CloudConnection
    serializer_class = s.CloudConnectionSerializer
    write_role = Role.VIEWER  # a member manages their own connections
    filterset_fields = ["provider", "status"]

    def safely_get_queryset(self, queryset):
        return selectors.connections_of_user(queryset, user_id=self.request.user.id)

    def perform_destroy(self, instance):
        services.connection_delete(connection=instance)


class DriveFilesView(DriveView):
    """List a folder (the root without ?folder_id=) of the user's drive."""

    provider = GOOGLE_DRIVE

    @extend_schema(
        parameters=[FOLDER_PARAM], responses=s.CloudFileSerializer(many=True), tags=["drives"]
    )
    def get(self, request):
        query = s.FolderQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        user_id, account_id = _ids()
        files = services.drive_list_files(
            user_id=user_id,
            account_id=account_id,
            provider=self.provider,
            folder_id=query.validated_data.get("folder_id") or None,
        )
        return _page(request, self, files)


class DriveFileView(DriveView):
    """One file's or folder's metadata."""

    provider = GOOGLE_DRIVE

    @extend_schema(responses=s.CloudFileSerializer, tags=["drives"])
    def get(self, request, file_id):
        user_id, account_id = _ids()
        meta = services.drive_file_metadata(
            user_id=user_id, account_id=account_id, provider=self.provider, file_id=file_id
        )
        return ok(s.CloudFileSerializer(meta.as_dict()).data)


class OneDriveFilesView(DriveFilesView):
    provider = ONEDRIVE


class OneDriveFileView(DriveFileView):
    provider = ONEDRIVE


class _ProvidersPagination(EnvelopePagination):
    """The list envelope plus `providers`, how each connected drive answered (schema)."""

    def get_paginated_response_schema(self, schema):
        body = super().get_paginated_response_schema(schema)
        body["properties"]["providers"] = {
            "type": "array",
            "items": {"type": "object", "additionalProperties": True},
        }
        return body


class CloudFilesView(DriveView):
    """The root of every drive the user connected, in one list; `providers` says how each
    answered, so one failing provider does not hide the others."""

    pagination_class = _ProvidersPagination

    @extend_schema(
        operation_id="cloud_files_aggregated",
        responses=s.CloudFileSerializer(many=True),
        tags=["drives"],
    )
    def get(self, request):
        user_id, account_id = _ids()
        files, providers = [], []
        for provider in selectors.connected_providers(user_id=user_id):
            try:
                files += services.drive_list_files(
                    user_id=user_id, account_id=account_id, provider=provider, folder_id=None
                )
                providers.append({"provider": provider, "status": "ok"})
            except DriveError as exc:
                providers.append(
                    {
                        "provider": provider,
                        "status": "error",
                        "code": exc.code,
                        "error": exc.message,
                    }
                )
        response = _page(request, self, files)
        response.data["providers"] = providers
        return response


class SavedCloudFileViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Files saved into agents' context (004 `cloud-files`): GET lists, POST saves chosen
    files ({"files": [{provider, file_id, process_id?}]}), DELETE removes one."""

    model = SavedCloudFile
    serializer_class = s.SavedCloudFileSerializer
    filterset_fields = ["provider", "process_id", "user"]
    search_fields = ["name"]
    ordering_fields = ["created_at", "name"]

    @extend_schema(request=s.SaveCloudFilesInput, responses=s.SavedCloudFileSerializer(many=True))
    def create(self, request):
        data = request.data
        payload = s.SaveCloudFilesInput(data={"files": data} if isinstance(data, list) else data)
        payload.is_valid(raise_exception=True)
        user_id, account_id = _ids()
        with transaction.atomic():
            rows = services.saved_files_create(
                user_id=user_id, account_id=account_id, files=payload.validated_data["files"]
            )
        return created(
            s.SavedCloudFileSerializer(rows, many=True).data, message=f"Saved {len(rows)} files."
        )
