from rest_framework import serializers

from flowline.chat.models import ChannelConnection, Conversation, Message
from flowline.core.serializers import IdField, ModelSerializer, StrictInputSerializer


class ChannelConnectionSerializer(ModelSerializer):
    class Meta:
        model = ChannelConnection
        fields = ["id", "channel", "external_id", "name", "site", "is_active", "created_at"]
        read_only_fields = ["id", "created_at"]


class ConversationSerializer(ModelSerializer):
    class Meta:
        model = Conversation
        fields = [
            "id",
            "channel",
            "site",
            "customer_name",
            "customer_handle",
            "status",
            "assigned_to",
            "unread_count",
            "last_message_at",
            "last_message_preview",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "unread_count",
            "last_message_at",
            "last_message_preview",
            "created_at",
        ]


class ConversationUpdateSerializer(ConversationSerializer):
    class Meta(ConversationSerializer.Meta):
        read_only_fields = [
            *ConversationSerializer.Meta.read_only_fields,
            "channel",
            "customer_handle",
        ]


class MessageSerializer(ModelSerializer):
    class Meta:
        model = Message
        fields = [
            "id",
            "conversation",
            "direction",
            "body",
            "attachments",
            "sender_user",
            "delivery_status",
            "delivery_error",
            "created_at",
        ]
        read_only_fields = fields


class SendMessageInput(StrictInputSerializer):
    body = serializers.CharField(max_length=4096, required=False, allow_blank=True, default="")
    product_id = IdField(required=False)


class SuggestionsInput(StrictInputSerializer):
    conversation_id = IdField()
    count = serializers.IntegerField(min_value=1, max_value=5, default=3)
