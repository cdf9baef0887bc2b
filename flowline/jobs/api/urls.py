"""Background job routes (issue 3: one job model for every kind of background work);
`config/api_router.py` mounts them."""

from django.urls import path

from flowline.jobs.api.views import AgentTaskViewSet, JobViewSet, TaskProgressView

ROUTES = [
    ("jobs", JobViewSet, "job"),
    ("automations/agent-tasks", AgentTaskViewSet, "agenttask"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)


urlpatterns = [
    path(
        "system/settings/task_progress/<str:task_id>/",
        TaskProgressView.as_view(),
        name="task-progress",
    ),
]
