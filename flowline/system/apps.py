from django.apps import AppConfig


class SystemConfig(AppConfig):
    name = "flowline.system"
    label = "system"
