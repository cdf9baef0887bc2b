"""A new message reaches the seller's account room at once (`chat_message`), and the
account's members get a `new_message` notification when the notifications app is there."""

from __future__ import annotations

from flowline.realtime.public import publish


def message_payload(message) -> dict:
    return {
        "id": message.id,
        "conversation_id": message.conversation_id,
        "direction": message.direction,
        "body": message.body,
        "attachments": message.attachments,
        "sender_user": message.sender_user_id,
        "delivery_status": message.delivery_status,
        "delivery_error": message.delivery_error,
        "created_at": message.created_at.isoformat(),
    }


def announce(conversation, message) -> None:
    payload = message_payload(message)
    payload["unread_count"] = conversation.unread_count
    payload["channel"] = conversation.channel
    publish("chat_message", payload, rooms=f"account_{conversation.account_id}")
    if message.direction == "inbound":
        _notify(conversation, message)
        from flowline.webhooks.public import emit

        emit(account_id=conversation.account_id, event_type="message.received", payload=payload)


def _notify(conversation, message) -> None:
    try:
        from flowline.notifications.public import notify
    except ImportError:  # notifications not installed
        return
    notify(
        account_id=conversation.account_id,
        user_ids=None,
        notification_type="new_message",
        context={
            "customer": conversation.customer_name or conversation.customer_handle,
            "channel": conversation.get_channel_display(),
            "preview": (message.body or "")[:140],
            "conversation_id": conversation.id,
        },
        link=f"/chat/conversations/{conversation.id}",
    )
