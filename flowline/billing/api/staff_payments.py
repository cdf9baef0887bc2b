"""002 admin billing under /api/v1/admin/billing/payments/: staff see every account's
payments and approve or reject bank transfers."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action

from flowline.billing.api import payment_serializers as s
from flowline.billing.models import Payment
from flowline.billing.services import payments
from flowline.core.envelope import ok
from flowline.core.filters import FilterSet
from flowline.core.permissions import IsStaff


class StaffPaymentFilterSet(FilterSet):
    account = django_filters.NumberFilter(field_name="account_id")
    start_date = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    end_date = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = Payment
        fields = ["status", "method", "currency"]


@extend_schema(tags=["admin"])
class StaffPaymentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Across accounts on purpose (staff tooling): `Payment.unscoped`."""

    queryset = Payment.unscoped.select_related("invoice").order_by("-created_at", "-id")
    serializer_class = s.StaffPaymentSerializer
    permission_classes = [IsStaff]
    filterset_class = StaffPaymentFilterSet
    search_fields = ["transfer_reference", "provider_reference", "description"]
    ordering_fields = ["created_at", "amount"]

    @extend_schema(request=None, responses=s.StaffPaymentSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        payment, changed = payments.payment_approve(
            payment_id=self.get_object().id, staff_user_id=request.user.id
        )
        message = "Payment approved; credits granted." if changed else "Already approved."
        return ok(s.StaffPaymentSerializer(payment).data, message=message)

    @extend_schema(request=s.RejectInput, responses=s.StaffPaymentSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        payload = s.RejectInput(data=request.data)
        payload.is_valid(raise_exception=True)
        payment, changed = payments.payment_reject(
            payment_id=self.get_object().id,
            staff_user_id=request.user.id,
            reason=payload.validated_data["reason"],
        )
        return ok(
            s.StaffPaymentSerializer(payment).data,
            message="Payment rejected." if changed else "Already rejected.",
        )
