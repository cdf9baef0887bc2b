from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "flowline.identity"
    label = "identity"
    verbose_name = "Identity and accounts"

    def ready(self) -> None:
        from flowline.identity import (
            jobs,  # noqa: F401  (registers the account export job)
            schema,  # noqa: F401  (registers OpenAPI extensions)
        )
        from flowline.identity.pages import shell

        shell.register()
