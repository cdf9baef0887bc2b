"""The request path's authentication shortcuts keep every refusal immediate.

A verified access token is reused by its bytes until it expires (no second signature
check), and the membership is read with one prepared statement: a token that was
accepted a moment ago must still be refused as soon as its membership, its user or its
token version changes, and once it expires.
"""

import pytest

from flowline.core.roles import Role
from flowline.identity import authentication, tokens
from flowline.identity.models import Membership
from flowline.identity.tests.token_support import API, assert_refused, bearer

pytestmark = pytest.mark.django_db


def test_a_token_accepted_before_is_refused_once_its_membership_is_deleted(owner, member_factory):
    # given an editor whose token has been accepted (and so verified and kept)
    editor = member_factory(owner, Role.EDITOR)
    access = tokens.issue_pair(user=editor.user, account_id=owner.account_id)["access"]
    assert bearer(access).get(f"{API}/auth/sites/").status_code == 200

    # when the membership is removed
    Membership.unscoped.filter(pk=editor.membership.pk).delete()

    # then the very next request is refused
    assert_refused(bearer(access).get(f"{API}/auth/sites/"))


def test_a_token_accepted_before_is_refused_once_the_token_version_moves(owner):
    # given a token in use
    access = tokens.issue_pair(user=owner.user, account_id=owner.account_id)["access"]
    assert bearer(access).get(f"{API}/auth/me/").status_code == 200

    # when every token of the user is revoked (logout everywhere, password change)
    owner.user.token_version += 1
    owner.user.save(update_fields=["token_version"])

    # then
    assert_refused(bearer(access).get(f"{API}/auth/me/"))


def test_a_role_change_applies_to_the_next_request_of_a_token_in_use(owner, member_factory):
    # given an editor allowed to edit a site with a token in use
    editor = member_factory(owner, Role.EDITOR)
    site = owner.client.post(f"{API}/auth/sites/", {"name": "Shop"}, format="json").json()["data"]
    rename = {"name": "Renamed"}
    assert editor.client.patch(f"{API}/auth/sites/{site['id']}/", rename).status_code == 200

    # when the owner makes them a viewer
    Membership.unscoped.filter(pk=editor.membership.pk).update(role=Role.VIEWER)

    # then the same token can no longer write
    assert editor.client.patch(f"{API}/auth/sites/{site['id']}/", rename).status_code == 403


def test_a_kept_token_is_refused_once_it_expires(owner, monkeypatch):
    # given a token in use, kept as verified
    access = tokens.issue_pair(user=owner.user, account_id=owner.account_id)["access"]
    assert bearer(access).get(f"{API}/auth/me/").status_code == 200
    expires = authentication._verified_tokens.tokens[access.encode()][0]

    # when the clock passes its expiry
    monkeypatch.setattr(authentication.time, "time", lambda: expires + 1)

    # then it is refused like any expired token (the signature check runs again)
    monkeypatch.setattr("rest_framework_simplejwt.tokens.aware_utcnow", _utc(expires + 1))
    assert_refused(bearer(access).get(f"{API}/auth/me/"))
    assert access.encode() not in authentication._verified_tokens.tokens


def test_the_kept_tokens_are_bounded(owner, monkeypatch):
    # given a cache of two entries
    monkeypatch.setattr(authentication, "_verified_tokens", authentication._TokenCache(size=2))

    # when three tokens are used
    for _ in range(3):
        access = tokens.issue_pair(user=owner.user, account_id=owner.account_id)["access"]
        assert bearer(access).get(f"{API}/auth/me/").status_code == 200

    # then it never held more than two
    assert len(authentication._verified_tokens.tokens) <= 2


def test_a_malformed_account_claim_is_401_not_500(owner):
    # given a correctly signed token whose account claim is not a number
    import jwt
    from django.conf import settings

    access = tokens.issue_pair(user=owner.user, account_id=owner.account_id)["access"]
    claims = jwt.decode(access, options={"verify_signature": False}) | {"account_id": "x"}
    forged = jwt.encode(claims, settings.SIMPLE_JWT["SIGNING_KEY"], algorithm="HS256")

    # then
    assert_refused(bearer(forged).get(f"{API}/auth/me/"))


def _utc(timestamp: float):
    from datetime import UTC, datetime

    return lambda: datetime.fromtimestamp(timestamp, tz=UTC)
