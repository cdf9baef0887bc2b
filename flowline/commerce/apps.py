from django.apps import AppConfig


class CommerceConfig(AppConfig):
    name = "flowline.commerce"
    label = "commerce"
    verbose_name = "Commerce"
