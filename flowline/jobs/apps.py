from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "flowline.jobs"
    label = "jobs"

    def ready(self) -> None:
        from flowline.jobs import embedded, events, health  # noqa: F401  (job rooms; broker/worker checks)
        from flowline.jobs.pages import shell
        from flowline.realtime.public import register_server_companion

        shell.register()
        # the embedded worker runs beside the web server (FLOWLINE_EMBEDDED_WORKER)
        register_server_companion(start=embedded.start_if_enabled, stop=embedded.stop_if_enabled)
