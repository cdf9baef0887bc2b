"""Access tokens: forged, tampered, expired or misused ones are refused."""

import time

import jwt
import pytest
from django.conf import settings

from flowline.identity import tokens
from flowline.identity.tests.token_support import API, assert_refused, bearer


def _claims(member) -> dict:
    """The claims of a real access token for `member`, to forge variants of."""
    access = tokens.issue_pair(user=member.user, account_id=member.account_id)["access"]
    return jwt.decode(access, options={"verify_signature": False})


def _signed(claims: dict, *, key: str | None = None, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key or settings.SIMPLE_JWT["SIGNING_KEY"], algorithm=algorithm)


@pytest.mark.django_db
def test_token_rebuilt_with_the_real_key_works_so_forgeries_fail_for_their_change(owner):
    # given a token signed with the real key from real claims
    token = _signed(_claims(owner))

    # when it is used
    response = bearer(token).get(f"{API}/auth/me/")

    # then it works, so the refusals below are about what was changed
    assert response.status_code == 200


@pytest.mark.django_db
def test_expired_access_token_is_rejected(owner):
    # given a correctly signed access token that expired a minute ago
    claims = _claims(owner) | {"exp": int(time.time()) - 60, "iat": int(time.time()) - 1000}

    # when it is used
    response = bearer(_signed(claims)).get(f"{API}/auth/me/")

    # then
    assert_refused(response)


@pytest.mark.django_db
def test_tampered_signature_is_rejected(owner):
    # given a real token whose signature was altered
    access = owner.client._credentials["HTTP_AUTHORIZATION"].split()[1]
    header, payload, signature = access.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]

    # when it is used
    response = bearer(f"{header}.{payload}.{flipped}").get(f"{API}/auth/me/")

    # then
    assert_refused(response)


@pytest.mark.django_db
def test_tampered_claims_with_the_old_signature_are_rejected(owner, other_owner):
    # given a real token whose payload now names another account, signature unchanged
    access = tokens.issue_pair(user=owner.user, account_id=owner.account_id)["access"]
    header, _, signature = access.split(".")
    forged_payload = _signed(_claims(owner) | {"account_id": other_owner.account_id}).split(".")[1]

    # when it is used
    response = bearer(f"{header}.{forged_payload}.{signature}").get(f"{API}/auth/me/")

    # then
    assert_refused(response)


@pytest.mark.django_db
def test_alg_none_token_is_rejected(owner):
    # given an unsigned token with valid claims
    token = jwt.encode(_claims(owner), None, algorithm="none")

    # when it is used
    response = bearer(token).get(f"{API}/auth/me/")

    # then
    assert_refused(response)


@pytest.mark.django_db
def test_token_signed_with_a_wrong_key_is_rejected(owner):
    # given valid claims signed with a key that is not Flowline's
    token = _signed(_claims(owner), key="not-the-signing-key-" * 3)

    # when it is used
    response = bearer(token).get(f"{API}/auth/me/")

    # then
    assert_refused(response)


@pytest.mark.django_db
def test_refresh_token_used_as_access_token_is_rejected(owner):
    # given a refresh token
    refresh = tokens.issue_pair(user=owner.user, account_id=owner.account_id)["refresh"]

    # when it is presented as a Bearer access token
    response = bearer(refresh).get(f"{API}/auth/me/")

    # then
    assert_refused(response)


@pytest.mark.django_db
def test_garbage_bearer_token_is_rejected(db):
    # when
    response = bearer("not.a.jwt").get(f"{API}/auth/me/")

    # then
    assert_refused(response)
