"""Optimizer and linker bodies and answers."""

from rest_framework import serializers

from flowline.core.serializers import IdField, ModelSerializer, Serializer, StrictInputSerializer
from flowline.optimizer.models import ContentScore, LinkSuggestion


class CheckSerializer(Serializer):
    id = serializers.CharField()
    label = serializers.CharField()
    passed = serializers.BooleanField()
    score = serializers.FloatField(help_text="0 to 1; some checks give partial credit.")
    weight = serializers.IntegerField()
    value = serializers.JSONField(allow_null=True)
    message = serializers.CharField()


class ContentScoreSerializer(ModelSerializer):
    checks = CheckSerializer(many=True, read_only=True)

    class Meta:
        model = ContentScore
        fields = ["id", "site", "content", "score", "word_count", "checks", "created_at"]
        read_only_fields = fields


class AnalysisSerializer(Serializer):
    """An analysis of HTML that was given in the request (nothing is stored)."""

    score = serializers.IntegerField()
    word_count = serializers.IntegerField()
    passed = serializers.IntegerField()
    total = serializers.IntegerField()
    checks = CheckSerializer(many=True)


class AnalyzeInput(StrictInputSerializer):
    """Either `content_id` (scored and kept in its history) or the article itself."""

    content_id = IdField(required=False)
    html = serializers.CharField(required=False, allow_blank=True, max_length=500_000)
    title = serializers.CharField(required=False, allow_blank=True, max_length=255)
    meta_title = serializers.CharField(required=False, allow_blank=True, max_length=255)
    meta_description = serializers.CharField(required=False, allow_blank=True, max_length=500)
    primary_keyword = serializers.CharField(required=False, allow_blank=True, max_length=255)
    secondary_keywords = serializers.ListField(
        child=serializers.CharField(max_length=255), required=False, max_length=50
    )
    target_word_count = serializers.IntegerField(min_value=1, required=False)
    url = serializers.CharField(required=False, allow_blank=True, max_length=500)
    site_url = serializers.CharField(required=False, allow_blank=True, max_length=500)

    def validate(self, attrs):
        if "content_id" in attrs and len(attrs) > 1:
            raise serializers.ValidationError(
                {"content_id": ["Give a content_id or the article's fields, not both."]}
            )
        if "content_id" not in attrs and "html" not in attrs:
            raise serializers.ValidationError({"html": ["Give a content_id or the html."]})
        return attrs


class BatchScoreSerializer(Serializer):
    content_id = IdField()
    score = serializers.IntegerField()
    passed = serializers.IntegerField()
    total = serializers.IntegerField()


class LinkSuggestionSerializer(ModelSerializer):
    target_title = serializers.CharField(source="target.title", read_only=True)
    target_url = serializers.CharField(source="target.external_url", read_only=True)

    class Meta:
        model = LinkSuggestion
        fields = [
            "id",
            "site",
            "source",
            "target",
            "target_title",
            "target_url",
            "anchor_text",
            "matched",
            "similarity",
            "score",
            "context",
            "reason",
            "status",
            "created_at",
        ]
        read_only_fields = fields


class ProcessInput(StrictInputSerializer):
    content_id = IdField()
    limit = serializers.IntegerField(min_value=1, max_value=20, default=5)


class BatchProcessInput(StrictInputSerializer):
    ids = serializers.ListField(child=IdField(), min_length=1, max_length=50)
    limit = serializers.IntegerField(min_value=1, max_value=20, default=5)


class BatchProcessResult(Serializer):
    content_id = IdField()
    suggestions = serializers.IntegerField()
