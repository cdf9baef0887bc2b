"""002 admin billing under /api/v1/admin/: staff adjust an account's credits with a reason."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from flowline.billing import selectors
from flowline.billing.services import credits
from flowline.core.envelope import ok
from flowline.core.errors import NotFoundError
from flowline.core.permissions import IsStaff
from flowline.core.serializers import IdField, StrictInputSerializer
from flowline.identity import public as identity


class CreditAdjustInput(StrictInputSerializer):
    account_id = IdField()
    amount = serializers.IntegerField(help_text="Positive adds, negative removes.")
    reason = serializers.CharField(max_length=255)

    def validate_amount(self, value):
        if value == 0:
            raise serializers.ValidationError("Must not be zero.")
        return value


class CreditAdjustView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(request=CreditAdjustInput, responses=dict, tags=["admin"])
    def post(self, request):
        payload = CreditAdjustInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if not identity.account_exists(data["account_id"]):
            raise NotFoundError("Account not found.")
        entry = credits.credits_adjust(
            account_id=data["account_id"],
            amount=data["amount"],
            reason=data["reason"],
            user_id=request.user.id,
        )
        return ok(
            {"transaction_id": entry.id, "balance": selectors.balance_summary(data["account_id"])},
            message="Credits adjusted.",
        )
