"""Billing routes: 003 plans, subscriptions and credits; 002 invoices, payments, credit
packages, payment methods; staff adjustments; the Stripe webhook. `config/api_router.py`
mounts them."""

from django.urls import path

from flowline.billing.api import credits, payment_methods, payments
from flowline.billing.api.staff import CreditAdjustView
from flowline.billing.api.staff_payments import StaffPaymentViewSet
from flowline.billing.api.views import PlanViewSet, SubscriptionViewSet
from flowline.billing.api.webhooks import StripeWebhookView

# 003 lists plans and subscriptions under `auth/`.
AUTH_ROUTES = [
    ("auth/plans", PlanViewSet, "plan"),
    ("auth/subscriptions", SubscriptionViewSet, "subscription"),
]

ROUTES = [
    ("billing/credits/balance", credits.CreditBalanceViewSet, "creditbalance"),
    ("billing/credits/usage", credits.CreditUsageViewSet, "creditusage"),
    ("billing/credits/transactions", credits.CreditTransactionViewSet, "credittransaction"),
    # 002 names the same ledger `billing/transactions/`
    ("billing/transactions", credits.CreditTransactionViewSet, "transaction"),
    ("billing/invoices", payments.InvoiceViewSet, "invoice"),
    ("billing/payments", payments.PaymentViewSet, "payment"),
    ("billing/credit-packages", payments.CreditPackageViewSet, "creditpackage"),
    ("billing/payment-methods", payment_methods.PaymentMethodViewSet, "paymentmethod"),
    ("admin/billing/payments", StaffPaymentViewSet, "admin-payment"),
]


def register_auth(router) -> None:
    for prefix, viewset, basename in AUTH_ROUTES:
        router.register(prefix, viewset, basename=basename)


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)


urlpatterns = [
    path(
        "billing/credits/balance/",
        credits.CreditBalanceView.as_view(),
        name="billing-credits-balance",
    ),
    path("admin/billing/credits/adjust/", CreditAdjustView.as_view(), name="admin-credits-adjust"),
    path(
        "billing/subscriptions/checkout/",
        payments.SubscriptionCheckoutView.as_view(),
        name="billing-subscription-checkout",
    ),
    path("billing/webhooks/stripe/", StripeWebhookView.as_view(), name="billing-stripe-webhook"),
]
