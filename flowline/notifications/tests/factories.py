import factory

from flowline.core.testing.factories import TenantFactory
from flowline.notifications.models import Notification, PushSubscription


class NotificationFactory(TenantFactory):
    """A notification for the account's owner unless `user` is given."""

    class Meta:
        model = Notification

    user = factory.LazyAttribute(lambda o: o.account.owner)
    notification_type = "job_completed"
    title = factory.Sequence(lambda n: f"Notification {n}")
    body = "Something happened."
    link = "/jobs/1"


class PushSubscriptionFactory(TenantFactory):
    class Meta:
        model = PushSubscription

    user = factory.LazyAttribute(lambda o: o.account.owner)
    endpoint = factory.Sequence(lambda n: f"https://push.example.com/send/{n}")
    p256dh = (
        "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
    )
    auth = "tBHItJI5svbpez7KI4CCXg"
