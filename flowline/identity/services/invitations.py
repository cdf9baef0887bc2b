"""Invitations: an emailed, signed link; accepting it creates the membership."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from flowline.core.errors import ApplicationError, ConflictError
from flowline.core.roles import Role, at_least
from flowline.identity.models import Account, Invitation, Membership, User
from flowline.identity.services import emails, signing
from flowline.identity.services.members import seats_check
from flowline.identity.services.users import password_check_strength


@transaction.atomic
def invitation_create(
    *,
    account_id: int,
    invited_by: User,
    inviter_role: str,
    email: str,
    role: str,
    site_ids: list[int] | None = None,
) -> Invitation:
    """Invite `email` as `role`. Admins cannot hand out a role above their own."""
    email = email.strip().lower()
    if role == Role.OWNER or not at_least(inviter_role, role):
        raise ApplicationError(f"You cannot invite someone as {role}.", code="role_not_allowed")
    if Membership.unscoped.filter(account_id=account_id, user__email__iexact=email).exists():
        raise ConflictError("This person is already a member.", code="already_member")
    if site_ids:
        from flowline.identity.hooks import site_directory

        found = site_directory().existing_site_ids(account_id, site_ids)
        missing = sorted(set(site_ids) - found)
        if missing:
            raise ApplicationError("Unknown sites.", code="invalid", errors={"site_ids": missing})
    Invitation.unscoped.filter(
        account_id=account_id, email=email, status=Invitation.Status.PENDING
    ).update(status=Invitation.Status.REVOKED)
    seats_check(account_id=account_id)
    invitation = Invitation.unscoped.create(
        account_id=account_id,
        email=email,
        role=role,
        site_ids=site_ids or [],
        invited_by=invited_by,
    )
    token = signing.sign({"i": invitation.pk}, salt=signing.INVITATION_SALT)
    account = Account.objects.get(pk=account_id)
    context = {
        "inviter": invited_by.get_full_name() or invited_by.email,
        "account": account.name,
        "role": role,
        "link": emails.frontend_link("/accept-invitation", token=token),
        "valid_days": signing.INVITATION_MAX_AGE // 86400,
    }
    transaction.on_commit(
        lambda: emails.send_templated(to=email, template="invitation", context=context)
    )
    return invitation


def invitation_preview(*, token: str) -> dict:
    """What the invitation page shows before accepting: who invites whom, to what role,
    and whether the invitee must choose a password (new) or prove the one they have."""
    payload = signing.unsign(
        token, salt=signing.INVITATION_SALT, max_age=signing.INVITATION_MAX_AGE
    )
    invitation = Invitation.unscoped.select_related("account").filter(pk=payload.get("i")).first()
    if invitation is None or invitation.status != Invitation.Status.PENDING:
        raise ApplicationError("This invitation is no longer valid.", code="invitation_invalid")
    return {
        "email": invitation.email,
        "account_name": invitation.account.name,
        "role": invitation.role,
        "new_user": not User.objects.filter(email__iexact=invitation.email).exists(),
    }


@transaction.atomic
def invitation_accept(
    *, token: str, password: str, first_name: str = "", last_name: str = ""
) -> tuple[User, Membership]:
    """Join the account: a new user is created, an existing one proves it with its password."""
    payload = signing.unsign(
        token, salt=signing.INVITATION_SALT, max_age=signing.INVITATION_MAX_AGE
    )
    invitation = Invitation.unscoped.select_for_update().filter(pk=payload.get("i")).first()
    if invitation is None or invitation.status != Invitation.Status.PENDING:
        raise ApplicationError("This invitation is no longer valid.", code="invitation_invalid")
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        password_check_strength(password, User(email=invitation.email, first_name=first_name))
        user = User.objects.create_user(
            invitation.email,
            password,
            first_name=first_name,
            last_name=last_name,
            email_verified=True,
        )
    elif not user.check_password(password):
        raise ApplicationError(
            "Password does not match the existing account for this email.",
            code="invalid_credentials",
            status=401,
        )
    # Someone added directly (auth/users/) while the invitation waited is already in.
    if Membership.unscoped.filter(account_id=invitation.account_id, user=user).exists():
        raise ConflictError("You are already a member of this account.", code="already_member")
    membership = Membership.unscoped.create(
        account_id=invitation.account_id,
        user=user,
        role=invitation.role,
        all_sites=not invitation.site_ids,
    )
    if invitation.site_ids:
        from flowline.identity.hooks import site_directory

        site_directory().grant_sites(
            account_id=invitation.account_id,
            user_id=user.id,
            site_ids=invitation.site_ids,
            granted_by_id=invitation.invited_by_id,
        )
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_at"])
    user.last_account_id = invitation.account_id
    user.save(update_fields=["last_account"])
    return user, membership
