"""What django-axes answers when an email/address pair is locked out."""

from django.conf import settings
from django.http import HttpResponse

from flowline.core.envelope import dumps, error_body


def lockout_response(request, *args, **kwargs) -> HttpResponse:
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    body = error_body(
        message="Too many failed logins. Try again later.",
        code="login_locked",
        request=request,
        retry_after=seconds,
    )
    response = HttpResponse(dumps(body), status=429, content_type="application/json")
    response["Retry-After"] = str(seconds)
    return response
