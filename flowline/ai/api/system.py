"""003 System module: prompts, author profiles, strategies, integration settings and the
image generation settings."""

from django.db import IntegrityError, transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from flowline.ai import selectors
from flowline.ai.api import serializers as s
from flowline.ai.models import AuthorProfile, Prompt, Strategy
from flowline.ai.services import integrations, prompts
from flowline.core import tenancy
from flowline.core.envelope import ok
from flowline.core.errors import ConflictError
from flowline.core.permissions import HasAccountRole
from flowline.core.roles import Role
from flowline.core.viewsets import BulkDeleteMixin, TenantModelViewSet, created


class PromptViewSet(TenantModelViewSet):
    """Prompts per type; `by_type`, `save` (upsert) and `reset` (to the shipped default)."""

    model = Prompt
    serializer_class = s.PromptSerializer
    filterset_fields = ["prompt_type", "is_active"]
    search_fields = ["prompt_type", "prompt_value"]
    ordering_fields = ["prompt_type", "updated_at"]
    api_scope = "system"

    def perform_create(self, serializer):
        serializer.instance = prompts.prompt_create(**serializer.validated_data)

    def perform_update(self, serializer):
        try:
            with transaction.atomic():
                serializer.save()
        except IntegrityError as exc:
            raise ConflictError(
                "This account already has a prompt of this type.", code="duplicate"
            ) from exc

    @extend_schema(responses=s.PromptByTypeSerializer)
    @action(detail=False, methods=["get"], url_path=r"by_type/(?P<prompt_type>[a-z0-9_]+)")
    def by_type(self, request, prompt_type=None):
        return ok(prompts.prompt_by_type(prompt_type=prompt_type))

    @extend_schema(request=s.PromptSaveInput, responses=s.PromptSavedOutput)
    @action(detail=False, methods=["post"], url_path="save")
    def save_prompt(self, request):
        payload = s.PromptSaveInput(data=request.data)
        payload.is_valid(raise_exception=True)
        prompt = prompts.prompt_save(**payload.validated_data)
        return ok({"prompt": s.PromptSerializer(prompt).data}, message="Prompt saved.")

    @extend_schema(request=s.PromptResetInput, responses=s.PromptSavedOutput)
    @action(detail=False, methods=["post"])
    def reset(self, request):
        payload = s.PromptResetInput(data=request.data)
        payload.is_valid(raise_exception=True)
        prompt = prompts.prompt_reset(**payload.validated_data)
        return ok({"prompt": s.PromptSerializer(prompt).data}, message="Prompt reset.")


class AuthorProfileViewSet(BulkDeleteMixin, TenantModelViewSet):
    model = AuthorProfile
    serializer_class = s.AuthorProfileSerializer
    filterset_fields = ["language", "is_active"]
    search_fields = ["name", "description", "tone"]
    ordering_fields = ["name", "created_at"]
    api_scope = "system"


class StrategyViewSet(BulkDeleteMixin, TenantModelViewSet):
    model = Strategy
    serializer_class = s.StrategySerializer
    filterset_fields = ["is_active"]
    search_fields = ["name", "description"]
    ordering_fields = ["name", "created_at"]
    api_scope = "system"


class _AccountView(APIView):
    """Members read; admins write (credentials and provider calls)."""

    permission_classes = [IsAuthenticated, HasAccountRole]
    read_role = Role.VIEWER
    write_role = Role.ADMIN
    api_scope = "system"


_PK = OpenApiParameter(
    "pk", str, OpenApiParameter.PATH, enum=integrations.TYPES, description="Integration type"
)


class IntegrationSettingView(_AccountView):
    """`system/settings/integrations/{pk}/`: GET the settings (masked), PUT to replace them."""

    @extend_schema(parameters=[_PK], responses=s.IntegrationSettingOutput, tags=["system"])
    def get(self, request, pk: str):
        row = selectors.integration_get(integration_type=pk)
        return ok(integrations.integration_view(row, pk))

    @extend_schema(
        parameters=[_PK],
        request=s.IntegrationSaveInput,
        responses=s.IntegrationSavedOutput,
        tags=["system"],
    )
    def put(self, request, pk: str):
        return _save(request, pk)


class IntegrationSaveView(_AccountView):
    @extend_schema(
        parameters=[_PK],
        request=s.IntegrationSaveInput,
        responses=s.IntegrationSavedOutput,
        tags=["system"],
    )
    def post(self, request, pk: str):
        return _save(request, pk)


def _save(request, pk: str):
    payload = s.IntegrationSaveInput(data=request.data)
    payload.is_valid(raise_exception=True)
    row = integrations.integration_save(integration_type=pk, **payload.validated_data)
    return ok({"integration": integrations.integration_view(row, pk)}, message="Settings saved.")


class IntegrationTestView(_AccountView):
    """Calls the provider for real; a refused key or an unreachable server is a clear error."""

    @extend_schema(
        parameters=[_PK],
        request=s.IntegrationTestInput,
        responses=s.IntegrationTestOutput,
        tags=["system"],
    )
    def post(self, request, pk: str):
        payload = s.IntegrationTestInput(data=request.data)
        payload.is_valid(raise_exception=True)
        result = integrations.integration_test(integration_type=pk, **payload.validated_data)
        return ok(result, message=result["message"])


class IntegrationGenerateView(_AccountView):
    """Generates a test image with the integration and stores it under media/."""

    @extend_schema(
        parameters=[_PK],
        request=s.IntegrationGenerateInput,
        responses={201: s.IntegrationGenerateOutput},
        tags=["system"],
    )
    def post(self, request, pk: str):
        payload = s.IntegrationGenerateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        result = integrations.integration_generate(integration_type=pk, **payload.validated_data)
        result["image_url"] = request.build_absolute_uri(result["image_url"])
        return created(result, message="Image generated.")


class ImageGenerationSettingsView(_AccountView):
    """003 `system/integrations/image_generation/`: providers, models, sizes, the default."""

    @extend_schema(responses=s.ImageGenerationSettingsOutput, tags=["system"])
    def get(self, request):
        account_id = tenancy.require().account_id
        return ok(integrations.image_generation_settings(account_id=account_id))
