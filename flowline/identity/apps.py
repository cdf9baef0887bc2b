from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "flowline.identity"
    label = "identity"
    verbose_name = "Identity and accounts"

    def ready(self) -> None:
        from flowline.core import tenancy
        from flowline.identity import (
            jobs,  # noqa: F401  (registers the account export job)
            schema,  # noqa: F401  (registers OpenAPI extensions)
            sockets,
        )
        from flowline.identity.pages import shell
        from flowline.realtime.public import register_socket_authenticator

        shell.register()
        tenancy.register_member_users(_member_users)
        register_socket_authenticator(identify=sockets.identify, is_member=sockets.is_member)


def _member_users(account_id: int):
    from flowline.identity.models import User

    return User.objects.filter(
        memberships__account_id=account_id, memberships__is_active=True
    ).distinct()
