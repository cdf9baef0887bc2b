from django.contrib import admin

from flowline.chat.models import ChannelConnection, Conversation, Message


@admin.register(ChannelConnection)
class ChannelConnectionAdmin(admin.ModelAdmin):
    list_display = ["channel", "external_id", "name", "account", "is_active"]
    list_filter = ["channel", "is_active"]
    search_fields = ["external_id", "name", "account__name"]


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ["direction", "body", "delivery_status", "created_at"]
    readonly_fields = fields


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = [
        "customer_name",
        "customer_handle",
        "channel",
        "account",
        "status",
        "unread_count",
        "last_message_at",
    ]
    list_filter = ["channel", "status"]
    search_fields = ["customer_name", "customer_handle", "account__name"]
    inlines = [MessageInline]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["conversation", "direction", "delivery_status", "created_at"]
    list_filter = ["direction", "delivery_status"]
    search_fields = ["body", "external_id"]
