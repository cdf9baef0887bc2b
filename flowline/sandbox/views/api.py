"""A provider's own API under `/sandbox/<provider>/<path>`, answered by the provider itself."""

from __future__ import annotations

from django.http import Http404
from django.views.decorators.csrf import csrf_exempt

from flowline.sandbox import http, providers
from flowline.sandbox.views.base import require_sandbox
from flowline.sandbox.views.signin import oidc_provider
from flowline.sandbox.views.stripe import stripe_api
from flowline.sandbox.views.wordpress import wordpress_site


@csrf_exempt
def provider_api(request, name: str, path: str = ""):
    """A provider's API, answered by the provider itself (Flowline's clients call this).
    The sandbox WordPress also shows its site to people, outside `/wp-json/`."""
    require_sandbox()
    provider = providers.get(name)
    if provider is None:
        raise Http404
    if name == "wordpress" and not path.startswith("wp-json/"):
        return wordpress_site(request, provider, path)
    if name == "stripe":
        return stripe_api(request, provider, path)
    if name == "oidc":
        return oidc_provider(request, provider, path)
    return http.serve(provider, request, path)
