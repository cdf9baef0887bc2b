"""The seam to the social platforms for replies.

Web chat replies reach the customer over Socket.IO, so they are sent at once. For
WhatsApp, Messenger and Instagram the social app registers a sender per channel
(`register_sender("whatsapp", send)`); `send(conversation, message) -> external id`
raises on failure. Until one is registered, replies are stored and marked failed with
a clear reason, never silently dropped.

Where a platform's webhooks name only the sender's id (Messenger, Instagram), the social
app also registers a name lookup (`register_name_lookup("messenger", lookup)`), so the
inbox shows the customer's profile name rather than an opaque id.
"""

from __future__ import annotations

from collections.abc import Callable

_senders: dict[str, Callable] = {}
_name_lookups: dict[str, Callable[..., str]] = {}


class NoSender(Exception):
    pass


def register_sender(channel: str, send: Callable) -> None:
    _senders[channel] = send


def unregister_sender(channel: str) -> None:
    _senders.pop(channel, None)


def send(conversation, message) -> str | None:
    """Deliver `message`; returns the platform's message id (None for web chat)."""
    if conversation.channel == "web":
        return None
    sender = _senders.get(conversation.channel)
    if sender is None:
        raise NoSender(f"No {conversation.channel} sender is connected to send replies.")
    return sender(conversation, message)


def register_name_lookup(channel: str, lookup: Callable[..., str]) -> None:
    """`lookup(*, account_id, channel, inbox_id, customer_id) -> name`; raises on failure."""
    _name_lookups[channel] = lookup


def unregister_name_lookup(channel: str) -> None:
    _name_lookups.pop(channel, None)


def customer_name(*, account_id: int, channel: str, inbox_id: str, customer_id: str) -> str:
    """The customer's profile name from the platform; "" when the channel has no lookup
    or the platform does not say (the lookup answers "" when the platform fails: a name
    is a courtesy, the message is stored either way)."""
    lookup = _name_lookups.get(channel)
    if lookup is None:
        return ""
    asked = {"account_id": account_id, "channel": channel, "inbox_id": inbox_id}
    return lookup(**asked, customer_id=customer_id)[:200]
