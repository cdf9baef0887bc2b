"""Login lockout: django-axes counting per email and per address, and its answer.

Failed logins within the cool-off (`AXES_COOLOFF_TIME`) are counted three ways, each
against its own limit; reaching any one locks the login attempt out (429
`login_locked`) until the cool-off has passed since the last counted failure:

- one email from one address, `AXES_FAILURE_LIMIT` (5): guessing one password;
- one email from every address, `FLOWLINE_LOGIN_USER_FAILURE_LIMIT` (20): a distributed
  guess at one account;
- one address for every email, `FLOWLINE_LOGIN_ADDRESS_FAILURE_LIMIT` (20): one client
  trying many accounts.

Addresses come from `core.client_address` (forwarded headers only from trusted proxies,
an IPv6 client by its /64), so a client cannot shed its count by sending a new
`X-Forwarded-For` each time.

Why a victim cannot be locked out for ever by one attacker: one address adds at most
`AXES_FAILURE_LIMIT` failures to an email before that pair is locked, and failures while
locked are neither counted nor extend the lock
(`AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False`). Locking an email everywhere
therefore takes failures from at least USER_LIMIT / FAILURE_LIMIT (4) addresses within
one cool-off, and each of those addresses is itself locked after ADDRESS_LIMIT failures.
The lock ends one cool-off after the last failure that counted. A successful login
clears only its own email-and-address pair, so an attacker who signs in to an account
of their own does not wipe the failures counted from their address.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpResponse

from flowline.core.envelope import dumps, error_body


class LoginLockoutHandler(AxesDatabaseHandler):
    """axes' database handler with one limit per way of counting (module docstring)."""

    def _recent(self, request):
        attempts = AccessAttempt.objects.all()
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts

    def get_failures(self, request, credentials=None) -> int:
        """The failures that lock, on the scale of `AXES_FAILURE_LIMIT`: each count is
        scaled so that it reaches that limit exactly when it reaches its own."""
        username = get_client_username(request, credentials)
        address = request.axes_ip_address
        recent = self._recent(request)

        def total(**lookup) -> int:
            return recent.filter(**lookup).aggregate(n=Sum("failures_since_start"))["n"] or 0

        limit = get_failure_limit(request, credentials)
        user_limit = settings.FLOWLINE_LOGIN_USER_FAILURE_LIMIT
        address_limit = settings.FLOWLINE_LOGIN_ADDRESS_FAILURE_LIMIT
        return max(
            total(username=username, ip_address=address),
            total(username=username) * limit // user_limit,
            total(ip_address=address) * limit // address_limit,
        )

    def reset_user_attempts(self, request, credentials=None) -> int:
        """On success, forget the failures of this email from this address only."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count


def lockout_response(request, *args, **kwargs) -> HttpResponse:
    """What django-axes answers a locked-out login (the envelope, 429, Retry-After), in
    a seed contract's own error shape when the login was that contract's."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    body = error_body(
        message="Too many failed logins. Try again later.",
        code="login_locked",
        request=request,
        retry_after=seconds,
    )
    shape = getattr(request, "contract_errors", None)
    if shape is not None:
        body = shape.error(body)
    response = HttpResponse(dumps(body), status=429, content_type="application/json")
    response["Retry-After"] = str(seconds)
    return response
