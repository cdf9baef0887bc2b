"""`POST ai/generate/`: start a text generation job; poll task_progress or watch Socket.IO."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from flowline.ai import selectors
from flowline.ai.generation import KIND, OPERATION
from flowline.billing.public import credits_held, start_paid_job
from flowline.core import tenancy
from flowline.core.errors import ApplicationError
from flowline.core.idempotency import idempotent
from flowline.core.permissions import HasAccountRole
from flowline.core.serializers import IdField, StrictInputSerializer
from flowline.core.throttles import AIThrottle
from flowline.jobs.public import TaskStarted, paid_job_started


class GenerateInput(StrictInputSerializer):
    prompt = serializers.CharField(max_length=20_000)
    system = serializers.CharField(max_length=5_000, required=False, allow_blank=True)
    agent_id = IdField(required=False)
    model = serializers.CharField(max_length=150, required=False)
    max_tokens = serializers.IntegerField(min_value=1, max_value=8_000, required=False)
    temperature = serializers.FloatField(min_value=0, max_value=2, required=False)


class GenerateTextView(APIView):
    """Queues the generation after holding its credits (402 when they are missing).
    Send an `Idempotency-Key` to make retries safe."""

    permission_classes = [IsAuthenticated, HasAccountRole]
    throttle_classes = [AIThrottle]
    api_scope = "ai"

    @extend_schema(request=GenerateInput, responses={201: TaskStarted}, tags=["ai"])
    @idempotent
    def post(self, request):
        payload = GenerateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        ctx = tenancy.require()
        agent_id = payload.validated_data.get("agent_id")
        if agent_id is not None and not selectors.agent_exists(agent_id=agent_id):
            raise ApplicationError(
                "Unknown agent.",
                code="invalid",
                errors={"agent_id": ["No such agent in this account."]},
            )
        job = start_paid_job(
            kind=KIND,
            account_id=ctx.account_id,
            user_id=ctx.user_id,
            operation_type=OPERATION,
            payload=payload.validated_data,
        )
        return paid_job_started(job, message="Generation queued.", held=credits_held(job.id))
