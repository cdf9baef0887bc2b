from django.apps import AppConfig


class WriterConfig(AppConfig):
    name = "flowline.writer"
    label = "writer"
    verbose_name = "Writer"

    def ready(self) -> None:
        from flowline.writer import jobs  # noqa: F401  (registers the writer.* job kinds)
