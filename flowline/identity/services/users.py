"""Users: registration, login, passwords, email verification, profile."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from flowline.core import media
from flowline.core.errors import ApplicationError
from flowline.core.images import CheckedImage
from flowline.identity.models import Membership, User
from flowline.identity.services import emails, signing
from flowline.identity.services.accounts import account_create, default_membership


def password_check_strength(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ApplicationError(
            exc.messages[0], code="weak_password", errors={"password": exc.messages}
        ) from exc


@transaction.atomic
def user_register(
    *, email: str, password: str, first_name: str = "", last_name: str = "", account_name: str = ""
) -> User | None:
    """Create a user with their own account, or mail the owner of an existing address.

    Returns None when the email is taken, and the caller answers exactly as for a new
    user, so registration cannot be used to find out who has an account.
    """
    email = email.strip().lower()
    # Checked before looking the address up: a weak password must be refused alike for
    # taken and new addresses, or it tells who has an account.
    password_check_strength(password, User(email=email, first_name=first_name, last_name=last_name))
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        transaction.on_commit(lambda: _mail_already_registered(existing))
        return None
    user = User.objects.create_user(
        email, password, first_name=first_name.strip(), last_name=last_name.strip()
    )
    account = account_create(owner=user, name=account_name.strip() or f"{user.email}'s account")
    user.last_account = account
    user.save(update_fields=["last_account"])
    transaction.on_commit(lambda: email_verification_send(user=user))
    return user


def _mail_already_registered(user: User) -> None:
    emails.send_templated(
        to=user.email,
        template="already_registered",
        context={"reset_link": emails.frontend_link("/forgot-password")},
    )


def login_locked() -> ApplicationError:
    """The refusal of a sign-in while django-axes holds the user or address locked out."""
    return ApplicationError(
        "Too many failed logins. Try again later.", code="login_locked", status=429
    )


def sign_in_membership(user: User) -> Membership:
    """The account a user who proved who they are (a password, a provider) signs in to;
    refused without an active account, or with an unverified email where one is required."""
    membership = default_membership(user)
    if membership is None:
        raise ApplicationError(
            "This user is not a member of any active account.", code="no_account", status=403
        )
    if settings.FLOWLINE_REQUIRE_VERIFIED_EMAIL and not user.email_verified:
        raise ApplicationError(
            "Verify your email address before logging in.", code="email_not_verified", status=403
        )
    return membership


def user_login(*, request, email: str, password: str) -> tuple[User, Membership]:
    """Check credentials (through django-axes, which counts failures) and pick the account."""
    user = authenticate(request, username=email.strip().lower(), password=password)
    if getattr(request, "axes_locked_out", False):
        raise login_locked()
    if user is None:
        raise ApplicationError("Invalid email or password.", code="invalid_credentials", status=401)
    membership = sign_in_membership(user)
    # Tokens replace django.contrib.auth.login(), which sends this signal: without it
    # axes never resets the failure count (AXES_RESET_ON_SUCCESS) and last_login stays old.
    user_logged_in.send(sender=type(user), request=request, user=user)
    return user, membership


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> None:
    """Change the password and invalidate every token issued before."""
    if not user.check_password(old_password):
        raise ApplicationError(
            "Current password is incorrect.",
            code="invalid_password",
            errors={"old_password": ["Current password is incorrect."]},
        )
    password_check_strength(new_password, user)
    _set_password(user, new_password)


def _set_password(user: User, password: str) -> None:
    user.set_password(password)
    user.token_version += 1
    user.save(update_fields=["password", "token_version"])
    _close_sockets(user)


def tokens_revoke_all(user: User) -> None:
    """Every token issued to `user` so far stops working (logout everywhere): the token
    version they carry moves on, and the sockets they opened close once this commits."""
    User.objects.filter(pk=user.pk).update(token_version=F("token_version") + 1)
    user.refresh_from_db(fields=["token_version"])
    _close_sockets(user)


def _close_sockets(user: User) -> None:
    """The tokens issued before are dead, and so are the sockets they opened (a socket
    checked its token once, when it connected): closed once this commits."""
    from flowline.realtime.public import disconnect_member

    account_ids = list(Membership.unscoped.filter(user=user).values_list("account_id", flat=True))
    transaction.on_commit(
        lambda: [disconnect_member(account_id=a, user_id=user.id) for a in account_ids]
    )


def password_reset_request(*, email: str) -> None:
    """Mail a reset link when the address has an account; silent otherwise."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    emails.send_templated(
        to=user.email,
        template="password_reset",
        context={
            "name": user.first_name or user.email,
            "link": emails.frontend_link("/reset-password", uid=uid, token=token),
            "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
    )


@transaction.atomic
def password_reset_confirm(*, uid: str, token: str, new_password: str) -> User:
    """Set a new password from an emailed link; the link works once."""
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uid))), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        raise ApplicationError("This reset link is invalid or has expired.", code="link_invalid")
    password_check_strength(new_password, user)
    _set_password(user, new_password)
    return user


def email_verification_send(*, user: User) -> None:
    """Mail a signed link that confirms the user's address."""
    if user.email_verified:
        return
    token = signing.sign({"u": user.pk, "e": user.email}, salt=signing.EMAIL_VERIFY_SALT)
    emails.send_templated(
        to=user.email,
        template="verify_email",
        context={
            "name": user.first_name or user.email,
            "link": emails.frontend_link("/verify-email", token=token),
            "valid_days": signing.EMAIL_VERIFY_MAX_AGE // 86400,
        },
    )


def email_verification_confirm(*, token: str) -> User:
    payload = signing.unsign(
        token, salt=signing.EMAIL_VERIFY_SALT, max_age=signing.EMAIL_VERIFY_MAX_AGE
    )
    user = User.objects.filter(pk=payload.get("u"), email=payload.get("e")).first()
    if user is None:
        raise ApplicationError("This link is invalid.", code="link_invalid")
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user


def profile_update(*, user: User, **fields) -> User:
    """Update the user's own profile fields (name, avatar, theme, onboarding state).
    `avatar` is a checked image (`core.images`); the one it replaces goes once saved."""
    allowed = {"first_name", "last_name", "avatar", "theme", "onboarding_state"}
    changed = [name for name in fields if name in allowed]
    replaced = []
    if isinstance(fields.get("avatar"), CheckedImage):
        replaced.append(user.avatar.name)
        fields["avatar"] = media.store_image(fields["avatar"], folder=f"avatars/{user.id}")
    for name in changed:
        setattr(user, name, fields[name])
    with transaction.atomic():
        if changed:
            user.save(update_fields=changed)
        media.delete_on_commit(replaced)
    return user
