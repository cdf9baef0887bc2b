"""Signed, expiring tokens for links in emails (verification, invitations)."""

from django.core import signing

from flowline.core.errors import ApplicationError

EMAIL_VERIFY_SALT = "flowline.identity.verify-email"
INVITATION_SALT = "flowline.identity.invitation"
EMAIL_VERIFY_MAX_AGE = 60 * 60 * 24 * 3
INVITATION_MAX_AGE = 60 * 60 * 24 * 7


def sign(payload: dict, *, salt: str) -> str:
    return signing.dumps(payload, salt=salt, compress=True)


def unsign(token: str, *, salt: str, max_age: int) -> dict:
    """The signed payload, or a 400 saying the link is invalid or expired."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ApplicationError("This link has expired.", code="link_expired") from exc
    except signing.BadSignature as exc:
        raise ApplicationError("This link is invalid.", code="link_invalid") from exc
