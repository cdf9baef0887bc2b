"""The double-submit CSRF check that cookie-authenticated API calls and console pages share.

The browser holds a readable `csrf_access_token` cookie; a same-origin page echoes it in the
`X-CSRF-Token` header (or, for a plain form, a `csrf_token` field). Another origin cannot
read the cookie, so it cannot echo it.
"""

import hmac
import secrets

from django.conf import settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FORM_FIELD = "csrf_token"


def double_submit_ok(request, *, allow_form_field: bool = False) -> bool:
    """True for a safe method, or when the echoed token equals the cookie."""
    if request.method in SAFE_METHODS:
        return True
    cookie = request.COOKIES.get(settings.AUTH_COOKIE_CSRF, "")
    echoed = request.META.get(settings.AUTH_CSRF_HEADER, "")
    if not echoed and allow_form_field:
        echoed = request.POST.get(FORM_FIELD, "")
    return bool(cookie) and hmac.compare_digest(cookie, echoed)


def new_token() -> str:
    return secrets.token_urlsafe(32)
