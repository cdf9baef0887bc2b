"""Flowline's tables as a stock project would map them (unmanaged: Flowline migrates them)."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models


class User(AbstractBaseUser):
    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    email_verified = models.BooleanField(default=False)
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    theme = models.CharField(max_length=10)
    onboarding_state = models.JSONField(default=dict, blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)

    USERNAME_FIELD = "email"

    class Meta:
        managed = False
        db_table = "identity_user"


class Account(models.Model):
    name = models.CharField(max_length=200)
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20)
    billing_email = models.EmailField(blank=True)
    timezone = models.CharField(max_length=64)
    language = models.CharField(max_length=16)
    created_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "identity_account"

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10)
    is_active = models.BooleanField(default=True)

    class Meta:
        managed = False
        db_table = "identity_membership"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.account_id}"


class Site(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    url = models.URLField(blank=True)
    description = models.TextField(blank=True)
    logo = models.ImageField(upload_to="site-logos/", blank=True)
    voice = models.TextField(blank=True)
    industry_id = models.BigIntegerField(null=True)
    status = models.CharField(max_length=10)
    wp_url = models.URLField(blank=True)
    wp_username = models.CharField(max_length=150, blank=True)
    wp_app_password = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        managed = False
        db_table = "sites_site"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.name
