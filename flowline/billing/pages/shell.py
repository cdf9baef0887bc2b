"""Pages that meet a 402 (not enough credits) link to buying credits: `shell.billing_url`."""

from django.urls import reverse

from flowline.core.pages import shell


def provide(request) -> dict:
    return {"billing_url": reverse("console-billing-buy")}


def register() -> None:
    shell.register_provider(provide)
