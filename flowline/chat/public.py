"""What other apps may call: the outbound sender seam and the inboxes Meta webhooks route.

from flowline.chat import public as chat
chat.register_sender("whatsapp", send)   # send(conversation, message) -> platform id
chat.register_name_lookup("messenger", lookup)  # the customer's profile name
chat.connect_inbox(account_id=..., channel="messenger", external_id=page_id, name=...)
"""

from __future__ import annotations

from flowline.chat.models import Channel, ChannelConnection
from flowline.chat.outbound import (
    register_name_lookup,
    register_sender,
    unregister_name_lookup,
    unregister_sender,
)

__all__ = [
    "Channel",
    "connect_inbox",
    "register_name_lookup",
    "register_sender",
    "unregister_name_lookup",
    "unregister_sender",
]


def connect_inbox(
    *, account_id: int, channel: str, external_id: str, name: str = "", site_id: int | None = None
) -> bool:
    """Route the inbox's inbound messages (a WhatsApp phone number id, a page id, an
    Instagram account id) to this account, creating or reactivating its connection.
    Returns False when another account already holds that inbox: it is never taken over."""
    connection = ChannelConnection.unscoped.filter(channel=channel, external_id=external_id).first()
    if connection is None:
        ChannelConnection.unscoped.create(
            account_id=account_id,
            channel=channel,
            external_id=external_id,
            name=name[:200],
            site_id=site_id,
        )
        return True
    if connection.account_id != account_id:
        return False
    if not connection.is_active:
        connection.is_active = True
        connection.save(update_fields=["is_active", "updated_at"])
    return True
