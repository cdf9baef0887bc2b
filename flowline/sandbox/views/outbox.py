"""The sandbox outbox: the e-mails Flowline sent and the Web Push notifications it pushed."""

from __future__ import annotations

from django.http import Http404

from flowline.sandbox import mail, providers
from flowline.sandbox.views.base import SandboxPage


class OutboxPage(SandboxPage):
    """The e-mails Flowline would have sent (verification, reset, invitations...) and the
    Web Push notifications the sandbox push service received, decrypted with its browsers'
    keys. They hold sign-in links, so the page answers only this machine (loopback), as
    `make run` serves it."""

    template_name = "sandbox/outbox.html"
    title = "Sandbox outbox"

    def open(self, request, **kwargs) -> None:
        if request.META.get("REMOTE_ADDR") not in ("127.0.0.1", "::1"):
            raise Http404

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["messages_sent"] = mail.outbox()
        context["pushes"] = push_deliveries()
        return context


def push_deliveries() -> list[dict]:
    """What the sandbox push service received, newest first: each notification as the
    subscribed browser decrypted it (its title, body and link)."""
    service = providers.get("push")
    return [
        {
            "to": delivery.path.rsplit("/", 1)[-1],
            "title": delivery.message.get("title", ""),
            "body": delivery.message.get("body", ""),
            "link": delivery.message.get("link", ""),
            "type": delivery.message.get("type", ""),
            "received_at": delivery.received_at,
        }
        for delivery in reversed(service.deliveries)
    ]
