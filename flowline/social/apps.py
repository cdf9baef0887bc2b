"""Social accounts (000, 001): connections, platform adapters, token health."""

from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "flowline.social"
    label = "social"
    verbose_name = "Social"

    def ready(self) -> None:
        # Chat replies on WhatsApp, Messenger and Instagram go out through our adapters.
        from flowline.social import chat_senders

        chat_senders.register()
