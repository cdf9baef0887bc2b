from django.apps import AppConfig


class WriterConfig(AppConfig):
    name = "flowline.writer"
    label = "writer"
    verbose_name = "Writer"
