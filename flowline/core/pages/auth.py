"""Who is asking for a page: the API's cookie authentication, run for a Django view."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string
from rest_framework import exceptions
from rest_framework.request import Request

from flowline.core import csrf


class PageAuthError(Exception):
    """The request carried auth cookies that were refused (CSRF or a forged token)."""


def authenticate(request):
    """Sign the request in from its auth cookies; returns the user or None.

    The authentication class is the API's (`FLOWLINE_PAGE_AUTHENTICATION`, by dotted path so
    core does not import identity). It checks the double-submit CSRF token on unsafe
    methods and activates the tenant context, as for an API call. An expired or revoked
    token is None: the page then offers to resume the session or to log in.
    """
    if settings.AUTH_COOKIE_ACCESS not in request.COOKIES:
        return None
    # Pages only use cookies: an Authorization header on a page request is ignored.
    request.META.pop("HTTP_AUTHORIZATION", None)
    # A plain form echoes the token in a field; the API's check reads the header.
    if (
        request.method not in csrf.SAFE_METHODS
        and settings.AUTH_CSRF_HEADER not in request.META
        and csrf.double_submit_ok(request, allow_form_field=True)
    ):
        request.META[settings.AUTH_CSRF_HEADER] = request.POST.get(csrf.FORM_FIELD, "")
    authenticator = import_string(settings.FLOWLINE_PAGE_AUTHENTICATION)()
    try:
        result = authenticator.authenticate(Request(request))
    except exceptions.AuthenticationFailed:
        return None
    except exceptions.PermissionDenied as exc:
        raise PageAuthError(str(exc.detail)) from exc
    if result is None:
        return None
    request.user = result[0]
    # The console renews the session a minute before the access token runs out.
    request.access_expires_at = result[1].get("exp") if hasattr(result[1], "get") else None
    return result[0]


def check_anonymous_csrf(request) -> bool:
    """Forms of signed-out pages (login, sign-up) use the same double-submit token."""
    return csrf.double_submit_ok(request, allow_form_field=True)


def ensure_csrf_cookie(request, response) -> None:
    """Give a signed-out browser the token its forms will echo."""
    if settings.AUTH_COOKIE_CSRF not in request.COOKIES:
        response.set_cookie(
            settings.AUTH_COOKIE_CSRF,
            getattr(request, "_pages_csrf", None) or csrf.new_token(),
            httponly=False,
            path="/",
            secure=settings.AUTH_COOKIE_SECURE,
            samesite=settings.AUTH_COOKIE_SAMESITE,
            domain=settings.AUTH_COOKIE_DOMAIN,
        )


def csrf_token_for(request) -> str:
    """The token this page's forms and htmx requests echo (new for a new browser)."""
    token = request.COOKIES.get(settings.AUTH_COOKIE_CSRF)
    if not token:
        token = getattr(request, "_pages_csrf", None)
        if token is None:
            token = request._pages_csrf = csrf.new_token()
    return token
