from django.apps import AppConfig


class AiConfig(AppConfig):
    name = "flowline.ai"
    label = "ai"
    verbose_name = "AI engine"

    def ready(self) -> None:
        from flowline.ai import generation  # noqa: F401  (registers the ai.generate_text job)
