"""Records every request made with an API key (its usage log and last-used time)."""

from datetime import timedelta

from django.utils import timezone

from flowline.core.client_address import client_address
from flowline.identity.models import ApiKey, ApiKeyUsage

_LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiKeyUsageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        api_key = getattr(request, "api_key", None)
        if api_key is not None:
            now = timezone.now()
            ApiKeyUsage.objects.create(
                api_key_id=api_key.id,
                method=request.method,
                path=request.path[:500],
                status_code=response.status_code,
                ip_address=client_address(request),
            )
            # One write a minute at most: last_used_at is for humans, not for audit.
            ApiKey.unscoped.filter(id=api_key.id).exclude(
                last_used_at__gt=now - _LAST_USED_RESOLUTION
            ).update(last_used_at=now)
        return response
