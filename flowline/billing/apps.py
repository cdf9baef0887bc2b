from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "flowline.billing"
    label = "billing"
