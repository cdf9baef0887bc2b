from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "flowline.billing"
    label = "billing"

    def ready(self) -> None:
        from flowline.billing.public import settle_job
        from flowline.jobs.services import register_finish_listener

        register_finish_listener(settle_job)
        from flowline.billing.selectors import register_limit_counter
        from flowline.identity.models import Membership
        from flowline.sites.models import Site

        register_limit_counter(
            "max_sites", lambda account_id: Site.unscoped.filter(account_id=account_id).count()
        )
        register_limit_counter(
            "max_users",
            lambda account_id: Membership.unscoped.filter(
                account_id=account_id, is_active=True
            ).count(),
        )
        from flowline.billing.pages import shell

        shell.register()
