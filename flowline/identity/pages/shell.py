"""The member, their account and their other accounts, for the shell's top bar."""

from flowline.core.pages import shell
from flowline.identity.selectors import member_accounts


def provide(request) -> dict:
    user = request.user
    membership = request.membership
    accounts = member_accounts(user=user)
    active = next((a for a in accounts if a["id"] == membership.account_id), None)
    initials = "".join(part[:1] for part in (user.first_name, user.last_name) if part)
    return {
        "user": {
            "id": user.id,
            "email": user.email,
            "name": user.first_name or user.email,
            "initials": initials or user.email[:2],
        },
        "account": active,
        "accounts": accounts,
        "theme": user.theme,
    }


def register() -> None:
    shell.register_provider(provide)
    shell.register_user_link(label="Your profile", url="/profile/", icon="person-circle")
