from django.apps import AppConfig
from django.core import checks


class CoreConfig(AppConfig):
    name = "flowline.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from flowline.core.outbound.addresses import check_allow_list

        checks.register(check_allow_list)
