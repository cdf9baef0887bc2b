"""A test-only endpoint that starts a paid job, to pin Idempotency-Key behaviour."""

from django.urls import include, path
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from flowline.billing.public import start_paid_job
from flowline.core import tenancy
from flowline.core.idempotency import idempotent
from flowline.core.viewsets import created


class StartJobView(APIView):
    permission_classes = [IsAuthenticated]

    @idempotent
    def post(self, request):
        ctx = tenancy.require()
        job = start_paid_job(
            kind="test.steps",
            account_id=ctx.account_id,
            operation_type="content",
            payload={"steps": int(request.data.get("steps", 1))},
        )
        return created({"task_id": str(job.id)})


urlpatterns = [
    path("api/v1/test/start-job/", StartJobView.as_view()),
    path("", include("config.urls")),
]
