from rest_framework import serializers

from flowline.core.serializers import ModelSerializer, Serializer
from flowline.system.models import AccountSetting, ModuleSetting, SystemSetting, UserSetting


class SystemSettingSerializer(ModelSerializer):
    class Meta:
        model = SystemSetting
        fields = ["id", "key", "value", "description", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        # A taken key is a 409 like at every other settings level (UniqueKeyMixin).
        extra_kwargs = {"key": {"validators": []}}


class AccountSettingSerializer(ModelSerializer):
    class Meta:
        model = AccountSetting
        fields = ["id", "key", "value", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class ModuleSettingSerializer(ModelSerializer):
    class Meta:
        model = ModuleSetting
        fields = ["id", "module_name", "enabled", "config", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class UserSettingSerializer(ModelSerializer):
    class Meta:
        model = UserSetting
        fields = ["id", "key", "value", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class ModuleSettingsOutput(Serializer):
    module = serializers.CharField()
    enabled = serializers.BooleanField()
    settings = serializers.DictField()


class StatusOutput(Serializer):
    """Each part's state: a word such as "connected" or "running ...", "down: <error>"
    when its check failed. `checks` holds every registered check by name."""

    status = serializers.ChoiceField(choices=["healthy", "unhealthy"])
    version = serializers.CharField()
    database = serializers.CharField()
    cache = serializers.CharField()
    redis = serializers.CharField(
        help_text='"connected", "not configured" (embedded, no REDIS_URL) or "down: ..."'
    )
    broker = serializers.CharField()
    worker = serializers.CharField()
    celery = serializers.CharField(
        help_text='The workers, as IGNY8 names them (same state as `worker`): "running '
        '(N workers)", "running (embedded)" or "down: ...". Not required for 200.'
    )
    sandbox = serializers.BooleanField(help_text="Sandbox providers stand in for outside services")
    checks = serializers.DictField(child=serializers.CharField())


class StatusDownOutput(Serializer):
    """The 503 answer: the error envelope with the health report under `data`."""

    success = serializers.BooleanField(default=False)
    error = serializers.CharField()
    errors = serializers.DictField(child=serializers.CharField())
    code = serializers.CharField(default="service_unavailable")
    request_id = serializers.CharField()
    data = StatusOutput()


class RequestMetricsOutput(Serializer):
    """One API request as the metrics middleware measured it. CPU and block I/O are the
    serving thread's (Linux); `memory_mb` is the process's peak resident memory."""

    request_id = serializers.CharField()
    method = serializers.CharField()
    path = serializers.CharField()
    status_code = serializers.IntegerField()
    user_id = serializers.IntegerField(allow_null=True)
    started_at = serializers.DateTimeField(help_text="When the response was ready.")
    duration_ms = serializers.FloatField()
    cpu_time_ms = serializers.FloatField()
    cpu_percent = serializers.FloatField()
    memory_mb = serializers.FloatField()
    io_read_mb = serializers.FloatField()
    io_write_mb = serializers.FloatField()
    db_query_count = serializers.IntegerField()
    db_time_ms = serializers.FloatField()


class GiteaDeliveryOutput(Serializer):
    delivery_id = serializers.CharField()
    event = serializers.CharField()
    repository = serializers.CharField()
    ref = serializers.CharField()
    summary = serializers.DictField()
