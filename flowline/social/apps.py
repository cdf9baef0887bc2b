from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "flowline.social"
    label = "social"
    verbose_name = "Social"
