"""Social account API shapes. Tokens never leave: no serializer names them."""

from __future__ import annotations

from rest_framework import serializers

from flowline.core.serializers import ModelSerializer, Serializer, StrictInputSerializer
from flowline.sites.models import Site
from flowline.social.models import Platform, SocialAccount
from flowline.social.services import health


class SocialAccountSerializer(ModelSerializer):
    needs_reconnect = serializers.SerializerMethodField()
    token_health = serializers.SerializerMethodField()
    broadcast_to = serializers.SerializerMethodField()

    class Meta:
        model = SocialAccount
        fields = [
            "id",
            "platform",
            "external_id",
            "name",
            "username",
            "profile_url",
            "site",
            "status",
            "needs_reconnect",
            "token_health",
            "scope",
            "token_expires_at",
            "last_refreshed_at",
            "last_error",
            "broadcast_to",
            "connected_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_needs_reconnect(self, obj: SocialAccount) -> bool:
        return obj.status in (SocialAccount.Status.EXPIRED, SocialAccount.Status.REVOKED)

    def get_token_health(self, obj: SocialAccount) -> str:
        return health.token_health(obj)

    def get_broadcast_to(self, obj: SocialAccount) -> list[str]:
        return list(obj.meta.get("broadcast_to", [])) if obj.platform == Platform.WHATSAPP else []


class SocialAccountUpdateInput(StrictInputSerializer):
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects, allow_null=True, required=False
    )
    broadcast_to = serializers.ListField(
        child=serializers.RegexField(r"^\+?[0-9]{6,15}$"),
        max_length=256,
        required=False,
        help_text="WhatsApp only: numbers a post is sent to.",
    )


class ConnectInput(StrictInputSerializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects, allow_null=True, required=False
    )


class ConnectSiteInput(StrictInputSerializer):
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects, allow_null=True, required=False
    )


class SocialConnectInitSerializer(Serializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    authorization_url = serializers.URLField()
    state = serializers.CharField()
    expires_in = serializers.IntegerField()


class SocialConnectCallbackInput(StrictInputSerializer):
    code = serializers.CharField(max_length=4096)
    state = serializers.CharField(max_length=4096)


class PlatformRulesSerializer(Serializer):
    platform = serializers.CharField()
    max_length = serializers.IntegerField()
    url_length = serializers.IntegerField(required=False)
    max_media = serializers.IntegerField()
    max_videos = serializers.IntegerField()
    media_types = serializers.ListField(child=serializers.CharField())
    requires_media = serializers.BooleanField()
    allows_link = serializers.BooleanField()
    max_hashtags = serializers.IntegerField(allow_null=True)
