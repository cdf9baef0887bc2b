"""What other apps may ask of jobs: start, cancel and run jobs, declare job kinds
(`job_handler`), hear of finished jobs, and the shared backoff policy."""

from flowline.jobs.api.started import TaskStarted, paid_job_started  # noqa: F401
from flowline.jobs.handlers import (  # noqa: F401  (re-exported)
    JobCancelled,
    PermanentJobError,
    job_handler,
    kind,
)
from flowline.jobs.services import (  # noqa: F401  (re-exported)
    backoff_seconds,
    job_cancel,
    job_start,
    job_tracked,
    register_finish_listener,
    run,
)
