from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "flowline.analytics"
    label = "analytics"
