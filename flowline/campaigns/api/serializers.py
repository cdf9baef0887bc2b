"""Campaign API shapes. Relation fields take the scoped managers: another account's
site, post or article is a 400."""

from __future__ import annotations

from rest_framework import serializers

from flowline.campaigns.models import Campaign
from flowline.core.serializers import ModelSerializer, Serializer, StrictInputSerializer
from flowline.posts.models import Post
from flowline.sites.models import Site
from flowline.writer.models import Content


class CampaignSerializer(ModelSerializer):
    posts = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    contents = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    posts_count = serializers.IntegerField(read_only=True)
    contents_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "description",
            "goal",
            "site",
            "status",
            "starts_at",
            "ends_at",
            "started_at",
            "completed_at",
            "posts",
            "contents",
            "posts_count",
            "contents_count",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CampaignInputSerializer(StrictInputSerializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    goal = serializers.CharField(max_length=500, required=False, allow_blank=True)
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects, allow_null=True, required=False
    )
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    posts = serializers.PrimaryKeyRelatedField(queryset=Post.objects, many=True, required=False)
    contents = serializers.PrimaryKeyRelatedField(
        queryset=Content.objects, many=True, required=False
    )


class CampaignUpdateSerializer(StrictInputSerializer):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    goal = serializers.CharField(max_length=500, required=False, allow_blank=True)
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects, allow_null=True, required=False
    )
    posts = serializers.PrimaryKeyRelatedField(queryset=Post.objects, many=True, required=False)
    contents = serializers.PrimaryKeyRelatedField(
        queryset=Content.objects, many=True, required=False
    )


class CampaignScheduleInput(StrictInputSerializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class CampaignAttachInput(StrictInputSerializer):
    posts = serializers.PrimaryKeyRelatedField(
        queryset=Post.objects, many=True, required=False, default=list
    )
    contents = serializers.PrimaryKeyRelatedField(
        queryset=Content.objects, many=True, required=False, default=list
    )

    def validate(self, attrs):
        if not attrs.get("posts") and not attrs.get("contents"):
            raise serializers.ValidationError({"posts": ["Give posts or contents."]})
        return attrs


class PlatformMetricsSerializer(Serializer):
    published = serializers.IntegerField()
    reach = serializers.IntegerField()
    engagement = serializers.IntegerField()


class CampaignMetricsSerializer(Serializer):
    posts = serializers.IntegerField()
    posts_published = serializers.IntegerField()
    posts_by_status = serializers.DictField(child=serializers.IntegerField())
    targets_published = serializers.IntegerField()
    reach = serializers.IntegerField()
    engagement = serializers.IntegerField()
    engagement_rate = serializers.FloatField()
    by_platform = serializers.DictField(child=PlatformMetricsSerializer())
    contents = serializers.IntegerField()
    contents_published = serializers.IntegerField()
