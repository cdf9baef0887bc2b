from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "flowline.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from flowline.core import checks  # noqa: F401  (registers the system checks)
