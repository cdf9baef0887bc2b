"""Money coming in: credit packages for sale, saved payment methods, payments, invoices,
and the provider events already processed (so a replayed webhook changes nothing)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from flowline.core.models import TimeStampedModel
from flowline.core.tenancy import TenantModel


class CreditPackage(models.Model):
    """Credits sold in one purchase (002 credit-packages); the same for every account."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(max_length=255, blank=True)
    credits = models.PositiveIntegerField()
    price = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3, default="USD")
    is_active = models.BooleanField(default=True)
    stripe_price_id = models.CharField(
        max_length=255, blank=True, help_text="A Stripe Price; empty: priced inline at checkout."
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "price"]

    def __str__(self) -> str:
        return f"{self.name} ({self.credits} credits)"


class BillingCustomer(TenantModel):
    """The account's customer record at a payment provider (one per provider)."""

    provider = models.CharField(max_length=20, default="stripe")
    customer_id = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "provider"], name="billing_customer_one_per_provider"
            ),
            models.UniqueConstraint(
                fields=["provider", "customer_id"], name="billing_customer_unique_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.provider} {self.customer_id}"


class PaymentMethod(TenantModel, TimeStampedModel):
    """A way the account pays: a card saved at the provider, or bank transfer details.
    At most one is the default."""

    class Kind(models.TextChoices):
        CARD = "card", "Card"
        BANK_TRANSFER = "bank_transfer", "Bank transfer"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    label = models.CharField(max_length=100, blank=True)
    brand = models.CharField(max_length=30, blank=True)
    last4 = models.CharField(max_length=4, blank=True)
    exp_month = models.PositiveSmallIntegerField(null=True, blank=True)
    exp_year = models.PositiveSmallIntegerField(null=True, blank=True)
    provider_id = models.CharField(max_length=255, blank=True, help_text="e.g. Stripe pm_...")
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_default", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(is_default=True),
                name="payment_method_one_default",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.brand} {self.last4}".strip()


class Payment(TenantModel, TimeStampedModel):
    """Money an account paid or promised: through Stripe Checkout, or a bank transfer
    that staff approve. Succeeding grants its credits (or starts its plan) exactly once."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        REFUNDED = "refunded", "Refunded"

    class Method(models.TextChoices):
        MANUAL = "manual", "Manual (bank transfer)"
        STRIPE = "stripe", "Stripe"

    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3, default="USD")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    method = models.CharField(max_length=10, choices=Method.choices)
    provider_reference = models.CharField(
        max_length=255, blank=True, help_text="Checkout session or provider invoice id."
    )
    transfer_reference = models.CharField(
        max_length=100, blank=True, help_text="What the payer quoted on a bank transfer."
    )
    credit_package = models.ForeignKey(
        CreditPackage, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    plan = models.ForeignKey(
        "billing.Plan", null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    credits = models.PositiveIntegerField(default=0)
    description = models.CharField(max_length=255, blank=True)
    failure_reason = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    provider_payment_intent = models.CharField(
        max_length=255,
        blank=True,
        db_index=True,
        help_text="Stripe PaymentIntent: how a refunded charge finds its payment.",
    )
    refunded_amount = models.DecimalField(max_digits=10, decimal_places=2, default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider_reference"],
                condition=~Q(provider_reference=""),
                name="payment_unique_provider_reference",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.amount} ({self.status})"


class Invoice(TenantModel, TimeStampedModel):
    """What was sold and for how much, numbered INV-<year>-<sequence> without gaps."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        PAID = "paid", "Paid"
        VOID = "void", "Void"

    number = models.CharField(max_length=30, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    currency = models.CharField(max_length=3, default="USD")
    subtotal = models.DecimalField(max_digits=12, decimal_places=2)
    tax = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    lines = models.JSONField(
        default=list, help_text='[{"description", "quantity", "unit_price", "amount"}]'
    )
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="invoice"
    )
    billed_to = models.CharField(max_length=255, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number


class InvoiceSequence(models.Model):
    """The last invoice number given out in a year; its row is locked to take the next."""

    year = models.PositiveSmallIntegerField(unique=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class ProcessedWebhookEvent(models.Model):
    """A provider event whose effect is done, stored in the same transaction as that
    effect: a replayed or concurrent delivery of the same event finds it and does nothing."""

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=255)
    event_type = models.CharField(max_length=100, blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"], name="processed_webhook_event_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id}"
