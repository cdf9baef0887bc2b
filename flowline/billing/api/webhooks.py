"""`POST billing/webhooks/stripe/`: Stripe's signed events. No login; the signature is
the authentication, checked over the raw body before anything in it is read."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from flowline.billing.services.stripe_events import stripe_event_receive
from flowline.core.envelope import ok


class StripeWebhookView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(
        request=dict,
        responses={
            200: OpenApiResponse(dict, "Applied, or already applied before (a replay)."),
            400: OpenApiResponse(description="Bad signature, stale timestamp or bad payload."),
        },
        tags=["billing"],
    )
    def post(self, request):
        result = stripe_event_receive(
            payload=request.body, signature=request.headers.get("Stripe-Signature")
        )
        return ok(result)
