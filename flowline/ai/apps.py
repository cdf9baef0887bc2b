from django.apps import AppConfig


class AiConfig(AppConfig):
    name = "flowline.ai"
    label = "ai"
    verbose_name = "AI engine"
