"""The sandbox customer: writes to the shop on Messenger, Instagram or WhatsApp (Meta's
signed webhooks) and reads the shop's replies."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect

from flowline.core.outbound.client import Client
from flowline.sandbox import providers
from flowline.sandbox.social import graph as graph_fake
from flowline.sandbox.social import meta_inbound
from flowline.sandbox.views.base import SandboxPage

# The sandbox customer on each channel: (label, Meta's webhook object, their id).
CUSTOMER_CHANNELS = {
    "messenger": ("Messenger (Facebook page)", "page", graph_fake.CUSTOMER_PSID),
    "instagram": ("Instagram direct", "instagram", graph_fake.CUSTOMER_IGSID),
    "whatsapp": ("WhatsApp", "whatsapp", graph_fake.CUSTOMER_WA_ID),
}


def customer_send(channel: str, text: str) -> int:
    """The sandbox customer writes `text` to the shop on `channel`: Meta's webhook,
    signed with META_APP_SECRET, delivered to Flowline over HTTP. The answer's status."""
    graph = providers.get("graph")
    _, kind, customer = CUSTOMER_CHANNELS[channel]
    page = next(iter(graph.pages.values()))
    mid = f"m_sandbox_{len(graph.customer_log) + 1}_{int(datetime.now(UTC).timestamp())}"
    if channel == "whatsapp":
        payload = meta_inbound.whatsapp(
            next(iter(graph.whatsapp)), mid, text, sender=customer, name=graph_fake.CUSTOMER_NAME
        )
    else:
        inbox = page["id"] if channel == "messenger" else page["ig"]
        payload = meta_inbound.messenger(inbox, mid, text, kind, sender=customer)
    raw, signature = meta_inbound.signed(payload, settings.META_APP_SECRET)
    origin = settings.FLOWLINE_SANDBOX_URL.removesuffix("/sandbox")
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": signature}
    with Client(service="Sandbox Meta webhook", timeout=20) as client:
        answer = client.request(
            "POST",
            f"{origin}/api/v1/chat/webhooks/meta/",
            content=raw,
            headers=headers,
            check=False,
        )
    # How many replies had come before this message: the page shows them in order.
    graph.customer_log.append(
        {"channel": channel, "text": text, "from": "you", "after": len(_replies(channel))}
    )
    providers.save("graph")
    return answer.status_code


def customer_conversation(channel: str) -> list[dict]:
    """What the customer sent on `channel` and the shop's replies (Send API), in order."""
    sent = [m for m in providers.get("graph").customer_log if m["channel"] == channel]
    replies = _replies(channel)
    conversation, shown = [], 0
    for message in sent:
        conversation += replies[shown : message["after"]]
        shown = max(shown, message["after"])
        conversation.append(message)
    return conversation + replies[shown:]


def _replies(channel: str) -> list[dict]:
    """The shop's messages to the sandbox customer on `channel`, as the Send API got them."""
    customer = CUSTOMER_CHANNELS[channel][2]
    return [
        {"from": "shop", "text": _reply_text(m)}
        for m in providers.get("graph").messages
        if (m.get("recipient") or {}).get("id") == customer or m.get("to") == customer
    ]


def _reply_text(message: dict) -> str:
    text = (message.get("message") or {}).get("text") or (message.get("text") or {}).get("body")
    return text or "(attachment)"


class CustomerPage(SandboxPage):
    """A sandbox customer who writes to the shop on Messenger, Instagram or WhatsApp;
    each message reaches the inbox as Meta's signed webhook, and the shop's replies
    (sent through the Send API to the sandbox Graph) show here."""

    template_name = "sandbox/customer.html"
    title = "Sandbox customer"

    def _channel(self) -> str:
        wanted = self.request.GET.get("channel") or self.request.POST.get("channel", "")
        return wanted if wanted in CUSTOMER_CHANNELS else "messenger"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        channel = self._channel()
        context.update(
            channel=channel,
            channels={k: v[0] for k, v in CUSTOMER_CHANNELS.items()},
            conversation=customer_conversation(channel),
        )
        return context

    def post(self, request, *args, **kwargs):
        text = " ".join(request.POST.get("text", "").split())[:2000]
        channel = self._channel()
        if not text:
            return self.render_to_response(self.get_context_data(error="Write a message first."))
        status = customer_send(channel, text)
        if status >= 300:
            error = f"Flowline refused the webhook ({status}): is a {channel} inbox connected?"
            return self.render_to_response(self.get_context_data(error=error), status=502)
        return HttpResponseRedirect(f"{request.path}?{urlencode({'channel': channel})}")
