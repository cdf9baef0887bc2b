"""Keyword planner (003): keywords, clusters, ideas."""

from django.apps import AppConfig


class PlannerConfig(AppConfig):
    name = "flowline.planner"
    label = "planner"
    verbose_name = "Planner"

    def ready(self) -> None:
        from flowline.planner import jobs  # noqa: F401  (registers the planner job kinds)
