"""Members of an account: direct creation, role changes, removal, (de)activation."""

from django.db import transaction

from flowline.core.errors import ApplicationError, ConflictError
from flowline.core.roles import Role, at_least
from flowline.identity.models import Membership, User
from flowline.identity.services.users import password_check_strength


def seats_check(*, account_id: int, adding: int = 1) -> None:
    """402 `plan_limit_exceeded` (max_users, billing's seat check) when the plan has no
    seat left: active members and pending invitations both hold one."""
    from flowline.identity import hooks
    from flowline.identity.models import Invitation

    taken = Membership.unscoped.filter(account_id=account_id, is_active=True).count()
    taken += Invitation.unscoped.filter(
        account_id=account_id, status=Invitation.Status.PENDING
    ).count()
    hooks.seats_checked(account_id=account_id, taken=taken, adding=adding)


def _guard(*, actor_role: str, membership: Membership, new_role: str | None = None) -> None:
    if membership.role == Role.OWNER:
        raise ApplicationError(
            "The account owner cannot be changed or removed here.", code="owner_protected"
        )
    if not at_least(actor_role, membership.role):
        raise ApplicationError(
            "You cannot manage a member above your role.", code="role_not_allowed", status=403
        )
    if new_role is not None and (new_role == Role.OWNER or not at_least(actor_role, new_role)):
        raise ApplicationError(
            f"You cannot give the role {new_role}.", code="role_not_allowed", status=403
        )


@transaction.atomic
def member_create(
    *,
    account_id: int,
    actor_role: str,
    email: str,
    password: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
) -> Membership:
    """Create a user with a password directly in the account (admins onboarding staff)."""
    if role == Role.OWNER or not at_least(actor_role, role):
        raise ApplicationError(
            f"You cannot give the role {role}.", code="role_not_allowed", status=403
        )
    email = email.strip().lower()
    seats_check(account_id=account_id)
    if User.objects.filter(email__iexact=email).exists():
        raise ConflictError(
            "A user with this email exists; invite them instead.", code="user_exists"
        )
    password_check_strength(password, User(email=email, first_name=first_name))
    user = User.objects.create_user(email, password, first_name=first_name, last_name=last_name)
    user.last_account_id = account_id
    user.save(update_fields=["last_account"])
    return Membership.unscoped.create(account_id=account_id, user=user, role=role)


@transaction.atomic
def member_update(*, membership: Membership, actor_role: str, **fields) -> Membership:
    _guard(actor_role=actor_role, membership=membership, new_role=fields.get("role"))
    changed = [name for name in ("role", "all_sites") if name in fields]
    for name in changed:
        setattr(membership, name, fields[name])
    if changed:
        membership.save(update_fields=changed)
        _close_sockets(membership)  # a new role or fewer sites: rooms are checked again
    return membership


def member_remove(*, membership: Membership, actor_role: str) -> None:
    _guard(actor_role=actor_role, membership=membership)
    membership.delete()
    _close_sockets(membership)


def member_set_active(*, membership: Membership, actor_role: str, active: bool) -> Membership:
    _guard(actor_role=actor_role, membership=membership)
    if membership.is_active != active:
        membership.is_active = active
        membership.save(update_fields=["is_active"])
        if not active:
            _close_sockets(membership)
    return membership


def _close_sockets(membership: Membership) -> None:
    """An open socket was authorised for the membership as it was: close it once the
    change is committed, so live events stop (a client that may still connect comes
    back with its rights checked afresh)."""
    from flowline.realtime.public import disconnect_member

    account_id, user_id = membership.account_id, membership.user_id
    transaction.on_commit(lambda: disconnect_member(account_id=account_id, user_id=user_id))
