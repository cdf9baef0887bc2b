from django.urls import path

from flowline.billing.pages import views
from flowline.core.pages import nav

nav.register(
    nav.NavItem(
        "Account",
        "Credits & billing",
        "console-billing",
        "credit-card",
        order=20,
        matches=("console-billing-*",),
    ),
)

urlpatterns = [
    path("billing/", views.BillingPage.as_view(), name="console-billing"),
    path(
        "billing/transactions/",
        views.TransactionListPage.as_view(),
        name="console-billing-transactions",
    ),
    path("billing/buy/", views.BuyCreditsPage.as_view(), name="console-billing-buy"),
    path("billing/plans/", views.PlansPage.as_view(), name="console-billing-plans"),
    path("billing/invoices/", views.InvoiceListPage.as_view(), name="console-billing-invoices"),
    # Stripe Checkout's return addresses (settings.BILLING_CHECKOUT_*_URL), no slash.
    path(
        "billing/success",
        views.CheckoutReturnPage.as_view(),
        {"outcome": "success"},
        name="console-billing-success",
    ),
    path(
        "billing/cancelled",
        views.CheckoutReturnPage.as_view(),
        {"outcome": "cancelled"},
        name="console-billing-cancelled",
    ),
]
