"""Job kinds of the integration app."""

from functools import partial

from flowline.integration.models import PublishRecord
from flowline.integration.services.batches import publish_each
from flowline.integration.services.queue import queue_retry
from flowline.jobs.public import PermanentJobError, job_handler


@job_handler("integration.publish", max_attempts=3)
def publish(job) -> dict:
    """Publish content to WordPress now (`publisher/publish/`). A content the site could
    not take for a passing reason (down, 5xx, 429, timeout) is handed to the publish
    queue, which tries again for about a day (services.retries): its record says
    `retry` with the queue item and when. A retry never makes a second post."""
    payload = job.payload
    outcomes = publish_each(
        account_id=job.account_id,
        content_ids=[int(i) for i in payload["content_ids"]],
        integration_id=payload.get("integration_id"),
        post_status=payload.get("post_status") or None,
        force=bool(payload.get("force")),
        progress=lambda percentage, message: job.progress(
            percentage, phase="PUBLISHING", message=message
        ),
        on_transient=partial(
            queue_retry,
            post_status=payload.get("post_status") or "",
            force=bool(payload.get("force")),
            user_id=job.user_id,
        ),
    )
    result = {"records": [_outcome(record, later) for record, later in outcomes]}
    done = [r for r, later in outcomes if r.status == PublishRecord.Status.PUBLISHED or later]
    if not done:
        record = outcomes[0][0]
        raise PermanentJobError(record.error, code=record.error_code or "publish_failed")
    return result


def _outcome(record: PublishRecord, later) -> dict:
    return {
        "record_id": record.id,
        "content_id": record.content_id,
        "status": record.status,
        "post_id": record.external_id,
        "url": record.url,
        "error": record.error,
        "error_code": record.error_code,
        "conflict": record.conflict,
        "retry": None
        if later is None
        else {
            "queue_item_id": later.id,
            "next_attempt_at": later.next_attempt_at.isoformat(),
            "attempts": later.attempts,
            "max_attempts": later.max_attempts,
        },
    }
