from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "flowline.billing"
    label = "billing"

    def ready(self) -> None:
        from flowline.billing.public import settle_job
        from flowline.jobs.public import register_finish_listener

        register_finish_listener(settle_job)
        from flowline.billing import public
        from flowline.identity import public as identity

        # each app registers the counters of its own limits (sites: max_sites, ai: ...)
        public.register_limit_counter("max_users", identity.active_member_count)
        identity.register_account_created_listener(_subscribe_to_default_plan)
        identity.register_seat_check(_seats_within_plan)
        from flowline.billing.pages import shell

        shell.register()
        from django.db.models.signals import post_save

        from flowline.billing.models import Plan, Subscription

        # Every way a subscription or a plan changes (services, admin, staff API) keeps
        # the accounts' copy of their plan's throttle rates current.
        post_save.connect(_subscription_saved, sender=Subscription, dispatch_uid="billing-rates")
        post_save.connect(_plan_saved, sender=Plan, dispatch_uid="billing-plan-rates")


def _subscription_saved(sender, instance, **kwargs) -> None:
    from flowline.billing.public import account_rates_sync

    account_rates_sync(instance.account_id)


def _plan_saved(sender, instance, created, **kwargs) -> None:
    if created:
        return
    from flowline.billing.public import plan_subscribers_rates_sync

    plan_subscribers_rates_sync(instance)


def _subscribe_to_default_plan(account_id: int) -> None:
    from flowline.billing.public import subscription_start_default

    subscription_start_default(account_id=account_id)


def _seats_within_plan(*, account_id: int, taken: int, adding: int) -> None:
    from flowline.billing.public import check_limit

    check_limit(account_id=account_id, limit="max_users", current=taken, adding=adding)
