from rest_framework import serializers

from flowline.agents.models import AgentMatch, AgentProcess, DataSource
from flowline.agents.services import sources
from flowline.core.private_files import PrivateFileField
from flowline.core.serializers import IdField, ModelSerializer, Serializer, StrictInputSerializer


class ProcessSerializer(ModelSerializer):
    """004's process (an agent instance). `agent` is optional on create: without it the
    process gets an agent of its own (docs/seed-frontends.md)."""

    class Meta:
        model = AgentProcess
        fields = [
            "id",
            "agent",
            "name",
            "description",
            "status",
            "execution_mode",
            "schedule_interval_seconds",
            "next_run_at",
            "notification_emails",
            "last_run_at",
            "created_at",
        ]
        read_only_fields = ["id", "status", "next_run_at", "last_run_at", "created_at"]
        extra_kwargs = {"agent": {"required": False}}


class DataSourceSerializer(ModelSerializer):
    """004 §5.1 DataSource; `process_id` names the process. Platform `upload` takes a
    multipart `upload` file (CSV, XLSX, PDF, TXT or Markdown, checked by content); it is
    private, and `upload` in answers is the authorised download URL, not a public one."""

    process_id = serializers.PrimaryKeyRelatedField(
        source="process",
        queryset=AgentProcess.objects,  # the manager: scoped per request
    )
    upload = PrivateFileField(download_view="datasource-download", required=False, allow_null=True)

    class Meta:
        model = DataSource
        fields = [
            "id",
            "process_id",
            "platform",
            "resource_identifier",
            "resource_name",
            "config",
            "upload",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]

    def validate_upload(self, value):
        return None if value is None else sources.upload_check(value)

    def validate(self, attrs):
        platform = attrs.get("platform", getattr(self.instance, "platform", None))
        if platform == DataSource.Platform.UPLOAD:
            if not (attrs.get("upload") or getattr(self.instance, "upload", None)):
                raise serializers.ValidationError({"upload": ["Upload the file."]})
            if attrs.get("resource_name"):
                attrs["resource_name"] = sources.name_check(attrs["resource_name"])
        elif attrs.get("upload"):
            raise serializers.ValidationError(
                {"upload": ["Only data sources on the `upload` platform take a file."]}
            )
        elif not (
            attrs.get("resource_identifier") or getattr(self.instance, "resource_identifier", "")
        ):
            raise serializers.ValidationError(
                {"resource_identifier": ["The file's id on the drive."]}
            )
        return attrs


class AgentRef(StrictInputSerializer):
    agent_id = IdField()


class ControlInput(AgentRef):
    action = serializers.ChoiceField(choices=["start", "stop", "pause"])
    execution_mode = serializers.ChoiceField(choices=AgentProcess.Mode.choices, required=False)


class ConfigInput(AgentRef):
    model = IdField(help_text="An AI model of the account (chat).")


class ScheduleInput(Serializer):
    interval_seconds = serializers.IntegerField(min_value=1, max_value=31 * 86400, required=False)
    interval_minutes = serializers.IntegerField(min_value=1, max_value=31 * 1440, required=False)


class ConfigUpdateInput(AgentRef):
    notification_emails = serializers.ListField(
        child=serializers.EmailField(), required=False, max_length=50
    )
    schedule = ScheduleInput(required=False)
    execution_mode = serializers.ChoiceField(choices=AgentProcess.Mode.choices, required=False)


class EmailsInput(AgentRef):
    emails = serializers.ListField(child=serializers.EmailField(), max_length=50)


class MatchSerializer(ModelSerializer):
    filename = serializers.CharField(source="run_file.filename", read_only=True)

    class Meta:
        model = AgentMatch
        fields = [
            "id",
            "process",
            "run",
            "filename",
            "data",
            "evidence",
            "source_index",
            "score",
            "created_at",
        ]
        read_only_fields = fields


class AgentTaskSerializer(Serializer):
    """004 §5.2 AgentTask."""

    id = serializers.UUIDField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    filename = serializers.CharField(allow_null=True)
    phone = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
