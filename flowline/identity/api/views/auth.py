"""Sign-up, sign-in, tokens, passwords, email verification, profile (003 Auth module)."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.views import APIView

from flowline.core import tenancy
from flowline.core.envelope import ok
from flowline.core.errors import ApplicationError
from flowline.core.throttles import LoginIdentityThrottle, LoginThrottle, UserThrottle
from flowline.identity import tokens
from flowline.identity.api import serializers as s
from flowline.identity.api.cookies import clear_auth_cookies, set_auth_cookies, without_secrets
from flowline.identity.authentication import enforce_csrf, tenant_context_for
from flowline.identity.models import Membership, User
from flowline.identity.selectors import me_payload
from flowline.identity.services import accounts as account_services
from flowline.identity.services import invitations, sessions, users


def _signed_in(
    request, user: User, membership: Membership, *, cookie: bool, message: str, status=200
):
    """Token pair for `membership`, in the body or in cookies, with the user's profile."""
    pair = tokens.issue_pair(user=user, account_id=membership.account_id)
    ctx = tenant_context_for(membership)
    body = {
        "user": me_payload(user=user, membership=membership, ctx=ctx),
        "tokens": without_secrets(pair) if cookie else pair,
    }
    response = ok(body, message=message, status=status)
    if cookie:
        set_auth_cookies(response, pair)
    return response


class PublicView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle, LoginIdentityThrottle]


class RegisterView(PublicView):
    hashes_passwords = True  # served by its own threads (flowline.core.asgi)

    @extend_schema(request=s.RegisterInput, responses={201: s.PasswordResetInput}, tags=["auth"])
    def post(self, request):
        payload = s.RegisterInput(data=request.data)
        payload.is_valid(raise_exception=True)
        users.user_register(**payload.validated_data)
        # Same answer whether or not the email was new: registration reveals nothing.
        return ok(
            {"email": payload.validated_data["email"].lower(), "verification_required": True},
            message="Registration received. Check your email to verify your address.",
            status=201,
        )


class LoginView(PublicView):
    hashes_passwords = True  # served by its own threads (flowline.core.asgi)

    @extend_schema(request=s.LoginInput, responses=s.LoginOutput, tags=["auth"])
    def post(self, request):
        payload = s.LoginInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        user, membership = users.user_login(
            request=request._request, email=data["email"], password=data["password"]
        )
        return _signed_in(
            request, user, membership, cookie=data["cookie"], message="Login successful"
        )


class RefreshView(PublicView):
    """Rotates the refresh token: the old one is revoked, a new pair is returned."""

    @extend_schema(request=s.RefreshInput, responses=s.TokensSerializer, tags=["auth"])
    def post(self, request):
        payload = s.RefreshInput(data=request.data)
        payload.is_valid(raise_exception=True)
        raw = payload.validated_data.get("refresh")
        cookie = raw is None
        if cookie:
            raw = request.COOKIES.get(settings.AUTH_COOKIE_REFRESH)
            if not raw:
                raise ApplicationError(
                    "No refresh token given.", code="not_authenticated", status=401
                )
            enforce_csrf(request)
        pair = sessions.session_refresh(raw=raw)
        response = ok(without_secrets(pair) if cookie else pair, message="Token refreshed")
        if cookie:
            set_auth_cookies(response, pair)
        return response


class LogoutView(APIView):
    """Ends the sign-in (its refresh token, and its access tokens from the next request
    on) and clears auth cookies."""

    permission_classes = [AllowAny]

    @extend_schema(request=s.RefreshInput, responses=None, tags=["auth"])
    def post(self, request):
        payload = s.RefreshInput(data=request.data)
        payload.is_valid(raise_exception=True)
        raw = payload.validated_data.get("refresh") or request.COOKIES.get(
            settings.AUTH_COOKIE_REFRESH
        )
        sessions.session_end(raw=raw, access_session=tokens.session_of(request.auth))
        response = ok(None, message="Logged out")
        clear_auth_cookies(response)
        return response


