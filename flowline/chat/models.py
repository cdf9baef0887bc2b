"""Conversations with customers on a channel, their messages, and the channel connections
that route inbound platform messages to an account."""

from django.conf import settings
from django.db import models

from flowline.core.models import TimeStampedModel
from flowline.core.tenancy import TenantModel


class Channel(models.TextChoices):
    WEB = "web", "Web chat"
    WHATSAPP = "whatsapp", "WhatsApp"
    MESSENGER = "messenger", "Messenger"
    INSTAGRAM = "instagram", "Instagram"


class ChannelConnection(TenantModel, TimeStampedModel):
    """Which platform inbox belongs to the account: the WhatsApp phone number id, the
    Facebook page id or the Instagram account id Meta sends in its webhooks."""

    channel = models.CharField(max_length=20, choices=Channel.choices)
    external_id = models.CharField(max_length=100)
    name = models.CharField(max_length=200, blank=True)
    site = models.ForeignKey(
        "sites.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["channel", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"], name="chat_connection_unique_inbox"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.external_id}"


class Conversation(TenantModel, TimeStampedModel):
    """One customer on one channel. `unread_count` counts inbound messages the seller
    has not read yet."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.WEB)
    connection = models.ForeignKey(
        ChannelConnection,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )
    site = models.ForeignKey(
        "sites.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    customer_name = models.CharField(max_length=200, blank=True)
    customer_handle = models.CharField(
        max_length=200, help_text="Phone number, page-scoped id, or web visitor id."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unread_count = models.PositiveIntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_message_preview = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "channel", "customer_handle"],
                name="chat_conversation_unique_customer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.customer_name or self.customer_handle}"


class Message(TenantModel):
    """A message in a conversation; `external_id` is the platform's id (deduplication)."""

    class Direction(models.TextChoices):
        INBOUND = "inbound", "From the customer"
        OUTBOUND = "outbound", "To the customer"

    class Delivery(models.TextChoices):
        RECEIVED = "received", "Received"
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    direction = models.CharField(max_length=10, choices=Direction.choices)
    body = models.TextField(blank=True)
    attachments = models.JSONField(default=list, blank=True)
    sender_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    external_id = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    delivery_status = models.CharField(max_length=10, choices=Delivery.choices)
    delivery_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # NULL for messages written here; a platform id arrives once only.
            models.UniqueConstraint(
                fields=["account", "external_id"],
                condition=models.Q(external_id__isnull=False),
                name="chat_message_unique_external_id",
            ),
        ]
        # A conversation's messages newest first, ties by id: the page and its cursor.
        indexes = [
            models.Index(
                fields=["conversation", "-created_at", "-id"], name="chat_message_conversation_new"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.direction}: {self.body[:40]}"
