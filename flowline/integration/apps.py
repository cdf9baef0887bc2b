from django.apps import AppConfig


class IntegrationConfig(AppConfig):
    name = "flowline.integration"
    label = "integration"
    verbose_name = "Integration"

    def ready(self) -> None:
        from flowline.integration import handlers  # noqa: F401  (registers the job kind)
        from flowline.integration.services import unpublishing
        from flowline.webhooks.public import register_event_type
        from flowline.writer.public import register_delete_guard

        register_event_type(
            "content.published", "Content was published (or updated) on a WordPress site."
        )
        register_event_type(
            "content.publish_failed", "Content could not be published to a WordPress site."
        )
        register_event_type(
            "content.unpublished",
            "Content's post was taken down (to a draft or the trash) on a WordPress site.",
        )
        # Deleting content with a post on a site asks what to do with the post first.
        register_delete_guard(
            prepare=unpublishing.before_content_delete, check=unpublishing.check_content_delete
        )
