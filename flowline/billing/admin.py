from django.contrib import admin, messages

from flowline.billing.models import (
    BillingCustomer,
    CreditPackage,
    Invoice,
    Payment,
    PaymentMethod,
    Plan,
    ProcessedWebhookEvent,
    Subscription,
)
from flowline.billing.services import payments
from flowline.core.errors import ApplicationError


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "price_monthly",
        "monthly_credits",
        "max_sites",
        "max_users",
        "is_default",
        "is_active",
    ]
    list_filter = ["is_active", "is_default"]
    search_fields = ["name", "slug"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = [
        "account",
        "plan",
        "status",
        "current_period_start",
        "current_period_end",
        "cancel_at_period_end",
    ]
    list_filter = ["status", "plan"]
    search_fields = ["account__name", "external_id"]
    list_select_related = ["account", "plan"]


@admin.register(CreditPackage)
class CreditPackageAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "credits", "price", "currency", "is_active", "sort_order"]
    list_filter = ["is_active", "currency"]
    search_fields = ["name", "slug", "stripe_price_id"]


@admin.register(BillingCustomer)
class BillingCustomerAdmin(admin.ModelAdmin):
    list_display = ["account", "provider", "customer_id", "created_at"]
    list_filter = ["provider"]
    search_fields = ["account__name", "customer_id"]
    list_select_related = ["account"]


@admin.register(PaymentMethod)
class PaymentMethodAdmin(admin.ModelAdmin):
    list_display = ["account", "kind", "brand", "last4", "exp_month", "exp_year", "is_default"]
    list_filter = ["kind", "is_default", "brand"]
    search_fields = ["account__name", "provider_id", "last4", "label"]
    list_select_related = ["account"]


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Read here; the actions approve or reject bank transfers through the same services
    as the staff API (credits granted once, the invoice paid or voided)."""

    list_display = ["id", "account", "amount", "currency", "status", "method", "created_at"]
    list_filter = ["status", "method", "currency", "created_at"]
    search_fields = ["account__name", "provider_reference", "transfer_reference", "description"]
    list_select_related = ["account"]
    date_hierarchy = "created_at"
    readonly_fields = ["status", "credits", "approved_by", "approved_at", "paid_at"]
    actions = ["approve_transfers", "reject_transfers"]

    @admin.action(
        permissions=["change"],
        description="Approve the selected bank transfers (grants their credits)",
    )
    def approve_transfers(self, request, queryset):
        self._decide(request, queryset, "approved", payments.payment_approve)

    @admin.action(
        permissions=["change"],
        description="Reject the selected bank transfers (voids their invoices)",
    )
    def reject_transfers(self, request, queryset):
        def reject(*, payment_id, staff_user_id):
            return payments.payment_reject(
                payment_id=payment_id, staff_user_id=staff_user_id, reason="Rejected by staff."
            )

        self._decide(request, queryset, "rejected", reject)

    def _decide(self, request, queryset, done: str, decide) -> None:
        """Each payment on its own: one that cannot be decided (a card payment, one
        already failed) is reported and the others still go through."""
        changed = 0
        for payment_id in queryset.values_list("id", flat=True):
            try:
                _payment, was_changed = decide(payment_id=payment_id, staff_user_id=request.user.id)
            except ApplicationError as exc:
                self.message_user(request, f"Payment {payment_id}: {exc.message}", messages.ERROR)
                continue
            changed += was_changed
        if changed:
            self.message_user(request, f"{changed} payment(s) {done}.", messages.SUCCESS)


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["number", "account", "status", "currency", "total", "issued_at", "paid_at"]
    list_filter = ["status", "currency", "issued_at"]
    search_fields = ["number", "account__name", "billed_to"]
    list_select_related = ["account"]
    date_hierarchy = "issued_at"


@admin.register(ProcessedWebhookEvent)
class ProcessedWebhookEventAdmin(admin.ModelAdmin):
    list_display = ["provider", "event_id", "event_type", "received_at"]
    list_filter = ["provider", "event_type"]
    search_fields = ["event_id", "event_type"]
