from rest_framework import serializers

from flowline.system.models import AccountSetting, ModuleSetting, SystemSetting, UserSetting


class SystemSettingSerializer(serializers.ModelSerializer):
    class Meta:
        model = SystemSetting
        fields = ["id", "key", "value", "description", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        # A taken key is a 409 like at every other settings level (UniqueKeyMixin).
        extra_kwargs = {"key": {"validators": []}}


class AccountSettingSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccountSetting
        fields = ["id", "key", "value", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class ModuleSettingSerializer(serializers.ModelSerializer):
    class Meta:
        model = ModuleSetting
        fields = ["id", "module_name", "enabled", "config", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class UserSettingSerializer(serializers.ModelSerializer):
    class Meta:
        model = UserSetting
        fields = ["id", "key", "value", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class ModuleSettingsOutput(serializers.Serializer):
    module = serializers.CharField()
    enabled = serializers.BooleanField()
    settings = serializers.DictField()


class StatusOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=["healthy", "unhealthy"])
    version = serializers.CharField()
    sandbox = serializers.BooleanField(help_text="Sandbox providers stand in for outside services")
    checks = serializers.DictField(child=serializers.CharField())


class StatusDownOutput(serializers.Serializer):
    """The 503 answer: the error envelope with the health report under `data`."""

    success = serializers.BooleanField(default=False)
    error = serializers.CharField()
    errors = serializers.DictField(child=serializers.CharField())
    code = serializers.CharField(default="service_unavailable")
    request_id = serializers.CharField()
    data = StatusOutput()
