"""Campaigns (000): windows of time with their posts and articles."""

from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "flowline.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns"

    def ready(self) -> None:
        from flowline.webhooks.public import register_event_type

        register_event_type("campaign.started", "A campaign's window began.")
        register_event_type(
            "campaign.completed", "A campaign ended (its window passed or it was ended)."
        )
