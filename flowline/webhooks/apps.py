from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "flowline.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from flowline.webhooks import listeners

        listeners.connect()
