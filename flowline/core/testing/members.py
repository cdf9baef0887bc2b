"""Users signed into accounts, ready to call the API."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from flowline.core.roles import Role
from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.identity import tokens
from flowline.identity.models import Account, Membership, User
from flowline.identity.public import account_create

PASSWORD = "Correct-Horse-42-battery"
_seq = itertools.count(1)


@dataclass
class Member:
    user: User
    account: Account
    membership: Membership
    client: APIClient
    password: str = PASSWORD

    @property
    def account_id(self) -> int:
        return self.account.id


def signed_in_client(user: User, account_id: int) -> APIClient:
    client = APIClient()
    pair = tokens.issue_pair(user=user, account_id=account_id)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    return client


def new_owner(email: str | None = None) -> Member:
    email = email or f"owner{next(_seq)}@example.com"
    user = User.objects.create_user(email, PASSWORD, first_name="Olive", email_verified=True)
    account = account_create(owner=user, name=f"Account of {email}")
    membership = Membership.unscoped.get(account=account, user=user)
    return Member(user, account, membership, signed_in_client(user, account.id))


def add_member(
    account: Account, *, role: str = Role.VIEWER, email: str | None = None, all_sites: bool = True
) -> Member:
    email = email or f"{role}{next(_seq)}@example.com"
    user = User.objects.create_user(email, PASSWORD, email_verified=True)
    membership = Membership.unscoped.create(
        account=account, user=user, role=role, all_sites=all_sites
    )
    return Member(user, account, membership, signed_in_client(user, account.id))
