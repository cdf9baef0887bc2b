"""Base views of the console's pages: authentication, roles, error states, htmx."""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from django_htmx.middleware import HtmxDetails
from rest_framework.exceptions import ValidationError as DRFValidationError

from flowline.core import csrf, tenancy
from flowline.core.errors import ApplicationError
from flowline.core.pages import auth, shell
from flowline.core.pages.api import Endpoint
from flowline.core.roles import Role, at_least

logger = logging.getLogger("flowline.pages")


def safe_next(request: HttpRequest, default: str = "/") -> str:
    """Where a form asked to go next (`next`, posted or in the query): a path on this
    site, never another host (an open redirect); else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or default
    if (
        url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and target.startswith("/")
        and not target.startswith("//")
    ):
        return target
    return default


def error_messages(exc: Exception) -> tuple[str, dict]:
    """A message and per-field errors, from a service's or a serializer's refusal."""
    if isinstance(exc, ApplicationError):
        return exc.message, dict(exc.errors or {})
    if isinstance(exc, DRFValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        fields = {name: [str(m) for m in _as_list(msgs)] for name, msgs in detail.items()}
        general = fields.pop("non_field_errors", None)
        message = general[0] if general else "Please correct the fields below."
        return message, fields
    return "Something went wrong.", {}


def _as_list(value):
    if isinstance(value, dict):
        return [f"{key}: {', '.join(map(str, _as_list(v)))}" for key, v in value.items()]
    return value if isinstance(value, list) else [value]


class PageRequest(HttpRequest):
    """A page's request as the middleware leaves it (`htmx` from django-htmx's), for the
    type checker: pages read these attributes."""

    htmx: HtmxDetails
    request_id: str | None


# The console has its own double-submit check (the API's), so Django's form token is not used.
@method_decorator(csrf_exempt, name="dispatch")
class PublicPage(TemplateView):
    """A page anyone may open: log in, sign up, reset a password, accept an invitation."""

    request: PageRequest
    title = ""

    def dispatch(self, request, *args, **kwargs):
        if request.method not in csrf.SAFE_METHODS and not auth.check_anonymous_csrf(request):
            return self.error_page(403, "This form has expired. Reload the page and try again.")
        try:
            response = self.handle(request, *args, **kwargs)
        except ApplicationError as exc:
            response = self.application_error(exc)
        except Http404:
            response = self.error_page(404, "This page does not exist or is not yours to see.")
        auth.ensure_csrf_cookie(request, response)
        return response

    def handle(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    signed_in = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("title", self.title)
        context["shell"] = shell.shell_context(self.request, signed_in=self.signed_in)
        return context

    def application_error(self, exc: ApplicationError) -> HttpResponse:
        """A refusal the page did not handle itself: its message, with its status."""
        return self.error_page(exc.status_code, exc.message)

    def error_page(self, status: int, message: str) -> HttpResponse:
        template = "pages/components/alert.html" if self.request.htmx else "pages/error.html"
        context = {"status": status, "message": message, "level": "danger"}
        context["title"] = f"Error {status}"
        context["shell"] = shell.shell_context(self.request, signed_in=self.signed_in)
        return render(self.request, template, context, status=status)


class Page(PublicPage):
    """A page for a signed-in member, with the same roles as the API.

    Safe methods need `read_role`, others `write_role` (per action name in `action_roles`,
    read from the POSTed `action`). Another account's object raises Http404 in the
    selectors, as in the API, and becomes the 404 page.
    """

    read_role = Role.VIEWER
    write_role = Role.EDITOR
    action_roles: dict[str, str] = {}

    def handle(self, request, *args, **kwargs):
        try:
            user = auth.authenticate(request)
        except auth.PageAuthError:
            return self.error_page(403, "This form has expired. Reload the page and try again.")
        if user is None:
            return self.signed_out()
        self.signed_in = True
        self.context = tenancy.require()
        if not at_least(self.context.role, self.required_role()):
            return self.error_page(403, "Your role in this account does not allow this.")
        return super().handle(request, *args, **kwargs)

    def required_role(self) -> str:
        if self.request.method in csrf.SAFE_METHODS:
            return self.read_role
        action = self.request.POST.get("action", "")
        return self.action_roles.get(action, self.write_role)

    def fetched(self, endpoint: Endpoint, **url_kwargs) -> dict:
        """The `data` of what `endpoint` answers a GET for `url_kwargs` (the page's object),
        asked once per request however often the page reads it; a refusal (another
        account's object, or none) is the 404 page."""
        cache = self.__dict__.setdefault("_fetched", {})
        key = (id(endpoint), tuple(sorted(url_kwargs.items())))
        if key not in cache:
            answer = endpoint.call(self.request, **url_kwargs)
            if not answer.ok:
                raise Http404
            cache[key] = answer.data
        return cache[key]

    def can(self, role: str) -> bool:
        """For templates: whether the member may do what needs `role`."""
        return at_least(self.context.role, role)

    def signed_out(self) -> HttpResponse:
        """No valid access cookie: resume the session (refresh) in the browser, or log in.

        The browser may hold a refresh token (its cookie is sent only to the API's auth
        path) or may have arrived from another site, where SameSite=Strict cookies are not
        sent at all; the resume page tries a same-site refresh, then comes back.
        """
        if self.request.htmx:
            response = HttpResponse(status=401)
            response["HX-Trigger"] = "session-expired"
            return response
        context: dict[str, object] = {
            "next": self.request.get_full_path(),
            "title": "Signing you in",
        }
        context["shell"] = shell.shell_context(self.request, signed_in=False)
        return render(self.request, "pages/resume.html", context, status=401)
