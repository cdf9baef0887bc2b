from django.apps import AppConfig


class PlannerConfig(AppConfig):
    name = "flowline.planner"
    label = "planner"
    verbose_name = "Planner"
