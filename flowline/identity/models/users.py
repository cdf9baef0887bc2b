"""The person who signs in. What they may do lives on their memberships."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True, email_verified=True)
        return self.create_user(email, password, **fields)


class User(AbstractUser):
    """A person, identified by email. Belongs to accounts through memberships."""

    class Theme(models.TextChoices):
        SYSTEM = "system", "System"
        LIGHT = "light", "Light"
        DARK = "dark", "Dark"

    username = None
    email = models.EmailField("email address", unique=True)
    email_verified = models.BooleanField(default=False)
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    theme = models.CharField(max_length=10, choices=Theme.choices, default=Theme.SYSTEM)
    onboarding_state = models.JSONField(default=dict, blank=True)
    # Bumped when the password changes: every token minted before stops working.
    token_version = models.PositiveIntegerField(default=0)
    last_account = models.ForeignKey(
        "identity.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.email


class EndedSession(models.Model):
    """A sign-in that was logged out: its access tokens are refused before they expire.

    Every token pair of one sign-in carries its id (`tokens.SESSION_CLAIM`); the
    membership query that authenticates each request joins this table on it, so a logout
    costs no extra query per request. A row matters only while the session's last access
    token lives, and is deleted after that (`sessions.session_end`).
    """

    session = models.CharField(max_length=64, primary_key=True)
    ended_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.session
