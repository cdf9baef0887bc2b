"""What other apps may ask of the writer (planner, automation, integration).

These functions take an `account_id` and work without a request; they do not charge
credits (callers that run them inside a paid job do). `progress` is an optional
`callable(percentage: int, message: str)`.
"""

from __future__ import annotations

from datetime import datetime

from flowline.writer.models import Content, Task
from flowline.writer.services import content as content_services
from flowline.writer.services import tasks as task_services


def queue_ideas(*, account_id: int, idea_ids: list[int], user_id: int | None = None) -> list[Task]:
    """Create one draft writer task per content idea and return the tasks created.

    Ideas that already have a task are skipped (not returned), so a repeated call queues
    nothing twice. Unknown ids or ids of another account raise `NotFoundError` (404)
    naming them, and nothing is created. The ideas' status is left to the caller: the
    planner marks them `queued` in its own service, in the same transaction.
    """
    return task_services.tasks_from_ideas(account_id=account_id, idea_ids=idea_ids)


def mark_published(
    *, content_id: int, external_id: str, url: str, published_at: datetime
) -> Content:
    """Record where a piece of content was published (integration calls this after
    WordPress accepted it): the content becomes `published`, its task `completed`.
    Calling it again (a re-publish) updates the same fields."""
    return content_services.content_mark_published(
        content_id=content_id, external_id=external_id, url=url, published_at=published_at
    )
