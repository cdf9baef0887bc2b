"""Social login (000 `social/auth/...`, 004 `auth/disconnect/{provider}`).

`init` answers the provider's authorization URL and sets an HttpOnly cookie that binds
the attempt to this browser. The provider sends the browser back to the redirect URI:
either a frontend page that posts `code` and `state` here as JSON (the answer is the
password login's), or this endpoint itself (GET, or Apple's form POST), which signs the
browser in with cookies and redirects to the frontend.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from flowline.core.envelope import ok
from flowline.core.errors import ApplicationError
from flowline.identity import tokens
from flowline.identity.api import serializers as s
from flowline.identity.api import social_serializers as ss
from flowline.identity.api.cookies import set_auth_cookies
from flowline.identity.api.views.auth import PublicView, _signed_in
from flowline.identity.social_login import flow, providers, selectors, services

BINDING_COOKIE = "flowline_social_login"
BINDING_PATH = "/api/v1/social/auth/"


def _bind_browser(response, start: flow.LoginStart) -> None:
    # Lax: sent when the provider redirects the browser back (a top-level GET). A form
    # POST from the provider (Apple) is cross-site and needs SameSite=None (HTTPS only).
    response.set_cookie(
        BINDING_COOKIE,
        start.browser_key,
        max_age=start.expires_in,
        path=BINDING_PATH,
        httponly=True,
        secure=settings.AUTH_COOKIE_SECURE or start.form_post,
        samesite="None" if start.form_post else "Lax",
        domain=settings.AUTH_COOKIE_DOMAIN,
    )


def _unbind_browser(response) -> None:
    response.delete_cookie(BINDING_COOKIE, path=BINDING_PATH, domain=settings.AUTH_COOKIE_DOMAIN)


def _frontend(path: str, **query) -> str:
    url = f"{settings.FRONTEND_URL.rstrip('/')}{path}"
    return f"{url}?{urlencode(query)}" if query else url


class SocialProvidersView(PublicView):
    @extend_schema(responses=ss.SocialProviderSerializer(many=True), tags=["social-login"])
    def get(self, request):
        """The providers this server can sign in with."""
        return ok([{"id": spec.id, "name": spec.name} for spec in providers.configured()])


class SocialLoginInitView(PublicView):
    @extend_schema(
        parameters=[
            OpenApiParameter("platform", str, OpenApiParameter.PATH, enum=list(providers.SPECS)),
            OpenApiParameter("cookie", bool, required=False),
            OpenApiParameter("next", str, required=False),
            OpenApiParameter("redirect", bool, required=False),
        ],
        responses={200: ss.SocialInitOutput, 302: OpenApiResponse(description="To the provider")},
        tags=["social-login"],
    )
    def get(self, request, platform: str):
        """Start signing in with `platform`: the authorization URL to send the browser to."""
        payload = ss.SocialInitInput(data=request.query_params.dict())
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        start = flow.login_start(
            request=request._request,
            provider_id=platform,
            cookie=data["cookie"],
            next_path=data["next"],
        )
        if data["redirect"]:
            response = HttpResponseRedirect(start.authorization_url)
        else:
            response = ok(
                {
                    "provider": start.provider,
                    "authorization_url": start.authorization_url,
                    "state": start.state,
                    "expires_in": start.expires_in,
                }
            )
        _bind_browser(response, start)
        return response


class SocialLoginCallbackView(PublicView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        request=ss.SocialCallbackInput,
        responses={
            200: s.LoginOutput,
            302: OpenApiResponse(description="A form post (Apple): to the frontend, as GET"),
        },
        tags=["social-login"],
        description=(
            "The frontend posts the `code` and `state` the provider sent to its redirect "
            "page (JSON). Answers as `auth/login/`: the token pair, or cookies when the "
            "attempt was started with `cookie=true`. A form post straight from the provider "
            "(Apple) is answered like GET."
        ),
    )
    def post(self, request):
        if request.content_type.startswith("application/json"):
            return self._api(request)
        return self._browser(request, request.data)

    @extend_schema(
        parameters=[
            OpenApiParameter("code", str, required=False),
            OpenApiParameter("state", str),
            OpenApiParameter("error", str, required=False),
        ],
        responses={302: OpenApiResponse(description="To the frontend, signed in by cookies")},
        tags=["social-login"],
        description=(
            "For a redirect URI pointing at the API: signs the browser in with cookies and "
            "redirects to FRONTEND_URL + `next`, or to FRONTEND_URL/login?social_error=<code>."
        ),
    )
    def get(self, request):
        return self._browser(request, request.query_params)

    def _complete(self, request, params) -> tuple[flow.LoginAttempt, services.SocialSignIn]:
        payload = ss.SocialCallbackInput(data=params)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        return services.social_login_callback(
            request=request._request,
            state=data["state"],
            browser_key=request.COOKIES.get(BINDING_COOKIE, ""),
            code=data.get("code", ""),
            error=data.get("error", ""),
        )

    def _api(self, request):
        attempt, result = self._complete(request, request.data)
        name = providers.SPECS[attempt.provider].name
        message = f"Signed up with {name}" if result.created else "Login successful"
        response = _signed_in(
            request, result.user, result.membership, cookie=attempt.cookie, message=message
        )
        _unbind_browser(response)
        return response

    def _browser(self, request, params):
        try:
            # A form body or query string is a QueryDict; an empty body parses to a dict.
            fields = params.dict() if hasattr(params, "dict") else dict(params)
            attempt, result = self._complete(request, fields)
        except ApplicationError as exc:
            response = HttpResponseRedirect(_frontend("/login", social_error=exc.code))
        except ValidationError:
            response = HttpResponseRedirect(_frontend("/login", social_error="validation_error"))
        else:
            response = HttpResponseRedirect(_frontend(attempt.next_path))
            pair = tokens.issue_pair(user=result.user, account_id=result.membership.account_id)
            set_auth_cookies(response, pair)
        _unbind_browser(response)
        return response


class SocialConnectionsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ss.SocialConnectionSerializer(many=True), tags=["social-login"])
    def get(self, request):
        """The providers linked to the signed-in user."""
        links = selectors.social_connections(user=request.user)
        return ok(ss.SocialConnectionSerializer(links, many=True).data)


class SocialDisconnectView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses=ss.SocialDisconnectOutput,
        parameters=[
            OpenApiParameter(
                "provider", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(providers.SPECS)
            )
        ],
        tags=["auth"],
    )
    def post(self, request, provider: str):
        """Unlink a sign-in provider; refused (409) when it is the last way to sign in."""
        remaining = services.social_account_disconnect(user=request.user, provider=provider)
        name = providers.SPECS[provider].name
        return ok({"provider": provider, "connected": remaining}, message=f"{name} disconnected.")
