"""Who a provider's identity signs in as: a linked user, a user with that verified email,
or a new user with their own account; and disconnecting a provider.

Links are allauth `SocialAccount` rows (provider + the provider's user id). An identity
without a link is matched to a Flowline user only through an email address the provider
says it verified, and only to a user whose own address is verified too; an unverified
address never signs in, signs up or links (a provider account anyone can create with
someone else's address must not open their Flowline account).
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.socialaccount.models import SocialAccount, SocialLogin
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import user_logged_in
from django.db import IntegrityError, transaction

from flowline.core.errors import ApplicationError, ConflictError, NotFoundError
from flowline.identity.models import Membership, User
from flowline.identity.services.accounts import account_create
from flowline.identity.services.users import login_locked, sign_in_membership
from flowline.identity.social_login import flow
from flowline.identity.social_login.providers import SPECS, spec_for


@dataclass(frozen=True)
class SocialSignIn:
    """The outcome of a social sign-in: who, in which account, and whether they are new."""

    user: User
    membership: Membership
    created: bool
    linked: bool  # the provider was linked to an existing user just now


def social_login_callback(
    *, request, state: str, browser_key: str, code: str, error: str = ""
) -> tuple[flow.LoginAttempt, SocialSignIn]:
    """Finish a sign-in from what the provider sent back to the redirect URI."""
    attempt, record = flow.take_attempt(state=state, browser_key=browser_key)
    if error:
        name = SPECS[attempt.provider].name
        if error == "access_denied":
            raise ApplicationError(
                f"Sign-in with {name} was cancelled.", code="social_login_cancelled"
            )
        raise flow.SocialLoginFailed(f"{name} refused the sign-in ({error[:50]}).")
    sociallogin = flow.login_complete(request=request, record=record, code=code)
    return attempt, social_login_resolve(request=request, sociallogin=sociallogin)


def social_login_resolve(*, request, sociallogin: SocialLogin) -> SocialSignIn:
    """Sign in the user linked to this identity, link it by verified email, or sign up."""
    try:
        with transaction.atomic():
            user, created, linked = _user_for(sociallogin)
            # Inside the transaction: a refused sign-in leaves no new link behind.
            membership = _sign_in_checks(request=request, user=user)
    except IntegrityError as exc:  # the same identity signing up twice at once
        raise ConflictError(
            "This sign-in is already being completed. Try again.", code="social_login_conflict"
        ) from exc
    # What django.contrib.auth.login() would send: last_login, axes' success record.
    user_logged_in.send(sender=type(user), request=request, user=user)
    return SocialSignIn(user=user, membership=membership, created=created, linked=linked)


def _user_for(sociallogin: SocialLogin) -> tuple[User, bool, bool]:
    identity = sociallogin.account
    name = SPECS[identity.provider].name
    link = (
        SocialAccount.objects.select_related("user")
        .filter(provider=identity.provider, uid=identity.uid)
        .first()
    )
    if link is not None:
        link.extra_data = identity.extra_data
        link.save(update_fields=["extra_data", "last_login"])
        return link.user, False, False

    verified = [a.email.lower() for a in sociallogin.email_addresses if a.verified]
    if not verified:
        if sociallogin.email_addresses:
            raise ApplicationError(
                f"{name} has not verified the email address of this account, so it cannot "
                f"be used to sign in. Verify it at {name}, or sign in with your password.",
                code="social_email_unverified",
                status=403,
            )
        raise ApplicationError(
            f"{name} did not share an email address. Allow access to your email and try again.",
            code="social_email_missing",
        )
    users = {u.email: u for u in User.objects.filter(email__in=verified)}
    existing = next((users[e] for e in verified if e in users), None)
    if existing is not None:
        if not existing.email_verified:
            # Someone may have registered this address without owning it: linking would
            # hand the provider's user an account whose password a stranger knows.
            raise ApplicationError(
                "A Flowline account with this email exists but its address is not verified "
                "yet. Sign in with your password and verify it first, then use "
                f"{name} to sign in.",
                code="social_link_requires_verified_account",
                status=409,
            )
        SocialAccount.objects.create(
            user=existing,
            provider=identity.provider,
            uid=identity.uid,
            extra_data=identity.extra_data,
        )
        return existing, False, True

    user = _user_create(email=verified[0], profile=sociallogin.user)
    SocialAccount.objects.create(
        user=user, provider=identity.provider, uid=identity.uid, extra_data=identity.extra_data
    )
    return user, True, False


def _user_create(*, email: str, profile: User) -> User:
    """A new user with their own account, as registration makes, with no password."""
    user = User.objects.create_user(
        email,
        None,  # unusable: signs in through the provider until they set one
        first_name=(profile.first_name or "")[:150],
        last_name=(profile.last_name or "")[:150],
        email_verified=True,  # the provider verified it
    )
    account = account_create(owner=user, name=f"{user.email}'s account")
    user.last_account = account
    user.save(update_fields=["last_account"])
    return user


def _sign_in_checks(*, request, user: User) -> Membership:
    """The password login's rules hold here too: lockout, active user, an account."""
    if AxesProxyHandler.is_locked(request, credentials={"username": user.email}):
        raise login_locked()
    if not user.is_active:
        raise ApplicationError("This user is deactivated.", code="user_inactive", status=403)
    return sign_in_membership(user)


@transaction.atomic
def social_account_disconnect(*, user: User, provider: str) -> list[str]:
    """Remove the user's link to `provider`; refused when it is their last way in.

    Returns the providers still linked. The user row is locked so two disconnects at
    once cannot both pass the last-method check.
    """
    spec = spec_for(provider)
    locked = User.objects.select_for_update().get(pk=user.pk)
    links = list(SocialAccount.objects.filter(user=locked))
    mine = [link for link in links if link.provider == spec.id]
    if not mine:
        raise NotFoundError(f"{spec.name} is not connected.", code="social_not_connected")
    if len(mine) == len(links) and not locked.has_usable_password():
        raise ConflictError(
            f"{spec.name} is your only way to sign in. Set a password first "
            "(reset it by email), then disconnect it.",
            code="last_login_method",
        )
    SocialAccount.objects.filter(pk__in=[link.pk for link in mine]).delete()
    return sorted({link.provider for link in links} - {spec.id})
