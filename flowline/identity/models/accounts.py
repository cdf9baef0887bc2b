"""Accounts are the tenants; memberships give users a role in them."""

from django.conf import settings
from django.db import models

from flowline.core.models import TimeStampedModel
from flowline.core.roles import Role
from flowline.core.tenancy import TenantModel


class Account(TimeStampedModel):
    """The tenant: a company or team. Everything it owns carries its id."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"

    name = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_accounts"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    billing_email = models.EmailField(blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    language = models.CharField(max_length=16, default="en")
    # The throttle rates the account's plan sets ({"user": "600/min"}), kept here by
    # billing when the plan changes so that a request reads them with its membership,
    # without a query of its own.
    rate_limits = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Membership(TenantModel, TimeStampedModel):
    """A user's role in one account, and which of its sites they may reach."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    is_active = models.BooleanField(default=True)
    # False restricts the member to the sites granted in site-access.
    all_sites = models.BooleanField(default=True)
    active_site = models.ForeignKey(
        "sites.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "user"], name="membership_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.account_id} ({self.role})"


class Invitation(TenantModel, TimeStampedModel):
    """An emailed offer to join an account with a role; accepting creates the membership."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"

    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    site_ids = models.JSONField(default=list, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.email} → {self.account_id} ({self.status})"
