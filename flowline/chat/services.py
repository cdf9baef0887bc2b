"""Conversations and messages: receiving (deduplicated), sending, reading."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from flowline.chat import outbound
from flowline.chat.events import announce
from flowline.chat.models import Channel, ChannelConnection, Conversation, Message
from flowline.core import tenancy
from flowline.core.errors import ApplicationError

logger = logging.getLogger("flowline.chat")


def _touch(conversation: Conversation, message: Message, *, unread: bool) -> None:
    fields = {
        "last_message_at": message.created_at,
        "last_message_preview": (message.body or "[attachment]")[:200],
        "updated_at": timezone.now(),
    }
    if unread:
        fields["unread_count"] = F("unread_count") + 1
        fields["status"] = Conversation.Status.OPEN
    Conversation.unscoped.filter(id=conversation.id).update(**fields)
    conversation.refresh_from_db()


@transaction.atomic
def message_receive(
    *,
    account_id: int,
    channel: str,
    customer_handle: str,
    body: str = "",
    customer_name: str = "",
    external_id: str | None = None,
    attachments: list | None = None,
    connection: ChannelConnection | None = None,
) -> Message | None:
    """Store an inbound customer message in its conversation; a platform message seen
    before (same external id) changes nothing and returns None."""
    conversation, _ = Conversation.unscoped.get_or_create(
        account_id=account_id,
        channel=channel,
        customer_handle=customer_handle,
        defaults={
            "customer_name": customer_name,
            "connection": connection,
            "site": connection.site if connection else None,
        },
    )
    try:
        with transaction.atomic():
            message = Message.unscoped.create(
                account_id=account_id,
                conversation=conversation,
                direction=Message.Direction.INBOUND,
                body=body,
                attachments=attachments or [],
                external_id=external_id,
                delivery_status=Message.Delivery.RECEIVED,
            )
    except IntegrityError:
        return None  # a webhook retry: already stored
    if customer_name and not conversation.customer_name:
        conversation.customer_name = customer_name
        conversation.save(update_fields=["customer_name", "updated_at"])
    _touch(conversation, message, unread=True)
    transaction.on_commit(lambda: announce(conversation, message))
    return message


@transaction.atomic
def conversation_start(
    *, customer_handle: str, customer_name: str = "", channel: str = Channel.WEB, site=None
) -> Conversation:
    """Open (or find) the conversation with a customer in the active account."""
    conversation, _ = Conversation.objects.get_or_create(
        channel=channel,
        customer_handle=customer_handle,
        defaults={
            "customer_name": customer_name,
            "site": site,
            "account_id": tenancy.require().account_id,
        },
    )
    return conversation


def message_send(
    *, conversation: Conversation, user_id: int, body: str = "", attachments: list | None = None
) -> Message:
    """Reply to the customer: stored first, then handed to the channel's sender."""
    if not body.strip() and not attachments:
        raise ApplicationError(
            "A message needs text or an attachment.",
            code="empty_message",
            errors={"body": ["Write something or share a product."]},
        )
    with transaction.atomic():
        message = Message.objects.create(
            account_id=conversation.account_id,
            conversation=conversation,
            direction=Message.Direction.OUTBOUND,
            body=body,
            attachments=attachments or [],
            sender_user_id=user_id,
            delivery_status=Message.Delivery.PENDING,
        )
        _touch(conversation, message, unread=False)
    try:
        external_id = outbound.send(conversation, message)
        message.delivery_status = Message.Delivery.SENT
        message.external_id = external_id
    except outbound.NoSender as exc:
        message.delivery_status, message.delivery_error = Message.Delivery.FAILED, str(exc)
    except Exception as exc:  # the platform refused: keep the reply, say why
        logger.warning("Sending chat reply %s failed", message.id, exc_info=True)
        message.delivery_status, message.delivery_error = Message.Delivery.FAILED, str(exc)[:500]
    message.save(update_fields=["delivery_status", "external_id", "delivery_error"])
    announce(conversation, message)
    return message


def conversation_mark_read(*, conversation: Conversation) -> Conversation:
    Conversation.objects.filter(id=conversation.id).update(unread_count=0)
    conversation.unread_count = 0
    return conversation
