"""In-app notifications, what each user wants delivered where, the templates that word
each type, and the browsers subscribed to Web Push."""

from django.conf import settings
from django.db import models

from flowline.core.tenancy import TenantModel


class Channel(models.TextChoices):
    IN_APP = "in_app", "In-app"
    EMAIL = "email", "Email"
    PUSH = "push", "Web Push"


class Notification(TenantModel):
    """One message to one user in one account, shown in the app until read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    notification_type = models.CharField(max_length=50, db_index=True)
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    link = models.CharField(max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_read"),
            # The list: one user's notifications in the account, newest first.
            models.Index(
                fields=["account", "user", "-created_at", "-id"], name="notification_user_new"
            ),
            # `?is_read=false`, the bell's list: only the unread ones, in the same order.
            models.Index(
                fields=["account", "user", "-created_at", "-id"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_new",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notification_type} for {self.user_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(TenantModel):
    """Which channels a user wants for one type in one account. No row means the
    defaults of `services.preferences.DEFAULTS`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    notification_type = models.CharField(max_length=50)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=True)
    push = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["notification_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "user", "notification_type"],
                name="notification_preference_unique_type",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notification_type} prefs of {self.user_id}"


class NotificationTemplate(models.Model):
    """How one notification type reads: Django template strings rendered with the
    context the raising app passes to `notify()`. Shared by every account."""

    notification_type = models.CharField(max_length=50, unique=True)
    title_template = models.CharField(max_length=255)
    body_template = models.TextField(blank=True)
    email_subject_template = models.CharField(max_length=255, blank=True)
    email_body_template = models.TextField(blank=True)
    description = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["notification_type"]

    def __str__(self) -> str:
        return self.notification_type


class PushSubscription(TenantModel):
    """A browser's Web Push subscription (the PushSubscription JSON it gave us).
    An endpoint belongs to the last user who subscribed it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"push {self.id} of {self.user_id}"

    def as_subscription_info(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class PendingDelivery(TenantModel):
    """The outbox of email and push: one row per `notify()` call that has something to
    send, written in the caller's transaction. The task marks it sent; a sweep hands
    rows the broker never got (it was down at commit) to a worker again."""

    batch_id = models.CharField(max_length=32, unique=True)
    batch = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sweeps = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="notification_outbox_pending",
            )
        ]
        verbose_name_plural = "pending deliveries"

    def __str__(self) -> str:
        return f"delivery {self.batch_id}"