class LogoutEverywhereView(APIView):
    """Logs every sign-in of the user out: each access and refresh token issued so far is
    refused from the next request on, on every device, and their sockets close."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=None, tags=["auth"])
    def post(self, request):
        sessions.sessions_end_all(user=request.user)
        response = ok(None, message="Logged out everywhere")
        clear_auth_cookies(response)
        return response


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.MeSerializer, tags=["auth"])
    def get(self, request):
        membership = request._request.membership
        return ok(me_payload(user=request.user, membership=membership, ctx=tenancy.require()))


class SwitchAccountView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.SwitchAccountInput, responses=s.LoginOutput, tags=["auth"])
    def post(self, request):
        payload = s.SwitchAccountInput(data=request.data)
        payload.is_valid(raise_exception=True)
        membership = account_services.account_switch(
            user=request.user, account_id=payload.validated_data["account_id"]
        )
        cookie = (
            settings.AUTH_COOKIE_ACCESS in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
        )
        return _signed_in(
            request, request.user, membership, cookie=cookie, message="Account switched"
        )


class ChangePasswordView(APIView):
    """Checks the current password, so it is throttled like a login: a stolen access
    token must not buy unlimited guesses at the password behind it."""

    hashes_passwords = True  # served by its own threads (flowline.core.asgi)

    permission_classes = [IsAuthenticated]
    throttle_classes = [UserThrottle, LoginThrottle, LoginIdentityThrottle]

    @extend_schema(request=s.ChangePasswordInput, responses=None, tags=["auth"])
    def post(self, request):
        payload = s.ChangePasswordInput(data=request.data)
        payload.is_valid(raise_exception=True)
        users.password_change(user=request.user, **payload.validated_data)
        return ok(None, message="Password changed successfully. Sign in again on other devices.")


class PasswordResetView(PublicView):
    @extend_schema(request=s.PasswordResetInput, responses=None, tags=["auth"])
    def post(self, request):
        payload = s.PasswordResetInput(data=request.data)
        payload.is_valid(raise_exception=True)
        users.password_reset_request(email=payload.validated_data["email"])
        return ok(None, message="If an account exists for this email, a reset link has been sent.")


class PasswordResetConfirmView(PublicView):
    hashes_passwords = True  # served by its own threads (flowline.core.asgi)

    @extend_schema(request=s.PasswordResetConfirmInput, responses=None, tags=["auth"])
    def post(self, request):
        payload = s.PasswordResetConfirmInput(data=request.data)
        payload.is_valid(raise_exception=True)
        users.password_reset_confirm(**payload.validated_data)
        return ok(None, message="Password has been reset. You can now log in.")


class VerifyEmailView(PublicView):
    @extend_schema(request=s.TokenInput, responses=None, tags=["auth"])
    def post(self, request):
        payload = s.TokenInput(data=request.data)
        payload.is_valid(raise_exception=True)
        user = users.email_verification_confirm(token=payload.validated_data["token"])
        return ok({"email": user.email, "email_verified": True}, message="Email verified.")


class SendVerificationEmailView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [LoginThrottle, LoginIdentityThrottle]

    @extend_schema(request=None, responses=None, tags=["auth"])
    def post(self, request):
        users.email_verification_send(user=request.user)
        return ok(None, message="If your address is not verified yet, a new link has been sent.")


class ProfileView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.UserSerializer, tags=["auth"])
    def get(self, request):
        return ok(s.UserSerializer(request.user).data)

    @extend_schema(request=s.ProfileInput, responses=s.UserSerializer, tags=["auth"])
    def patch(self, request):
        payload = s.ProfileInput(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        user = users.profile_update(user=request.user, **payload.validated_data)
        return ok(s.UserSerializer(user).data, message="Profile updated.")

    put = patch


class AcceptInvitationView(PublicView):
    hashes_passwords = True  # served by its own threads (flowline.core.asgi)

    @extend_schema(request=s.AcceptInvitationInput, responses=s.LoginOutput, tags=["auth"])
    def post(self, request):
        payload = s.AcceptInvitationInput(data=request.data)
        payload.is_valid(raise_exception=True)
        user, membership = invitations.invitation_accept(**payload.validated_data)
        return _signed_in(
            request, user, membership, cookie=False, message="Invitation accepted", status=201
        )
