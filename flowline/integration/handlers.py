"""Job kinds of the integration app."""

from flowline.integration.models import PublishRecord
from flowline.integration.public import publish_content
from flowline.jobs.handlers import PermanentJobError, job_handler


@job_handler("integration.publish", max_attempts=4)
def publish(job) -> dict:
    """Publish content to WordPress (`publisher/publish/`); passing errors are retried
    with backoff, and a retry never makes a second post."""
    payload = job.payload
    records = publish_content(
        account_id=job.account_id,
        content_ids=[int(i) for i in payload["content_ids"]],
        integration_id=payload.get("integration_id"),
        user_id=job.user_id,
        post_status=payload.get("post_status") or None,
        progress=lambda percentage, message: job.progress(
            percentage, phase="PUBLISHING", message=message
        ),
    )
    result = {
        "records": [
            {
                "record_id": record.id,
                "content_id": record.content_id,
                "status": record.status,
                "post_id": record.external_id,
                "url": record.url,
                "error": record.error,
                "error_code": record.error_code,
            }
            for record in records
        ]
    }
    failed = [r for r in records if r.status != PublishRecord.Status.PUBLISHED]
    if failed and len(failed) == len(records):
        raise PermanentJobError(failed[0].error, code=failed[0].error_code or "publish_failed")
    return result
