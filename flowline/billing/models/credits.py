"""Credits: the live balance, the ledger that explains it, holds for queued work, usage.

Invariants (checked by the database where it can): buckets never go negative, holds
never exceed the balance, and granted + purchased == the sum of the ledger.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from flowline.core.tenancy import TenantModel


class CreditBalance(TenantModel):
    """An account's live balance in two buckets: granted (plan, promotions; spent first,
    may expire) and purchased (never expires), minus what running work holds."""

    account = models.OneToOneField(
        "identity.Account", on_delete=models.CASCADE, related_name="credit_balance"
    )
    granted = models.PositiveIntegerField(default=0)
    purchased = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    granted_expires_at = models.DateTimeField(null=True, blank=True)
    low_balance_threshold = models.PositiveIntegerField(default=50)
    low_balance_notified = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(held__lte=F("granted") + F("purchased")),
                name="credit_balance_holds_covered",
            ),
            models.CheckConstraint(
                condition=Q(granted__gte=0), name="credit_balance_granted_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(purchased__gte=0), name="credit_balance_purchased_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.total} credits"

    @property
    def total(self) -> int:
        return self.granted + self.purchased

    @property
    def available(self) -> int:
        return self.total - self.held


class CreditTransaction(TenantModel):
    """One change of a balance. The balance is always the sum of these."""

    class Type(models.TextChoices):
        PURCHASE = "purchase", "Purchase"
        SUBSCRIPTION = "subscription", "Subscription"
        REFUND = "refund", "Refund"
        DEDUCTION = "deduction", "Deduction"
        ADJUSTMENT = "adjustment", "Adjustment"
        PROMOTION = "promotion", "Promotion"
        EXPIRY = "expiry", "Expiry"

    transaction_type = models.CharField(max_length=20, choices=Type.choices)
    amount = models.IntegerField(help_text="Positive adds credits, negative removes them.")
    granted_change = models.IntegerField(default=0)
    purchased_change = models.IntegerField(default=0)
    balance_after = models.PositiveIntegerField()
    description = models.CharField(max_length=255, blank=True)
    operation_type = models.CharField(max_length=50, blank=True)
    reference = models.CharField(max_length=100, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # The ledger newest first, and by type (issue 18).
        indexes = [
            models.Index(fields=["account", "-created_at", "-id"], name="credit_txn_account_new"),
            models.Index(
                fields=["account", "transaction_type", "-created_at", "-id"],
                name="credit_txn_type_new",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount=F("granted_change") + F("purchased_change")),
                name="credit_transaction_buckets_add_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transaction_type} {self.amount:+d}"


class CreditHold(TenantModel):
    """Credits set aside when work is queued; captured when it succeeds, else released."""

    class Status(models.TextChoices):
        HELD = "held", "Held"
        CAPTURED = "captured", "Captured"
        RELEASED = "released", "Released"

    operation_type = models.CharField(max_length=50)
    amount = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD)
    job_id = models.UUIDField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.operation_type} {self.amount} ({self.status})"


class CreditUsage(TenantModel):
    """What an operation used (003 credits/usage): credits, provider cost, tokens."""

    operation_type = models.CharField(max_length=50, db_index=True)
    credits_used = models.PositiveIntegerField()
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=0)
    tokens_in = models.PositiveIntegerField(default=0)
    tokens_out = models.PositiveIntegerField(default=0)
    model = models.CharField(max_length=100, blank=True)
    job_id = models.UUIDField(null=True, blank=True)
    transaction = models.OneToOneField(
        CreditTransaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="usage"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "credit usage"

    def __str__(self) -> str:
        return f"{self.operation_type}: {self.credits_used}"


class CreditCost(models.Model):
    """What one unit of an operation costs, editable by staff (e.g. content per article)."""

    operation_type = models.CharField(max_length=50, unique=True)
    credits = models.PositiveIntegerField()
    unit = models.CharField(max_length=50, default="operation")
    description = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["operation_type"]

    def __str__(self) -> str:
        return f"{self.operation_type}: {self.credits}/{self.unit}"
