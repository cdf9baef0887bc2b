"""What every sandbox view starts with: sandbox mode, or a 404."""

from __future__ import annotations

from django.http import Http404

from flowline.core.pages.views import PublicPage
from flowline.sandbox import providers


def require_sandbox() -> None:
    """A 404 outside sandbox mode: the sandbox's pages and fakes do not exist there."""
    if not providers.enabled():
        raise Http404


class SandboxPage(PublicPage):
    """A sandbox page: a 404 outside sandbox mode; `open()` loads what it shows (and may
    raise Http404 itself) once sandbox mode is known."""

    def handle(self, request, *args, **kwargs):
        require_sandbox()
        self.open(request, **kwargs)
        return super().handle(request, *args, **kwargs)

    def open(self, request, **kwargs) -> None:
        """Load what the page shows (its provider, session...); nothing by default."""
