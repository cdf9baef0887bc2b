from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "flowline.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns"
