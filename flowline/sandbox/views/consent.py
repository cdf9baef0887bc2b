"""The consent page a social platform or drive shows before its authorize endpoint."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404

from flowline.sandbox import providers
from flowline.sandbox.drives import fake_google, fake_microsoft
from flowline.sandbox.views.base import SandboxPage


class ConsentPage(SandboxPage):
    """The platform's or drive's "Allow Flowline to…?" page. Allow goes on to the
    provider's own authorize endpoint (which checks the client, PKCE and redirect URI,
    then redirects back with a code); Cancel goes back with `error=access_denied`, as
    the real services do."""

    template_name = "sandbox/consent.html"
    title = "Sandbox sign-in"

    def open(self, request, **kwargs) -> None:
        if kwargs["name"] not in providers.SOCIAL | providers.DRIVES:
            raise Http404

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        name = kwargs["name"]
        provider = providers.get(name)
        service = (providers.SOCIAL | providers.DRIVES)[name]
        registered = (
            settings.SOCIAL_OAUTH_REDIRECT_URI
            if name in providers.SOCIAL
            else settings.DRIVE_OAUTH_REDIRECT_URI
        )
        query = self.request.GET
        allow = f"{provider.root}{service['authorize']}?{query.urlencode()}"
        deny = ""
        # Back only to the redirect URI Flowline registered: the page is no open redirect.
        if query.get("redirect_uri") == registered:
            denied = {"error": "access_denied", "state": query.get("state", "")}
            deny = f"{registered}?{urlencode(denied)}"
        context.update(
            platform=service["label"],
            identity=_identity(name, provider),
            scopes=(query.get("scope") or "").replace(",", " ").split(),
            allow_url=allow,
            deny_url=deny,
            drive=name in providers.DRIVES,
        )
        return context


def _identity(name: str, provider) -> str:
    if name == "x":
        return f"@{provider.user['username']}"
    if name == "linkedin":
        return provider.member["name"]
    if name in providers.DRIVES:
        return fake_google.EMAIL if name == "google" else fake_microsoft.EMAIL
    pages = ", ".join(page["name"] for page in provider.pages.values())
    return f"the pages {pages}"
