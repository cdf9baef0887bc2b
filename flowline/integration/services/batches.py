"""Publishing several contents at once: the `integration.publish` job started by
`publisher/publish/`, refused up front for posts known to have changed on WordPress,
and the per-content loop the job and automation share."""

from __future__ import annotations

from collections.abc import Callable

from flowline.core.errors import NotFoundError
from flowline.integration import content_source
from flowline.integration.models import PublishRecord
from flowline.integration.services.publishing import (
    PublishInProgress,
    content_publish,
    integration_for,
)
from flowline.integration.wordpress import errors


def refuse_known_conflicts(*, account_id: int, content_ids: list[int]) -> None:
    """409 `wordpress_conflict` when Flowline already knows that some of these posts
    changed on WordPress since it last wrote them (send `force` to overwrite)."""
    known = {
        record.content_id: record.conflict
        for record in PublishRecord.unscoped.filter(
            account_id=account_id, content_id__in=content_ids
        ).only("content_id", "conflict")
        if record.conflict
    }
    if known:
        raise errors.WordPressConflict(
            "These posts changed on WordPress since Flowline published them; publishing "
            "again would overwrite those changes. Send force to overwrite them.",
            changes={str(content_id): changes for content_id, changes in known.items()},
            errors={"content_ids": sorted(known)},
        )


def publish_start(
    *,
    account_id: int,
    content_ids: list[int],
    integration_id: int | None = None,
    post_status: str = "",
    force: bool = False,
    user_id: int | None = None,
    idempotency_key: str | None = None,
):
    """Queue an `integration.publish` job for the account's content (404 naming unknown
    ids, 409 for posts known to have changed on WordPress, before anything starts)."""
    from flowline.jobs.public import job_start

    sites = content_source.site_ids(account_id=account_id, content_ids=content_ids)
    missing = [content_id for content_id in content_ids if content_id not in sites]
    if missing:
        raise NotFoundError("Content not found.", errors={"content_ids": missing})
    for content_id in content_ids:  # refuse now what the job would refuse later
        integration_for(
            account_id=account_id, site_id=sites[content_id], integration_id=integration_id
        )
    if not force:
        refuse_known_conflicts(account_id=account_id, content_ids=content_ids)
    return job_start(
        kind="integration.publish",
        account_id=account_id,
        user_id=user_id,
        payload={
            "content_ids": content_ids,
            "integration_id": integration_id,
            "post_status": post_status,
            "force": force,
        },
        idempotency_key=idempotency_key,
    )


def publish_each(
    *,
    account_id: int,
    content_ids: list[int],
    integration_id: int | None = None,
    post_status: str | None = None,
    force: bool = False,
    progress: Callable[[int, str], None] | None = None,
    on_transient: Callable | None = None,
) -> list[tuple[PublishRecord, object]]:
    """Publish each content; returns (record, what `on_transient` returned or None).

    A content WordPress refuses for good gets its failed (or conflict) record and the
    others go on. A passing error is raised, unless `on_transient(integration=,
    content_id=, exc=)` takes it over (the publish queue retries it later)."""
    sites = content_source.site_ids(account_id=account_id, content_ids=content_ids)
    missing = [content_id for content_id in content_ids if content_id not in sites]
    if missing:
        raise NotFoundError("Content not found.", errors={"content_ids": missing})
    outcomes = []
    for index, content_id in enumerate(content_ids, start=1):
        integration = integration_for(
            account_id=account_id, site_id=sites[content_id], integration_id=integration_id
        )
        later = None
        try:
            record = content_publish(
                account_id=account_id,
                content_id=content_id,
                integration=integration,
                post_status=post_status,
                force=force,
            )
        except (errors.WordPressError, PublishInProgress) as exc:
            if exc.transient:
                if on_transient is None:
                    raise
                later = on_transient(integration=integration, content_id=content_id, exc=exc)
            record = PublishRecord.unscoped.get(integration=integration, content_id=content_id)
        outcomes.append((record, later))
        if progress is not None:
            progress(
                int(index * 100 / len(content_ids)), f"Published {index} of {len(content_ids)}"
            )
    return outcomes
