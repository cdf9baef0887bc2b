from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "flowline.reference"
    label = "reference"
