from django.apps import AppConfig


class AutomationConfig(AppConfig):
    name = "flowline.automation"
    label = "automation"
    verbose_name = "Automation"
