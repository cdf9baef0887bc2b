from django.apps import AppConfig


class DrivesConfig(AppConfig):
    name = "flowline.drives"
    label = "drives"
    verbose_name = "Cloud drives"
