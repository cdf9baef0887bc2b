"""What other apps may ask of integration (automation publishes inline with it).

`publish_content` takes an `account_id` and works without a request; it charges no
credits. `progress` is an optional `callable(percentage: int, message: str)`.
"""

from __future__ import annotations

from collections.abc import Callable

from flowline.integration.models import PublishRecord
from flowline.integration.selectors import site_has_active_integration
from flowline.integration.services.batches import publish_each

__all__ = ["publish_content", "site_has_active_integration"]


def publish_content(
    *,
    account_id: int,
    content_ids: list[int],
    integration_id: int | None = None,
    user_id: int | None = None,
    progress: Callable[[int, str], None] | None = None,
    post_status: str | None = None,
    force: bool = False,
) -> list[PublishRecord]:
    """Publish each content to its site's WordPress (or to `integration_id`, which must
    be that site's) and return one PublishRecord per content, in order.

    Re-publishing updates the post made before, unless it changed on WordPress since
    Flowline wrote it: that content gets a `conflict` record (its `conflict` says what
    changed) and is not overwritten unless `force`. A content WordPress refuses for good
    (bad credentials, invalid data) gets a `failed` record and the others go on; a
    passing error (5xx, timeout, unknown outcome: `exc.transient`) is raised so the
    caller retries later, which is safe: nothing is published twice. Unknown content
    ids (or another account's) raise NotFoundError before anything is sent.

    Call it outside a transaction (jobs run outside one): what it stores before sending
    a create (the token that lets a retry find the post) must survive the caller's
    rollback.
    """
    outcomes = publish_each(
        account_id=account_id,
        content_ids=content_ids,
        integration_id=integration_id,
        post_status=post_status,
        force=force,
        progress=progress,
    )
    return [record for record, _ in outcomes]
