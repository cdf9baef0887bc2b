from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "flowline.jobs"
    label = "jobs"

    def ready(self) -> None:
        from flowline.jobs import events, health  # noqa: F401  (job rooms; broker/worker checks)
        from flowline.jobs.pages import shell

        shell.register()
