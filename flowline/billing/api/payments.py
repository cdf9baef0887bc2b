"""002 billing: invoices (with PDF), payments (manual bank transfers, available methods),
credit packages (purchase through Stripe Checkout or by bank transfer), plan checkout.

Members read; admins and owners buy. Buying takes an `Idempotency-Key`.
"""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from flowline.billing import selectors
from flowline.billing.api import payment_serializers as s
from flowline.billing.models import Invoice, Payment
from flowline.billing.providers import stripe as provider
from flowline.billing.services import payments
from flowline.billing.services.invoice_pdf import invoice_pdf
from flowline.core import private_files, tenancy
from flowline.core.envelope import ok
from flowline.core.idempotency import idempotent
from flowline.core.permissions import HasAccountRole
from flowline.core.roles import Role
from flowline.core.viewsets import TenantReadOnlyViewSet, created


def _checkout_answer(payment, session) -> dict:
    return {"payment_id": payment.id, "session_id": session.id, "checkout_url": session.url}


class InvoiceViewSet(TenantReadOnlyViewSet):
    """The account's invoices; `download_pdf` renders one."""

    model = Invoice
    serializer_class = s.InvoiceSerializer
    filterset_fields = ["status", "currency"]
    search_fields = ["number"]
    ordering_fields = ["created_at", "issued_at", "total"]
    api_scope = "billing"

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, "The PDF")}
    )
    @action(detail=True, methods=["get"])
    def download_pdf(self, request, pk=None):
        invoice = self.get_object()
        return private_files.attachment(
            invoice_pdf(invoice), filename=f"{invoice.number}.pdf", content_type="application/pdf"
        )


class PaymentViewSet(TenantReadOnlyViewSet):
    """The account's payments; `manual` records a bank transfer for staff to approve."""

    model = Payment
    serializer_class = s.PaymentSerializer
    filterset_fields = ["status", "method"]
    ordering_fields = ["created_at", "amount"]
    api_scope = "billing"
    action_roles = {"manual": Role.ADMIN}

    def safely_get_queryset(self, queryset):
        return queryset.select_related("invoice")

    @extend_schema(responses=s.AvailableMethodSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def available_methods(self, request):
        methods = [
            {
                "method": Payment.Method.STRIPE,
                "kind": "card",
                "enabled": provider.is_configured(),
                "instructions": "Pay by card on Stripe's checkout page.",
            },
            {
                "method": Payment.Method.MANUAL,
                "kind": "bank_transfer",
                "enabled": True,
                "instructions": settings.BILLING_BANK_TRANSFER_INSTRUCTIONS,
            },
        ]
        return ok(s.AvailableMethodSerializer(methods, many=True).data)

    @extend_schema(request=s.ManualPaymentInput, responses={201: s.PaymentSerializer})
    @action(detail=False, methods=["post"])
    @idempotent
    def manual(self, request):
        payload = s.ManualPaymentInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        payment = payments.payment_manual_create(
            account_id=tenancy.require().account_id,
            user_id=request.user.id,
            credit_package=data.get("credit_package"),
            plan=data.get("plan"),
            transfer_reference=data["transfer_reference"],
            note=data["note"],
        )
        return created(
            s.PaymentSerializer(payment).data,
            message="Payment recorded; it is credited once staff confirm the transfer.",
        )


class CreditPackageViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Credit packages for sale (the same for every account); admins buy them."""

    queryset = selectors.credit_packages_for_list()
    serializer_class = s.CreditPackageSerializer
    permission_classes = [IsAuthenticated, HasAccountRole]
    read_role = Role.VIEWER
    write_role = Role.ADMIN
    api_scope = "billing"
    ordering_fields = ["price", "credits"]

    @extend_schema(request=s.PurchaseInput, responses={201: s.PurchaseOutput})
    @action(detail=True, methods=["post"])
    @idempotent
    def purchase(self, request, pk=None):
        package = self.get_object()
        payload = s.PurchaseInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        account_id = tenancy.require().account_id
        if data["method"] == Payment.Method.MANUAL:
            payment = payments.payment_manual_create(
                account_id=account_id,
                user_id=request.user.id,
                credit_package=package,
                transfer_reference=data["transfer_reference"],
                note=data["note"],
            )
            return created(
                {"payment_id": payment.id, "payment": s.PaymentSerializer(payment).data},
                message="Payment recorded; it is credited once staff confirm the transfer.",
            )
        payment, session = payments.payment_checkout_start(
            account_id=account_id, user_id=request.user.id, credit_package=package
        )
        return created(_checkout_answer(payment, session), message="Continue at checkout_url.")


class SubscriptionCheckoutView(APIView):
    """`billing/subscriptions/checkout/`: a Stripe Checkout Session for a monthly plan."""

    permission_classes = [IsAuthenticated, HasAccountRole]
    write_role = Role.ADMIN
    api_scope = "billing"

    @extend_schema(request=s.SubscriptionCheckoutInput, responses={201: s.CheckoutOutput})
    @idempotent
    def post(self, request):
        payload = s.SubscriptionCheckoutInput(data=request.data)
        payload.is_valid(raise_exception=True)
        payment, session = payments.payment_checkout_start(
            account_id=tenancy.require().account_id,
            user_id=request.user.id,
            plan=payload.validated_data["plan"],
        )
        return created(_checkout_answer(payment, session), message="Continue at checkout_url.")
