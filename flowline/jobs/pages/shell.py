"""The jobs panel: the account's jobs still running, moving live with `task_update`."""

from flowline.core.pages import shell
from flowline.jobs.selectors import jobs_running


def provide(request) -> dict:
    return {"running_jobs": jobs_running(limit=5)}


def register() -> None:
    shell.register_provider(provide)
    shell.register_topbar("jobs/panel.html", order=10)
