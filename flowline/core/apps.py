from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "flowline.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.db import models
        from rest_framework.serializers import ModelSerializer

        from flowline.core import checks  # noqa: F401  (registers the system checks)
        from flowline.core.serializers import JSONField

        # Every ModelSerializer (each app's, and future ones) maps a model JSONField to
        # core's, which keeps a form-posted "null" out of NOT NULL columns.
        ModelSerializer.serializer_field_mapping[models.JSONField] = JSONField
