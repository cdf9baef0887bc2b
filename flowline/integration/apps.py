from django.apps import AppConfig


class IntegrationConfig(AppConfig):
    name = "flowline.integration"
    label = "integration"
    verbose_name = "Integration"

    def ready(self) -> None:
        from flowline.integration import handlers  # noqa: F401  (registers the job kind)
        from flowline.webhooks.public import register_event_type

        register_event_type(
            "content.published", "Content was published (or updated) on a WordPress site."
        )
        register_event_type(
            "content.publish_failed", "Content could not be published to a WordPress site."
        )
