"""002 `billing/payment-methods/`: members read, admins add, rename, remove, `set_default`."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from flowline.billing.api import payment_serializers as s
from flowline.billing.models import PaymentMethod
from flowline.billing.services import payment_methods as services
from flowline.core import tenancy
from flowline.core.envelope import ok
from flowline.core.roles import Role
from flowline.core.viewsets import TenantModelViewSet, created


class PaymentMethodViewSet(TenantModelViewSet):
    model = PaymentMethod
    serializer_class = s.PaymentMethodSerializer
    filterset_fields = ["kind", "is_default"]
    api_scope = "billing"
    read_role = Role.VIEWER
    write_role = Role.ADMIN

    @extend_schema(request=s.PaymentMethodCreateInput, responses={201: s.PaymentMethodSerializer})
    def create(self, request, *args, **kwargs):
        payload = s.PaymentMethodCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        method = services.payment_method_add(
            account_id=tenancy.require().account_id, **payload.validated_data
        )
        return created(s.PaymentMethodSerializer(method).data, message="Payment method saved.")

    @extend_schema(request=s.PaymentMethodUpdateInput, responses=s.PaymentMethodSerializer)
    def update(self, request, *args, **kwargs):
        method = self.get_object()
        payload = s.PaymentMethodUpdateInput(data=request.data, partial=kwargs.get("partial"))
        payload.is_valid(raise_exception=True)
        if "label" in payload.validated_data:
            method = services.payment_method_update(
                method=method, label=payload.validated_data["label"]
            )
        return ok(s.PaymentMethodSerializer(method).data)

    @extend_schema(request=s.PaymentMethodUpdateInput, responses=s.PaymentMethodSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def perform_destroy(self, instance):
        services.payment_method_remove(method=instance)

    @extend_schema(request=None, responses=s.PaymentMethodSerializer)
    @action(detail=True, methods=["post"])
    def set_default(self, request, pk=None):
        method = services.payment_method_set_default(method=self.get_object())
        return ok(s.PaymentMethodSerializer(method).data, message="Default payment method set.")

    @extend_schema(request=None, responses=s.PaymentMethodSerializer(many=True))
    @action(detail=False, methods=["post"], pagination_class=None)
    def sync(self, request):
        """Import the cards saved at Stripe (for example during a checkout)."""
        methods = services.payment_methods_sync(account_id=tenancy.require().account_id)
        return ok(s.PaymentMethodSerializer(methods, many=True).data)
