"""Identity's background job: the account export archive."""

from flowline.identity.services.account_export import KIND, account_export_build
from flowline.jobs.public import job_handler


@job_handler(KIND, max_attempts=2, description="The whole account as one ZIP archive.")
def account_export(job) -> dict:
    job.progress(1, phase="EXPORTING", message="Starting")
    result = account_export_build(
        account_id=job.account_id,
        progress=lambda pct, msg: job.progress(pct, phase="EXPORTING", message=msg),
    )
    result["download"] = f"/api/v1/account/export/{job.id}/download/"
    return result
