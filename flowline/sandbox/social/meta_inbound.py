"""Meta's inbound chat webhooks (Messenger, Instagram, WhatsApp Cloud API), as Meta sends
them: the payload shapes, and `X-Hub-Signature-256` (HMAC-SHA256 of the raw body with the
app secret). Used by the chat tests and by the sandbox customer page."""

from __future__ import annotations

import hashlib
import hmac
import json
import time


def whatsapp(
    phone_number_id: str,
    wamid: str,
    text: str,
    *,
    sender: str = "351911111111",
    name: str = "Ana Silva",
) -> dict:
    """A WhatsApp Cloud API `messages` change: `sender` wrote `text` to the number."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "WABA",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "15550001111",
                                "phone_number_id": phone_number_id,
                            },
                            "contacts": [{"profile": {"name": name}, "wa_id": sender}],
                            "messages": [
                                {
                                    "from": sender,
                                    "id": wamid,
                                    "timestamp": str(int(time.time())),
                                    "type": "text",
                                    "text": {"body": text},
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }


def messenger(
    page_id: str, mid: str, text: str, kind: str = "page", *, sender: str = "PSID-77"
) -> dict:
    """A Messenger (`kind="page"`) or Instagram (`kind="instagram"`, `page_id` the IG
    account) messaging event: `sender` wrote `text`."""
    now = int(time.time() * 1000)
    return {
        "object": kind,
        "entry": [
            {
                "id": page_id,
                "time": now,
                "messaging": [
                    {
                        "sender": {"id": sender},
                        "recipient": {"id": page_id},
                        "timestamp": now,
                        "message": {"mid": mid, "text": text},
                    }
                ],
            }
        ],
    }


def signed(payload: dict, secret: str) -> tuple[bytes, str]:
    """(raw body, X-Hub-Signature-256 header) of one delivery."""
    raw = json.dumps(payload).encode()
    return raw, "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
