from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "flowline.core"
    label = "core"
    verbose_name = "Core"
