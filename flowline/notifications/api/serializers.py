import base64
import binascii

from rest_framework import serializers

from flowline.core.serializers import ModelSerializer, Serializer, StrictInputSerializer
from flowline.notifications.models import Notification, PushSubscription


class NotificationSerializer(ModelSerializer):
    """A notification as the API and the live `notification` event show it."""

    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "notification_type",
            "title",
            "body",
            "data",
            "link",
            "is_read",
            "read_at",
            "created_at",
        ]
        read_only_fields = fields


class UnreadCountSerializer(Serializer):
    unread_count = serializers.IntegerField()


class MarkAllReadSerializer(Serializer):
    updated_count = serializers.IntegerField()
    unread_count = serializers.IntegerField()


class PreferenceSerializer(Serializer):
    notification_type = serializers.CharField()
    in_app = serializers.BooleanField()
    email = serializers.BooleanField()
    push = serializers.BooleanField()


class PreferenceChangeInput(StrictInputSerializer):
    notification_type = serializers.CharField(max_length=50)
    in_app = serializers.BooleanField(required=False)
    email = serializers.BooleanField(required=False)
    push = serializers.BooleanField(required=False)


class PreferencesInput(StrictInputSerializer):
    """`{"preferences": [{"notification_type": "credits_low", "email": false}, ...]}`"""

    preferences = PreferenceChangeInput(many=True, allow_empty=False, max_length=100)


def _b64url_bytes(value: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, binascii.Error) as exc:
        raise serializers.ValidationError("Not base64url.") from exc


class PushKeysInput(StrictInputSerializer):
    """The browser's ECDH P-256 public key (65 bytes, uncompressed) and auth secret."""

    p256dh = serializers.RegexField(r"^[A-Za-z0-9_\-]+={0,2}$", max_length=200)
    auth = serializers.RegexField(r"^[A-Za-z0-9_\-]+={0,2}$", max_length=100)

    def validate_p256dh(self, value: str) -> str:
        raw = _b64url_bytes(value)
        if len(raw) != 65 or raw[0] != 4:
            raise serializers.ValidationError("Expected an uncompressed P-256 public key.")
        return value

    def validate_auth(self, value: str) -> str:
        if len(_b64url_bytes(value)) < 16:
            raise serializers.ValidationError("Expected a 16-byte auth secret.")
        return value


class PushSubscribeInput(StrictInputSerializer):
    """The browser's `PushSubscription.toJSON()` (expirationTime is accepted, unused)."""

    endpoint = serializers.URLField(max_length=1000)
    expirationTime = serializers.IntegerField(required=False, allow_null=True)
    keys = PushKeysInput()


class PushUnsubscribeInput(StrictInputSerializer):
    endpoint = serializers.URLField(max_length=1000)


class PushSubscriptionSerializer(ModelSerializer):
    class Meta:
        model = PushSubscription
        fields = ["id", "endpoint", "user_agent", "created_at"]
        read_only_fields = fields


class VapidPublicKeySerializer(Serializer):
    public_key = serializers.CharField(allow_blank=True)
    enabled = serializers.BooleanField()
