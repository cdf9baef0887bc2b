"""Agent routes (004 paths under /api/v1/); `config/api_router.py` mounts them."""

from django.urls import path

from flowline.agents.api import views

ROUTES = [
    ("agents/processes", views.ProcessViewSet, "agentprocess"),
    ("datasources", views.DataSourceViewSet, "datasource"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)


urlpatterns = [
    # DELETE on the collection is 004's bulk delete; it shares the path with list/create.
    path(
        "datasources/",
        views.DataSourceViewSet.as_view(
            {"get": "list", "post": "create", "delete": "bulk_destroy"}
        ),
        name="datasource-collection",
    ),
    path("user/datasources/", views.UserDataSourcesView.as_view(), name="user-datasources"),
    path("agent/status/", views.StatusView.as_view(), name="agent-status"),
    path("agent/control/", views.ControlView.as_view(), name="agent-control"),
    path("agent/config/", views.ConfigModelView.as_view(), name="agent-config"),
    path("agent/task/", views.TaskView.as_view(), name="agent-task"),
    path("agent/task/<str:task_id>/", views.TaskDetailView.as_view(), name="agent-task-detail"),
    path("agent/matches/", views.MatchesView.as_view(), name="agent-matches"),
    path("config/update/", views.ConfigUpdateView.as_view(), name="agent-config-update"),
    path(
        "config/connection-emails/",
        views.ConnectionEmailsView.as_view(),
        name="agent-connection-emails",
    ),
]
