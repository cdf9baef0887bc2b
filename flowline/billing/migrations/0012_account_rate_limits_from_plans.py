"""Accounts carry their plan's throttle rates (identity 0004): copy them from each
account's active subscription, as billing keeps them from now on."""

import re

from django.db import migrations

RATE = re.compile(r"[1-9][0-9]{0,8}/(s|sec|second|m|min|minute|h|hour|d|day)")


def copy_rates(apps, schema_editor):
    Subscription = apps.get_model("billing", "Subscription")
    Account = apps.get_model("identity", "Account")
    active = Subscription.objects.filter(status="active").select_related("plan")
    for subscription in active.iterator():
        given = subscription.plan.rate_limits
        if not isinstance(given, dict):
            continue
        rates = {
            scope: rate
            for scope, rate in given.items()
            if scope in ("user", "ai") and isinstance(rate, str) and RATE.fullmatch(rate)
        }
        if rates:
            Account.objects.filter(id=subscription.account_id).update(rate_limits=rates)


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0011_credit_transaction_list_indexes"),
        ("identity", "0004_account_rate_limits"),
    ]

    operations = [migrations.RunPython(copy_rates, migrations.RunPython.noop)]
