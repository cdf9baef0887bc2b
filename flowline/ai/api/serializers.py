"""Request and response bodies of the AI engine's endpoints. Secrets are write-only."""

from __future__ import annotations

from rest_framework import serializers

from flowline.ai import prompts_defaults
from flowline.ai.models import AIAgent, AIModel, AuthorProfile, LLMProvider, Prompt, Strategy
from flowline.core.fields import mask
from flowline.core.serializers import IdField, ModelSerializer, Serializer, StrictInputSerializer

_TIMESTAMPS = ["created_at", "updated_at"]


class LLMProviderSerializer(ModelSerializer):
    """An LLM provider; `api_key` is write-only, `api_key_masked` shows its last characters."""

    api_key = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=500, trim_whitespace=True
    )
    api_key_masked = serializers.SerializerMethodField()
    has_api_key = serializers.SerializerMethodField()

    class Meta:
        model = LLMProvider
        fields = [
            "id",
            "name",
            "kind",
            "base_url",
            "api_key",
            "api_key_masked",
            "has_api_key",
            "is_active",
            "is_default",
            *_TIMESTAMPS,
        ]
        read_only_fields = ["id", *_TIMESTAMPS]

    def get_api_key_masked(self, obj) -> str:
        return mask(obj.api_key)

    def get_has_api_key(self, obj) -> bool:
        return bool(obj.api_key)


class AIModelSerializer(ModelSerializer):
    """A model of one of the account's providers (the provider must be the account's)."""

    provider_name = serializers.CharField(source="provider.name", read_only=True)

    class Meta:
        model = AIModel
        fields = [
            "id",
            "provider",
            "provider_name",
            "name",
            "display_name",
            "purpose",
            "cost_per_1k_input",
            "cost_per_1k_output",
            "cost_per_image",
            "is_default",
            "is_active",
            *_TIMESTAMPS,
        ]
        read_only_fields = ["id", *_TIMESTAMPS]
        validators = []  # the service reports a taken name as a 409


class AIAgentSerializer(ModelSerializer):
    class Meta:
        model = AIAgent
        fields = [
            "id",
            "name",
            "description",
            "instructions",
            "model",
            "temperature",
            "settings",
            "is_active",
            *_TIMESTAMPS,
        ]
        read_only_fields = ["id", *_TIMESTAMPS]
        extra_kwargs = {"temperature": {"min_value": 0.0, "max_value": 2.0}}


class PromptSerializer(ModelSerializer):
    prompt_type = serializers.RegexField(r"^[a-z0-9_]+$", max_length=50)
    is_default = serializers.SerializerMethodField()

    class Meta:
        model = Prompt
        fields = ["id", "prompt_type", "prompt_value", "is_active", "is_default", *_TIMESTAMPS]
        read_only_fields = ["id", *_TIMESTAMPS]

    def get_is_default(self, obj) -> bool:
        return obj.prompt_value == prompts_defaults.default_for(obj.prompt_type)


class PromptByTypeSerializer(Serializer):
    id = IdField(allow_null=True)
    prompt_type = serializers.CharField()
    prompt_value = serializers.CharField()
    is_active = serializers.BooleanField()
    is_default = serializers.BooleanField()
    default_value = serializers.CharField(allow_null=True)


class PromptSaveInput(StrictInputSerializer):
    prompt_type = serializers.RegexField(r"^[a-z0-9_]+$", max_length=50)
    prompt_value = serializers.CharField(max_length=50_000)
    is_active = serializers.BooleanField(default=True)


class PromptResetInput(StrictInputSerializer):
    prompt_type = serializers.RegexField(r"^[a-z0-9_]+$", max_length=50)


class PromptSavedOutput(Serializer):
    prompt = PromptSerializer()


class AuthorProfileSerializer(ModelSerializer):
    class Meta:
        model = AuthorProfile
        fields = [
            "id",
            "name",
            "description",
            "tone",
            "language",
            "structure_template",
            "is_active",
            *_TIMESTAMPS,
        ]
        read_only_fields = ["id", *_TIMESTAMPS]


class StrategySerializer(ModelSerializer):
    class Meta:
        model = Strategy
        fields = ["id", "name", "description", "sections", "rules", "is_active", *_TIMESTAMPS]
        read_only_fields = ["id", *_TIMESTAMPS]


class IntegrationSettingOutput(Serializer):
    """Credentials in `config` (apiKey, ...) are masked."""

    integration_type = serializers.CharField()
    config = serializers.DictField()
    is_active = serializers.BooleanField()
    configured = serializers.BooleanField()
    updated_at = serializers.DateTimeField(allow_null=True)


class IntegrationSavedOutput(Serializer):
    integration = IntegrationSettingOutput()


class IntegrationSaveInput(StrictInputSerializer):
    config = serializers.DictField()
    is_active = serializers.BooleanField(default=True)

    def validate_config(self, value: dict) -> dict:
        if len(str(value)) > 20_000:
            raise serializers.ValidationError("The configuration is too large.")
        return value


class IntegrationTestInput(StrictInputSerializer):
    provider = serializers.ChoiceField(choices=["openai", "runware", "offline"], required=False)
    config = serializers.DictField(required=False)


class IntegrationTestOutput(Serializer):
    provider = serializers.CharField()
    message = serializers.CharField()
    models = serializers.ListField(child=serializers.CharField())


class IntegrationGenerateInput(StrictInputSerializer):
    prompt = serializers.CharField(max_length=4000)
    provider = serializers.ChoiceField(choices=["openai", "runware", "offline"], required=False)
    model = serializers.CharField(max_length=150, required=False)
    size = serializers.RegexField(r"^\d{2,4}x\d{2,4}$", required=False, default="1024x1024")


class IntegrationGenerateOutput(Serializer):
    image_url = serializers.CharField()
    path = serializers.CharField()
    provider = serializers.CharField()
    model = serializers.CharField()
    offline = serializers.BooleanField()
    cost_usd = serializers.DecimalField(max_digits=14, decimal_places=6)
    revised_prompt = serializers.CharField()


class ImageGenerationSettingsOutput(Serializer):
    providers = serializers.ListField(child=serializers.CharField())
    models = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    sizes = serializers.ListField(child=serializers.CharField())
    default = serializers.DictField()
    config = serializers.DictField()
    configured = serializers.DictField(child=serializers.BooleanField())
    prices = serializers.DictField(child=serializers.CharField())
