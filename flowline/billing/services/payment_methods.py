"""The account's payment methods: cards saved at Stripe, bank transfer details; one default."""

from __future__ import annotations

from django.db import transaction

from flowline.billing.models import PaymentMethod
from flowline.billing.providers import stripe as provider
from flowline.billing.services.payments import customer_id_for
from flowline.core.errors import ApplicationError

Kind = PaymentMethod.Kind


def _locked_methods(account_id: int) -> list[PaymentMethod]:
    """Every method of the account, locked: default changes cannot interleave."""
    return list(PaymentMethod.unscoped.select_for_update().filter(account_id=account_id))


@transaction.atomic
def _store(*, account_id: int, **fields) -> PaymentMethod:
    methods = _locked_methods(account_id)
    provider_id = fields.get("provider_id")
    if provider_id:
        for method in methods:
            if method.provider_id == provider_id:
                return method  # the same card added twice stays one row
    return PaymentMethod.unscoped.create(
        account_id=account_id, is_default=not any(m.is_default for m in methods), **fields
    )


def payment_method_add(
    *, account_id: int, kind: str, provider_id: str = "", label: str = "", last4: str = ""
) -> PaymentMethod:
    """Save a method. A card (pm_... from Stripe.js) is attached to the account's Stripe
    customer and its brand, last 4 and expiry are read from Stripe, never from the client.
    The account's first method becomes its default."""
    if kind == Kind.CARD:
        card = provider.payment_method_attach(
            payment_method_id=provider_id, customer_id=customer_id_for(account_id)
        )
        return _store(
            account_id=account_id,
            kind=kind,
            label=label,
            provider_id=card.provider_id,
            brand=card.brand,
            last4=card.last4,
            exp_month=card.exp_month,
            exp_year=card.exp_year,
        )
    return _store(account_id=account_id, kind=kind, label=label, last4=last4)


def payment_methods_sync(*, account_id: int) -> list[PaymentMethod]:
    """Import the cards the account saved at Stripe (e.g. during checkout) that are not
    here yet; returns the account's methods."""
    for card in provider.payment_methods_list(customer_id=customer_id_for(account_id)):
        _store(
            account_id=account_id,
            kind=Kind.CARD,
            provider_id=card.provider_id,
            brand=card.brand,
            last4=card.last4,
            exp_month=card.exp_month,
            exp_year=card.exp_year,
        )
    return list(PaymentMethod.unscoped.filter(account_id=account_id))


@transaction.atomic
def payment_method_update(*, method: PaymentMethod, label: str) -> PaymentMethod:
    method.label = label
    method.save(update_fields=["label", "updated_at"])
    return method


@transaction.atomic
def payment_method_set_default(*, method: PaymentMethod) -> PaymentMethod:
    """Make `method` the account's only default."""
    methods = _locked_methods(method.account_id)
    for other in methods:
        if other.is_default and other.pk != method.pk:
            other.is_default = False
            other.save(update_fields=["is_default", "updated_at"])
    method.is_default = True
    method.save(update_fields=["is_default", "updated_at"])
    return method


def payment_method_remove(*, method: PaymentMethod) -> None:
    """Delete a method (a card is detached at Stripe first); when it was the default, the
    newest remaining method becomes the default."""
    if method.kind == Kind.CARD and method.provider_id and provider.is_configured():
        try:
            provider.payment_method_detach(payment_method_id=method.provider_id)
        except ApplicationError as exc:
            if exc.code != "provider_object_not_found":
                raise
    with transaction.atomic():
        remaining = [m for m in _locked_methods(method.account_id) if m.pk != method.pk]
        method.delete()
        if method.is_default and remaining:
            newest = max(remaining, key=lambda m: m.pk)
            newest.is_default = True
            newest.save(update_fields=["is_default", "updated_at"])
