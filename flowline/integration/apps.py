from django.apps import AppConfig


class IntegrationConfig(AppConfig):
    name = "flowline.integration"
    label = "integration"
    verbose_name = "Integration"
