"""Credits and billing in the console: balance and usage, transactions, plans, buying
credits (Stripe Checkout or a bank transfer) and invoices, over `billing/...` and
`auth/plans/`, `auth/subscriptions/`."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

from flowline.billing.api.credits import (
    CreditBalanceViewSet,
    CreditTransactionViewSet,
    CreditUsageViewSet,
)
from flowline.billing.api.payments import (
    CreditPackageViewSet,
    InvoiceViewSet,
    PaymentViewSet,
    SubscriptionCheckoutView,
)
from flowline.billing.api.views import PlanViewSet, SubscriptionViewSet
from flowline.billing.models import CreditTransaction, Invoice, Payment
from flowline.core.pages.api import Endpoint
from flowline.core.pages.lists import Column, Filter, ListPage
from flowline.core.pages.views import Page
from flowline.core.roles import Role

balance = Endpoint(CreditBalanceViewSet, {"get": "balance"})
usage_summary = Endpoint(CreditUsageViewSet, {"get": "summary"})
transactions = Endpoint(CreditTransactionViewSet, {"get": "list"})
packages = Endpoint(CreditPackageViewSet, {"get": "list"})
purchase = Endpoint(CreditPackageViewSet, {"post": "purchase"})
payments = Endpoint(PaymentViewSet, {"get": "list"})
methods = Endpoint(PaymentViewSet, {"get": "available_methods"})
invoices = Endpoint(InvoiceViewSet, {"get": "list"})
plans = Endpoint(PlanViewSet, {"get": "list"})
subscriptions = Endpoint(SubscriptionViewSet, {"get": "list"})
subscribe = Endpoint(SubscriptionCheckoutView)


class BillingPage(Page):
    """The balance (granted and paid, what is held, when granted credits expire) and
    this month's usage by operation as a chart."""

    title = "Credits & billing"
    template_name = "billing/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summary = usage_summary.call(self.request, query=self.request.GET).data or {}
        by_operation = sorted(
            (summary.get("by_operation") or {}).items(), key=lambda item: -(item[1] or 0)
        )
        context.update(
            balance=balance.call(self.request).data or {},
            usage=summary,
            usage_rows=by_operation,
            chart={
                "type": "bar",
                "labels": [name.replace("_", " ") for name, _ in by_operation],
                "values": [value for _, value in by_operation],
                "label": "Credits used",
            },
            recent=transactions.call(self.request, query={"page_size": 5}).body.get("results", []),
        )
        return context


class TransactionListPage(ListPage):
    title = "Credit transactions"
    endpoint = transactions
    columns = [
        Column("created_at", "When", sort="created_at", cell="pages/cells/date.html"),
        Column("transaction_type", "Type", cell="pages/cells/status.html"),
        Column("description", "Description"),
        Column(
            "amount", "Credits", sort="amount", cell="billing/cells/amount.html", classes="text-end"
        ),
        Column("balance_after", "Balance after", classes="text-end"),
    ]
    filters = [Filter("transaction_type", "Type", CreditTransaction.Type.choices)]
    search = False
    empty_heading = "No transactions yet"
    empty_text = "Grants, purchases and what each operation used appear here."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["crumbs"] = [{"label": "Credits & billing", "url": reverse("console-billing")}]
        return context


class InvoiceListPage(ListPage):
    title = "Invoices"
    endpoint = invoices
    columns = [
        Column("number", "Invoice", cell="billing/cells/invoice.html"),
        Column("issued_at", "Issued", sort="issued_at", cell="pages/cells/date.html"),
        Column("total", "Total", sort="total", cell="billing/cells/money.html", classes="text-end"),
        Column("status", "Status", cell="pages/cells/status.html"),
    ]
    filters = [Filter("status", "Status", Invoice.Status.choices)]
    search_placeholder = "Search invoice numbers"
    empty_heading = "No invoices yet"
    empty_text = "Each payment gets an invoice you can download as a PDF."


class BuyCreditsPage(Page):
    """Credit packages; admins buy one by card (Stripe Checkout, when configured) or by
    bank transfer (recorded for staff to approve). Refusals are the API's."""

    title = "Buy credits"
    template_name = "billing/buy.html"
    write_role = Role.ADMIN

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("errors", {})
        context.update(
            packages=packages.call(self.request, query={"ordering": "price"}).body.get(
                "results", []
            ),
            methods={m["method"]: m for m in (methods.call(self.request).data or [])},
            pending=payments.call(
                self.request, query={"status": Payment.Status.AWAITING_APPROVAL}
            ).body.get("results", []),
            can_buy=self.can(Role.ADMIN),
            crumbs=[{"label": "Credits & billing", "url": reverse("console-billing")}],
        )
        return context

    def post(self, request, *args, **kwargs):
        package_id = request.POST.get("package", "")
        method = request.POST.get("method", Payment.Method.STRIPE)
        body = {"method": method}
        reference = request.POST.get("transfer_reference", "").strip()
        if method == Payment.Method.MANUAL and reference:
            body["transfer_reference"] = reference
        answer = purchase.call(request, "POST", body=body, pk=package_id)
        if answer.ok and answer.data.get("checkout_url"):
            return redirect(answer.data["checkout_url"])
        if answer.ok:
            context = self.get_context_data(notice=answer.message)
            return self.render_to_response(context)
        context = self.get_context_data(
            refused=answer.message if not answer.errors else "",
            errors=answer.errors,
            failed_package=package_id,
            failed_method=method,
        )
        response = self.render_to_response(context)
        response.status_code = answer.status if answer.status < 500 else 400
        return response


class PlansPage(Page):
    """The plans, the account's subscription, and checkout for a plan (admins)."""

    title = "Plans"
    template_name = "billing/plans.html"
    write_role = Role.ADMIN

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = subscriptions.call(self.request).body.get("results", [])
        context.update(
            plans=plans.call(self.request, query={"page_size": 100}).body.get("results", []),
            subscription=current[0] if current else None,
            can_buy=self.can(Role.ADMIN),
            crumbs=[{"label": "Credits & billing", "url": reverse("console-billing")}],
        )
        return context

    def post(self, request, *args, **kwargs):
        answer = subscribe.call(request, "POST", body={"plan": request.POST.get("plan", "")})
        if answer.ok:
            return redirect(answer.data["checkout_url"])
        context = self.get_context_data(refused=answer.message)
        response = self.render_to_response(context)
        response.status_code = answer.status if answer.status < 500 else 400
        return response


class CheckoutReturnPage(Page):
    """Where Stripe Checkout sends the member back (BILLING_CHECKOUT_*_URL). The payment
    is credited by Stripe's webhook, not by this visit."""

    template_name = "billing/checkout_return.html"

    @property
    def title(self):
        return (
            "Payment received" if self.kwargs.get("outcome") == "success" else "Payment cancelled"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            success=self.kwargs.get("outcome") == "success",
            balance=balance.call(self.request).data or {},
        )
        return context
