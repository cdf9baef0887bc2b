"""A page that started a job follows it: `?job=<id>` shows the job's live progress bar.

List pages whose bulk actions start jobs (clustering, ideas, writing) reopen with the job's
id in the address (`ListPage.follow_job`); this reads it back through `jobs/<id>/`, so
another account's job id shows nothing, as the API would answer 404.
"""

from __future__ import annotations

from flowline.core.pages.api import Endpoint
from flowline.jobs.api.views import JobViewSet

job_detail = Endpoint(JobViewSet, {"get": "retrieve"})


def followed_job(request, param: str = "job") -> dict | None:
    job_id = request.GET.get(param, "")
    if not job_id:
        return None
    answer = job_detail.call(request, query={}, pk=job_id)
    return answer.data if answer.ok else None


class FollowsJobMixin:
    """For a `ListPage`: puts `followed_job` in the context (see `jobs/follow.html`)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["followed_job"] = followed_job(self.request)
        return context
