"""Browser mode: the JWT pair in HttpOnly cookies plus a readable CSRF cookie."""

from django.conf import settings
from django.utils.dateparse import parse_datetime

from flowline.core.csrf import new_token


def set_auth_cookies(response, tokens: dict) -> None:
    common = {
        "secure": settings.AUTH_COOKIE_SECURE,
        "samesite": settings.AUTH_COOKIE_SAMESITE,
        "domain": settings.AUTH_COOKIE_DOMAIN,
    }
    response.set_cookie(
        settings.AUTH_COOKIE_ACCESS,
        tokens["access"],
        httponly=True,
        path="/",
        expires=parse_datetime(tokens["access_expires_at"]),
        **common,
    )
    response.set_cookie(
        settings.AUTH_COOKIE_REFRESH,
        tokens["refresh"],
        httponly=True,
        path=settings.AUTH_COOKIE_REFRESH_PATH,
        expires=parse_datetime(tokens["refresh_expires_at"]),
        **common,
    )
    # Readable by the frontend, which echoes it in X-CSRF-Token (double submit).
    response.set_cookie(
        settings.AUTH_COOKIE_CSRF,
        new_token(),
        httponly=False,
        path="/",
        expires=parse_datetime(tokens["refresh_expires_at"]),
        **common,
    )


def clear_auth_cookies(response) -> None:
    for name, path in (
        (settings.AUTH_COOKIE_ACCESS, "/"),
        (settings.AUTH_COOKIE_REFRESH, settings.AUTH_COOKIE_REFRESH_PATH),
        (settings.AUTH_COOKIE_CSRF, "/"),
    ):
        response.delete_cookie(
            name,
            path=path,
            domain=settings.AUTH_COOKIE_DOMAIN,
            samesite=settings.AUTH_COOKIE_SAMESITE,
        )


def without_secrets(tokens: dict) -> dict:
    """What the body says in cookie mode: only when the tokens expire."""
    return {k: tokens[k] for k in ("access_expires_at", "refresh_expires_at")}
