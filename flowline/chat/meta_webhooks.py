"""Inbound messages from Meta's webhooks (WhatsApp Cloud API, Messenger, Instagram).

Meta signs each delivery with `X-Hub-Signature-256: sha256=<HMAC-SHA256(app secret, raw
body)>`; unsigned or mis-signed bodies are refused before anything is read. Each message
is routed to the account that connected that inbox (phone number id, page id or
Instagram account id), and stored once even when Meta retries.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

from django.conf import settings

from flowline.chat import outbound
from flowline.chat.models import Channel, ChannelConnection, Conversation
from flowline.chat.services import message_receive
from flowline.core.errors import ApplicationError


@dataclass(frozen=True)
class Inbound:
    channel: str
    inbox_id: str
    customer_handle: str
    external_id: str
    body: str = ""
    customer_name: str = ""
    attachments: list = field(default_factory=list)


def verify_signature(raw_body: bytes, header: str | None) -> None:
    secret = settings.META_APP_SECRET
    if not secret:
        raise ApplicationError(
            "Meta webhooks are not configured.", code="not_configured", status=503
        )
    if not header or not header.startswith("sha256="):
        raise ApplicationError("Missing signature.", code="invalid_signature", status=401)
    expected = hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, header.removeprefix("sha256=")):
        raise ApplicationError("Invalid signature.", code="invalid_signature", status=401)


def parse(payload: dict) -> list[Inbound]:
    """The customer messages in a webhook payload (statuses, echoes and reads skipped)."""
    kind = payload.get("object")
    if kind == "whatsapp_business_account":
        return list(_whatsapp(payload))
    if kind in ("page", "instagram"):
        channel = Channel.MESSENGER if kind == "page" else Channel.INSTAGRAM
        return list(_messaging(payload, channel))
    return []


def _whatsapp(payload: dict):
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            inbox = str((value.get("metadata") or {}).get("phone_number_id", ""))
            names = {
                c.get("wa_id"): (c.get("profile") or {}).get("name", "")
                for c in value.get("contacts") or []
            }
            for message in value.get("messages") or []:
                sender = str(message.get("from", ""))
                body = (message.get("text") or {}).get("body", "")
                attachments = [
                    {"type": kind, "id": (message.get(kind) or {}).get("id")}
                    for kind in ("image", "video", "audio", "document")
                    if kind in message
                ]
                yield Inbound(
                    Channel.WHATSAPP,
                    inbox,
                    sender,
                    str(message.get("id", "")),
                    body,
                    names.get(sender, ""),
                    attachments,
                )


def _messaging(payload: dict, channel: str):
    for entry in payload.get("entry") or []:
        for event in entry.get("messaging") or []:
            message = event.get("message") or {}
            if not message or message.get("is_echo"):
                continue
            attachments = [
                {"type": a.get("type"), "url": (a.get("payload") or {}).get("url")}
                for a in message.get("attachments") or []
            ]
            yield Inbound(
                channel,
                str((event.get("recipient") or {}).get("id", "")),
                str((event.get("sender") or {}).get("id", "")),
                str(message.get("mid", "")),
                message.get("text", ""),
                "",
                attachments,
            )


def _profile_name(connection: ChannelConnection, item: Inbound) -> str:
    """The sender's profile name, asked of the platform only while their conversation has
    none (Messenger's and Instagram's webhooks carry the sender's id, not their name)."""
    named = Conversation.unscoped.filter(
        account_id=connection.account_id,
        channel=item.channel,
        customer_handle=item.customer_handle,
    ).exclude(customer_name="")
    if named.exists():
        return ""
    return outbound.customer_name(
        account_id=connection.account_id,
        channel=item.channel,
        inbox_id=item.inbox_id,
        customer_id=item.customer_handle,
    )


def receive(payload: dict) -> dict:
    """Store every message of a verified payload; returns what happened (for logs/tests)."""
    stored = duplicates = unrouted = 0
    for item in parse(payload):
        if not (item.inbox_id and item.customer_handle and item.external_id):
            continue
        connection = ChannelConnection.unscoped.filter(
            channel=item.channel, external_id=item.inbox_id, is_active=True
        ).first()
        if connection is None:
            unrouted += 1
            continue
        message = message_receive(
            account_id=connection.account_id,
            channel=item.channel,
            customer_handle=item.customer_handle,
            customer_name=item.customer_name or _profile_name(connection, item),
            body=item.body,
            external_id=f"{item.channel}:{item.external_id}",
            attachments=item.attachments,
            connection=connection,
        )
        if message is None:
            duplicates += 1
        else:
            stored += 1
    return {"stored": stored, "duplicates": duplicates, "unrouted": unrouted}
