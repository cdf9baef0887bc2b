"""Jobs in the console: the list and one job's page, over `jobs/`."""

from django.http import Http404

from flowline.core.pages.api import Endpoint
from flowline.core.pages.lists import Column, Filter, ListPage
from flowline.core.pages.views import Page
from flowline.core.roles import Role
from flowline.jobs.api.views import JobViewSet
from flowline.jobs.models import Job

jobs = Endpoint(JobViewSet, {"get": "list"})
job = Endpoint(JobViewSet, {"get": "retrieve"})
job_cancel = Endpoint(JobViewSet, {"post": "cancel"})

STATUSES = [(value, label) for value, label in Job.Status.choices]


class JobListPage(ListPage):
    title = "Jobs"
    endpoint = jobs
    columns = [
        Column("kind", "Job", link=True, cell="jobs/cells/kind.html"),
        Column("status", "Status", cell="pages/cells/status.html"),
        Column("progress", "Progress", sort="progress", cell="jobs/cells/progress.html"),
        Column("created_at", "Started", sort="created_at", cell="pages/cells/date.html"),
    ]
    filters = [Filter("status", "Status", STATUSES)]
    search = False
    row_url_name = "console-job"
    empty_heading = "No jobs yet"
    empty_text = "Clustering, writing, images, imports and agents run as jobs; they show up here."


class JobPage(Page):
    template_name = "jobs/job.html"
    action_roles = {"cancel": Role.EDITOR}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        answer = job.call(self.request, pk=self.kwargs["pk"])
        if not answer.ok:
            raise Http404
        context.update(job=answer.data, title=answer.data["kind"])
        return context

    def post(self, request, *args, **kwargs):
        answer = job_cancel.call(request, "POST", pk=self.kwargs["pk"])
        if answer.status == 404:
            raise Http404
        context = self.get_context_data(notice=answer.message)
        return self.render_to_response(context)
