"""Social accounts (000, 001): connections, platform adapters, token health."""

from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "flowline.social"
    label = "social"
    verbose_name = "Social"

    def ready(self) -> None:
        # Chat replies on WhatsApp, Messenger and Instagram go out through our adapters.
        from flowline.social import chat_senders
        from flowline.webhooks.public import register_event_type

        chat_senders.register()
        register_event_type(
            "social_account.connected", "A social account was connected or reconnected."
        )
        register_event_type(
            "social_account.expired",
            "A social account's token was refused: it must be reconnected.",
        )
