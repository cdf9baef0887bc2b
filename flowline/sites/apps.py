from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "flowline.sites"
    label = "sites"
