from rest_framework import serializers

from flowline.core.serializers import ModelSerializer, Serializer
from flowline.jobs.models import Job


class JobSerializer(ModelSerializer):
    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "phase",
            "message",
            "result",
            "error",
            "error_code",
            "attempts",
            "max_attempts",
            "cancel_requested",
            "target_type",
            "target_id",
            "user",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class TaskProgressMeta(Serializer):
    phase = serializers.CharField()
    percentage = serializers.IntegerField()
    message = serializers.CharField()
    status = serializers.CharField()
    result = serializers.JSONField(allow_null=True)
    error = serializers.CharField(allow_null=True)


class TaskProgressSerializer(Serializer):
    """003's Celery-style progress: PENDING, PROGRESS, SUCCESS, FAILURE, REVOKED."""

    state = serializers.ChoiceField(
        choices=["PENDING", "PROGRESS", "SUCCESS", "FAILURE", "REVOKED"]
    )
    meta = TaskProgressMeta()
