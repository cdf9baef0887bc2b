"""Chat replies on WhatsApp, Messenger and Instagram go out through the connected social
account's Graph adapter (registered with `chat.public.register_sender` at start-up).

The account is the one whose platform id is the conversation's inbox (its chat channel
connection); without a connection, the account's only active account on that platform.
"""

from __future__ import annotations

import logging

from flowline.chat import public as chat
from flowline.chat.outbound import NoSender
from flowline.social.errors import PlatformError
from flowline.social.models import Platform, SocialAccount
from flowline.social.platforms import adapter_for

logger = logging.getLogger("flowline.social")

# Chat channel -> the platform of the social account that answers on it.
CHANNEL_PLATFORMS = {
    "whatsapp": Platform.WHATSAPP,
    "messenger": Platform.FACEBOOK,
    "instagram": Platform.INSTAGRAM,
}


def account_for_conversation(conversation) -> SocialAccount:
    inbox = conversation.connection.external_id if conversation.connection_id else None
    return account_for(conversation.account_id, conversation.channel, inbox)


def account_for(account_id: int, channel: str, inbox_id: str | None) -> SocialAccount:
    """The social account that answers `channel` for the account: the inbox's, or the
    only active one on that platform when the inbox is not known."""
    platform = CHANNEL_PLATFORMS[channel]
    accounts = SocialAccount.unscoped.filter(
        account_id=account_id, platform=platform, status=SocialAccount.Status.ACTIVE
    )
    if inbox_id:
        accounts = accounts.filter(external_id=inbox_id)
    found = list(accounts[:2])
    if len(found) != 1:
        label = Platform(platform).label
        raise NoSender(
            f"No {channel} sender is connected: connect a {label} account."
            if not found
            else f"Several {label} accounts could answer; connect the conversation's inbox."
        )
    return found[0]


def reply_text(message) -> tuple[str, list[dict]]:
    """The text of a reply (product cards become a line each) and its image media."""
    lines = [message.body] if message.body else []
    media = []
    for card in message.attachments or []:
        if card.get("type") != "product":
            continue
        price = f" — {card.get('price')} {card.get('currency', '')}".rstrip()
        lines.append(f"{card.get('name', '')}{price}")
        image = card.get("image_url") or ""
        if image.startswith(("http://", "https://")):
            media.append({"url": image, "type": "image"})
    return "\n".join(lines), media


def send(conversation, message) -> str:
    """chat.outbound sender: deliver the reply; the platform's message id."""
    account = account_for_conversation(conversation)
    text, media = reply_text(message)
    adapter = adapter_for(account)
    if media and text and conversation.channel != "whatsapp":
        # The Send API takes text or one attachment per message: the text carries the id.
        adapter.send_message(recipient=conversation.customer_handle, text="", media=media)
        media = []
    return adapter.send_message(recipient=conversation.customer_handle, text=text, media=media)


def customer_name(*, account_id: int, channel: str, inbox_id: str, customer_id: str) -> str:
    """chat.outbound name lookup: the customer's profile name, through the inbox's page;
    "" when no account answers that inbox or the platform refuses or fails."""
    try:
        account = account_for(account_id, channel, inbox_id)
        return adapter_for(account).customer_name(customer_id)
    except (NoSender, PlatformError) as exc:
        logger.warning("No %s profile name for %s: %s", channel, customer_id, exc)
        return ""


def register() -> None:
    for channel in CHANNEL_PLATFORMS:
        chat.register_sender(channel, send)
    # WhatsApp's webhooks carry the name; Messenger's and Instagram's only the sender's id.
    for channel in ("messenger", "instagram"):
        chat.register_name_lookup(channel, customer_name)


def inbox_channel(platform: str) -> str | None:
    """The chat channel a social account answers (None for X and LinkedIn)."""
    return next((c for c, p in CHANNEL_PLATFORMS.items() if p == platform), None)
