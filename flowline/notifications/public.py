"""What other apps may call: raise a notification; the Web Push key browsers subscribe with.

from flowline.notifications.public import notify
notify(account_id=..., user_ids=[user_id], notification_type="job_failed",
       context={"job_id": 12, "error": "..."}, link="/jobs/12")
"""

from __future__ import annotations

from flowline.notifications.services import notify as _notify
from flowline.notifications.services.push import vapid_public_key  # noqa: F401  (re-exported)


def notify(
    *,
    account_id: int,
    user_ids: list[int] | None,
    notification_type: str,
    context: dict,
    link: str = "",
) -> int:
    """Notify users of one account; returns how many users it reached.

    `user_ids=None` means the account's admins and owners; ids of users who are not
    active members of the account are ignored. The type's template is rendered with
    `context` (kept as the notification's `data`); each user gets an in-app
    notification and a live `notification` Socket.IO event in `user_{id}`, and, once
    the caller's transaction commits, email and Web Push through a Celery task,
    according to their preferences. Safe to call inside a transaction: nothing leaves
    the process if it rolls back.
    """
    return _notify.notify(
        account_id=account_id,
        user_ids=user_ids,
        notification_type=notification_type,
        context=context,
        link=link,
    )
