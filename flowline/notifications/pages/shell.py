"""The bell: the member's unread count, updated live by the `notification` event."""

from flowline.core import tenancy
from flowline.core.pages import shell
from flowline.notifications import selectors


def provide(request) -> dict:
    current = tenancy.require()
    return {
        "unread_notifications": selectors.unread_count(
            account_id=current.account_id, user_id=current.user_id
        )
    }


def register() -> None:
    shell.register_provider(provide)
    shell.register_topbar("notifications/bell.html", order=20)
