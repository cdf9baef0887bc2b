"""The seam to the social platforms for replies.

Web chat replies reach the customer over Socket.IO, so they are sent at once. For
WhatsApp, Messenger and Instagram the social app registers a sender per channel
(`register_sender("whatsapp", send)`); `send(conversation, message) -> external id`
raises on failure. Until one is registered, replies are stored and marked failed with
a clear reason, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Callable

_senders: dict[str, Callable] = {}


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
