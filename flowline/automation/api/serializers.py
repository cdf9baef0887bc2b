"""Automation bodies and answers."""

from rest_framework import serializers

from flowline.automation.models import AutomationConfig, AutomationLog, AutomationRun
from flowline.core.serializers import IdField, ModelSerializer, Serializer, StrictInputSerializer

LIMIT_FIELDS = [
    "keywords_per_run",
    "clusters_per_run",
    "ideas_per_run",
    "tasks_per_run",
    "image_prompts_per_run",
    "images_per_run",
    "publish_per_run",
]


class AutomationConfigSerializer(ModelSerializer):
    class Meta:
        model = AutomationConfig
        fields = [
            "id",
            "site",
            "is_enabled",
            "frequency",
            "scheduled_time",
            "next_run_at",
            "last_run_at",
            *LIMIT_FIELDS,
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AutomationConfigInput(StrictInputSerializer):
    """Any of the config's settable fields; the others keep their values."""

    site_id = IdField(required=False, help_text="Or ?site_id=.")
    is_enabled = serializers.BooleanField(required=False)
    frequency = serializers.ChoiceField(choices=AutomationConfig.Frequency.choices, required=False)
    scheduled_time = serializers.TimeField(required=False, help_text="UTC, HH:MM.")
    keywords_per_run = serializers.IntegerField(min_value=0, max_value=1000, required=False)
    clusters_per_run = serializers.IntegerField(min_value=0, max_value=100, required=False)
    ideas_per_run = serializers.IntegerField(min_value=0, max_value=100, required=False)
    tasks_per_run = serializers.IntegerField(min_value=0, max_value=100, required=False)
    image_prompts_per_run = serializers.IntegerField(min_value=0, max_value=100, required=False)
    images_per_run = serializers.IntegerField(min_value=0, max_value=100, required=False)
    publish_per_run = serializers.IntegerField(min_value=0, max_value=100, required=False)


class AutomationSiteInput(StrictInputSerializer):
    site_id = IdField(required=False, help_text="Or ?site_id=.")


class AutomationRunInput(StrictInputSerializer):
    run_id = IdField(required=False, help_text="Or ?run_id=.")


class AutomationRunSerializer(ModelSerializer):
    trigger = serializers.CharField(read_only=True, help_text="manual or scheduled")

    class Meta:
        model = AutomationRun
        fields = [
            "id",
            "site",
            "trigger",
            "status",
            "stage",
            "control",
            "progress",
            "current",
            "credits_used",
            "error",
            "error_code",
            "job_id",
            "created_by",
            "created_at",
            "started_at",
            "paused_at",
            "finished_at",
        ]
        read_only_fields = fields


class AutomationLogSerializer(ModelSerializer):
    class Meta:
        model = AutomationLog
        fields = ["id", "run", "stage", "level", "message", "data", "created_at"]
        read_only_fields = fields


class AutomationStageOverviewSerializer(Serializer):
    stage = serializers.CharField()
    label = serializers.CharField()
    item = serializers.CharField()
    waiting = serializers.IntegerField()
    limit = serializers.IntegerField()
    next_run = serializers.IntegerField()


class AutomationPipelineOverviewSerializer(Serializer):
    site_id = IdField()
    stages = AutomationStageOverviewSerializer(many=True)


class AutomationStageEstimateSerializer(Serializer):
    stage = serializers.CharField()
    label = serializers.CharField()
    items = serializers.IntegerField()
    operation_type = serializers.CharField(allow_null=True)
    credits = serializers.IntegerField()


class AutomationEstimateSerializer(Serializer):
    site_id = IdField()
    stages = AutomationStageEstimateSerializer(many=True)
    total_credits = serializers.IntegerField()
    credits_available = serializers.IntegerField()
    sufficient = serializers.BooleanField()


class AutomationCurrentProcessingSerializer(Serializer):
    run_id = IdField()
    status = serializers.CharField()
    stage = serializers.CharField(allow_null=True)
    stage_label = serializers.CharField(allow_null=True)
    stage_index = serializers.IntegerField(allow_null=True)
    stage_count = serializers.IntegerField()
    items = serializers.ListField(child=serializers.IntegerField())
    item_type = serializers.CharField(allow_null=True)
    message = serializers.CharField(allow_null=True)
    done = serializers.IntegerField()
    limit = serializers.IntegerField(allow_null=True)
    credits_used = serializers.IntegerField()
