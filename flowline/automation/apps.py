from django.apps import AppConfig


class AutomationConfig(AppConfig):
    name = "flowline.automation"
    label = "automation"
    verbose_name = "Automation"

    def ready(self) -> None:
        from flowline.automation.services import pipeline  # noqa: F401  (registers the job kind)
        from flowline.automation.services.runs import run_job_finished
        from flowline.jobs.public import register_finish_listener

        register_finish_listener(run_job_finished)
