"""Accounts: creation with their owner, switching, deletion."""

from django.db import transaction

from flowline.core.errors import ApplicationError, ForbiddenError, NotFoundError
from flowline.core.roles import Role
from flowline.identity import hooks
from flowline.identity.models import Account, Membership, User


@transaction.atomic
def account_create(*, owner: User, name: str) -> Account:
    """A new account owned by `owner` (billing's listener subscribes it to the default plan)."""
    account = Account.objects.create(name=name, owner=owner, billing_email=owner.email)
    Membership.unscoped.create(account=account, user=owner, role=Role.OWNER)
    hooks.account_created(account.id)
    return account


def membership_for_switch(*, user: User, account_id: int) -> Membership:
    """The user's active membership in `account_id`, or 404."""
    membership = Membership.unscoped.filter(
        user=user, account_id=account_id, is_active=True
    ).first()
    if membership is None:
        raise NotFoundError("Account not found.")
    return membership


def account_switch(*, user: User, account_id: int) -> Membership:
    """Act in another of the user's accounts from now on (also the one login picks)."""
    membership = membership_for_switch(user=user, account_id=account_id)
    user.last_account_id = membership.account_id
    user.save(update_fields=["last_account"])
    return membership


def default_membership(user: User) -> Membership | None:
    """The account a user lands in at login: the last one used, else the oldest."""
    memberships = Membership.unscoped.filter(user=user, is_active=True)
    if user.last_account_id:
        last = memberships.filter(account_id=user.last_account_id).first()
        if last is not None:
            return last
    return memberships.order_by("id").first()


@transaction.atomic
def account_delete(*, account: Account, by: User) -> None:
    """Delete an account and everything it owns. Owner only."""
    if account.owner_id != by.id:
        raise ForbiddenError("Only the account owner can delete the account.")
    User.objects.filter(last_account=account).update(last_account=None)
    user_ids = list(Membership.unscoped.filter(account=account).values_list("user_id", flat=True))
    account_id = account.id
    account.delete()
    transaction.on_commit(lambda: _close_sockets(account_id, user_ids))


def _close_sockets(account_id: int, user_ids: list[int]) -> None:
    """The members' sockets of a deleted account must not outlive it."""
    from flowline.realtime.public import disconnect_member

    for user_id in user_ids:
        disconnect_member(account_id=account_id, user_id=user_id)


def ensure_not_last_owner(membership: Membership) -> None:
    if membership.role == Role.OWNER:
        raise ApplicationError(
            "The account owner cannot be removed or demoted.", code="owner_protected"
        )
