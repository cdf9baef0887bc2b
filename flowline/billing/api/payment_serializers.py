"""What the payment endpoints read and answer (002 billing)."""

from rest_framework import serializers

from flowline.billing.models import CreditPackage, Invoice, Payment, PaymentMethod, Plan
from flowline.core.serializers import IdField, ModelSerializer, Serializer, StrictInputSerializer


class CreditPackageSerializer(ModelSerializer):
    class Meta:
        model = CreditPackage
        fields = ["id", "name", "slug", "description", "credits", "price", "currency"]


class InvoiceSerializer(ModelSerializer):
    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "status",
            "currency",
            "subtotal",
            "tax",
            "total",
            "lines",
            "payment",
            "billed_to",
            "issued_at",
            "paid_at",
            "created_at",
        ]


class PaymentSerializer(ModelSerializer):
    invoice_number = serializers.CharField(source="invoice.number", read_only=True, default=None)

    class Meta:
        model = Payment
        fields = [
            "id",
            "amount",
            "currency",
            "status",
            "method",
            "credits",
            "description",
            "credit_package",
            "plan",
            "provider_reference",
            "transfer_reference",
            "failure_reason",
            "invoice_number",
            "approved_at",
            "paid_at",
            "created_at",
        ]
        read_only_fields = fields  # an answer: payments change through services only


class StaffPaymentSerializer(PaymentSerializer):
    """Staff see whose payment it is and who approved it."""

    class Meta(PaymentSerializer.Meta):
        fields = [*PaymentSerializer.Meta.fields, "account", "created_by", "approved_by"]
        read_only_fields = fields


class PaymentMethodSerializer(ModelSerializer):
    class Meta:
        model = PaymentMethod
        fields = [
            "id",
            "kind",
            "label",
            "brand",
            "last4",
            "exp_month",
            "exp_year",
            "is_default",
            "created_at",
        ]


class PaymentMethodCreateInput(StrictInputSerializer):
    kind = serializers.ChoiceField(choices=PaymentMethod.Kind.choices)
    provider_id = serializers.RegexField(
        r"^pm_[A-Za-z0-9_]{1,200}$",
        required=False,
        help_text="Cards: the PaymentMethod id Stripe.js returned (pm_...).",
    )
    label = serializers.CharField(max_length=100, required=False, default="")
    last4 = serializers.RegexField(
        r"^\d{4}$", required=False, default="", help_text="Bank transfer: the account's last 4."
    )

    def validate(self, attrs):
        if attrs["kind"] == PaymentMethod.Kind.CARD and not attrs.get("provider_id"):
            raise serializers.ValidationError({"provider_id": ["Required for a card."]})
        if attrs["kind"] == PaymentMethod.Kind.BANK_TRANSFER and attrs.get("provider_id"):
            raise serializers.ValidationError({"provider_id": ["Only cards have one."]})
        return attrs


class PaymentMethodUpdateInput(StrictInputSerializer):
    label = serializers.CharField(max_length=100, allow_blank=True)


class PurchaseInput(StrictInputSerializer):
    method = serializers.ChoiceField(choices=Payment.Method.choices, default=Payment.Method.STRIPE)
    transfer_reference = serializers.CharField(max_length=100, required=False, default="")
    note = serializers.CharField(max_length=100, required=False, default="")

    def validate(self, attrs):
        if attrs["method"] == Payment.Method.MANUAL and not attrs["transfer_reference"].strip():
            raise serializers.ValidationError(
                {"transfer_reference": ["Quote the bank transfer's reference."]}
            )
        return attrs


class ManualPaymentInput(StrictInputSerializer):
    """A bank transfer made for a credit package or a plan (exactly one)."""

    credit_package = serializers.PrimaryKeyRelatedField(
        queryset=CreditPackage.objects.filter(is_active=True), required=False
    )
    plan = serializers.SlugRelatedField(
        slug_field="slug", queryset=Plan.objects.filter(is_active=True), required=False
    )
    transfer_reference = serializers.CharField(max_length=100)
    note = serializers.CharField(max_length=100, required=False, default="")

    def validate(self, attrs):
        if ("credit_package" in attrs) == ("plan" in attrs):
            raise serializers.ValidationError("Give either credit_package or plan.")
        return attrs


class SubscriptionCheckoutInput(StrictInputSerializer):
    plan = serializers.SlugRelatedField(
        slug_field="slug", queryset=Plan.objects.filter(is_active=True)
    )


class CheckoutOutput(Serializer):
    payment_id = IdField()
    session_id = serializers.CharField()
    checkout_url = serializers.URLField()


class PurchaseOutput(Serializer):
    """Stripe: where to send the buyer. Manual: the payment awaiting approval."""

    payment_id = IdField()
    session_id = serializers.CharField(required=False)
    checkout_url = serializers.URLField(required=False)
    payment = PaymentSerializer(required=False)


class AvailableMethodSerializer(Serializer):
    method = serializers.CharField()
    kind = serializers.CharField()
    enabled = serializers.BooleanField()
    instructions = serializers.CharField(allow_blank=True)


class RejectInput(StrictInputSerializer):
    reason = serializers.CharField(max_length=255, required=False, default="")
