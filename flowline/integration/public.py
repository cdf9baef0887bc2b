"""What other apps may ask of integration (automation publishes inline with it).

`publish_content` takes an `account_id` and works without a request; it charges no
credits. `progress` is an optional `callable(percentage: int, message: str)`.
"""

from __future__ import annotations

from collections.abc import Callable

from flowline.core.errors import NotFoundError
from flowline.integration import content_source
from flowline.integration.models import PublishRecord
from flowline.integration.services.publishing import content_publish, integration_for
from flowline.integration.wordpress.errors import WordPressError


def publish_content(
    *,
    account_id: int,
    content_ids: list[int],
    integration_id: int | None = None,
    user_id: int | None = None,
    progress: Callable[[int, str], None] | None = None,
    post_status: str | None = None,
) -> list[PublishRecord]:
    """Publish each content to its site's WordPress (or to `integration_id`, which must
    be that site's) and return one PublishRecord per content, in order.

    Re-publishing updates the post made before. A content WordPress refuses for good
    (bad credentials, invalid data) gets a `failed` record and the others go on;
    a passing error (5xx, timeout, unknown outcome: `exc.transient`) is raised so the
    caller retries later, which is safe: nothing is published twice. Unknown content
    ids (or another account's) raise NotFoundError before anything is sent.

    Call it outside a transaction (jobs run outside one): what it stores before sending
    a create (the token that lets a retry find the post) must survive the caller's
    rollback.
    """
    sites = content_source.site_ids(account_id=account_id, content_ids=content_ids)
    missing = [content_id for content_id in content_ids if content_id not in sites]
    if missing:
        raise NotFoundError("Content not found.", errors={"content_ids": missing})
    records: list[PublishRecord] = []
    for index, content_id in enumerate(content_ids, start=1):
        integration = integration_for(
            account_id=account_id, site_id=sites[content_id], integration_id=integration_id
        )
        try:
            record = content_publish(
                account_id=account_id,
                content_id=content_id,
                integration=integration,
                post_status=post_status,
            )
        except WordPressError as exc:
            if exc.transient:
                raise
            record = PublishRecord.unscoped.get(integration=integration, content_id=content_id)
        records.append(record)
        if progress is not None:
            progress(
                int(index * 100 / len(content_ids)), f"Published {index} of {len(content_ids)}"
            )
    return records
