from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "flowline.console"
    label = "console"
    verbose_name = "Console"
