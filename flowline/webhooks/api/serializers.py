from rest_framework import serializers

from flowline.core.fields import mask
from flowline.core.serializers import ModelSerializer, Serializer
from flowline.webhooks.models import WebhookDelivery, WebhookEndpoint


class EndpointSerializer(ModelSerializer):
    secret_masked = serializers.SerializerMethodField()
    event_types = serializers.ListField(child=serializers.CharField(max_length=100), min_length=1)

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "event_types",
            "is_active",
            "secret_masked",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "secret_masked", "created_at", "updated_at"]

    def get_secret_masked(self, obj) -> str:
        return mask(obj.secret)


class EndpointWithSecretSerializer(EndpointSerializer):
    secret = serializers.CharField(read_only=True, help_text="Shown once. Store it now.")

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]


class DeliverySerializer(ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint",
            "event_id",
            "event_type",
            "payload",
            "status",
            "attempts",
            "max_attempts",
            "next_attempt_at",
            "last_response_status",
            "last_response_body",
            "last_error",
            "delivered_at",
            "created_at",
        ]
        read_only_fields = fields


class EventTypeSerializer(Serializer):
    name = serializers.CharField()
    description = serializers.CharField()
