"""Account pages. Each validates with the API's input serializer and calls the same service
as the matching `auth/...` endpoint; signing in sets the same cookies as cookie-mode login."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from flowline.core.errors import ApplicationError
from flowline.core.pages.forms import FormMixin
from flowline.core.pages.views import Page, PublicPage, safe_next
from flowline.core.roles import Role
from flowline.identity import tokens
from flowline.identity.api import serializers as s
from flowline.identity.api.cookies import clear_auth_cookies, set_auth_cookies
from flowline.identity.services import accounts, invitations, sessions, users
from flowline.identity.social_login import providers


def signed_in_redirect(request, user, membership, to: str):
    response = redirect(to)
    set_auth_cookies(response, tokens.issue_pair(user=user, account_id=membership.account_id))
    return response


class LoginPage(FormMixin, PublicPage):
    hashes_passwords = True  # served by its own threads (flowline.core.asgi)
    template_name = "identity/pages/login.html"
    title = "Log in"
    input_serializer = s.LoginInput

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = safe_next(self.request)
        context["social_providers"] = providers.configured()
        context["social_error"] = self.request.GET.get("social_error")
        return context

    def form_valid(self, data):
        user, membership = users.user_login(
            request=self.request, email=data["email"], password=data["password"]
        )
        return signed_in_redirect(self.request, user, membership, safe_next(self.request))


class SignupPage(FormMixin, PublicPage):
    hashes_passwords = True  # served by its own threads (flowline.core.asgi)
    template_name = "identity/pages/signup.html"
    title = "Create your account"
    input_serializer = s.RegisterInput

    def form_valid(self, data):
        users.user_register(**data)
        # The same answer whether the address was new or not: sign-up reveals nothing.
        return redirect(f"{reverse('console-signup-done')}?email={data['email'].lower()}")


class SignupDonePage(PublicPage):
    template_name = "identity/pages/signup_done.html"
    title = "Check your email"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "email": self.request.GET.get("email", "")}


class VerifyEmailPage(PublicPage):
    """The e-mailed link lands here and confirms the address."""

    template_name = "identity/pages/verify_email.html"
    title = "Verify your email"

    def get(self, request, *args, **kwargs):
        try:
            user = users.email_verification_confirm(token=request.GET.get("token", ""))
        except ApplicationError as exc:
            return self.render_to_response(self.get_context_data(error=exc.message), status=400)
        return self.render_to_response(self.get_context_data(email=user.email))


class ForgotPasswordPage(FormMixin, PublicPage):
    template_name = "identity/pages/forgot_password.html"
    title = "Reset your password"
    input_serializer = s.PasswordResetInput

    def form_valid(self, data):
        users.password_reset_request(email=data["email"])
        return self.render_to_response(self.get_context_data(sent=True, email=data["email"]))


class ResetPasswordPage(FormMixin, PublicPage):
    """The e-mailed reset link (`uid`, `token` in the query) lands here."""

    hashes_passwords = True  # served by its own threads (flowline.core.asgi)

    template_name = "identity/pages/reset_password.html"
    title = "Choose a new password"
    input_serializer = s.PasswordResetConfirmInput

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.POST if self.request.method == "POST" else self.request.GET
        context.update(uid=params.get("uid", ""), token=params.get("token", ""))
        return context

    def form_valid(self, data):
        users.password_reset_confirm(**data)
        messages.success(self.request, "Your password has been reset. Log in with it.")
        return redirect("console-login")


class AcceptInvitationPage(FormMixin, PublicPage):
    """The invitation link lands here; a new member chooses a password, an existing user
    confirms with theirs. Accepting signs them in to the account."""

    hashes_passwords = True  # served by its own threads (flowline.core.asgi)

    template_name = "identity/pages/accept_invitation.html"
    title = "Join an account"
    input_serializer = s.AcceptInvitationInput

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.POST if self.request.method == "POST" else self.request.GET
        token = params.get("token", "")
        context["token"] = token
        try:
            context["invitation"] = invitations.invitation_preview(token=token)
        except ApplicationError as exc:
            context["invalid"] = exc.message
        return context

    def form_valid(self, data):
        user, membership = invitations.invitation_accept(**data)
        messages.success(self.request, "Welcome! You have joined the account.")
        return signed_in_redirect(self.request, user, membership, "/")


class SocialCallbackPage(PublicPage):
    """Social login providers send the browser back here (`FRONTEND_URL/auth/social/callback`);
    the page hands `code` and `state` to the API, which signs the browser in by cookies."""

    template_name = "identity/pages/social_callback.html"
    title = "Signing you in"


class LogoutView(PublicPage):
    """Ends the sign-in of the access cookie (its access tokens are refused from now on)
    and clears the auth cookies. The refresh token is revoked by the API's logout, which
    the page calls first (its cookie is only sent to API paths, below /api/)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        access = request.COOKIES.get(settings.AUTH_COOKIE_ACCESS)
        sessions.session_end(raw=None, access_session=tokens.access_session(access))
        response = redirect(f"{reverse('console-login')}?logged_out=1")
        clear_auth_cookies(response)
        return response


class SwitchAccountView(FormMixin, Page):
    http_method_names = ["post"]
    read_role = write_role = Role.VIEWER
    input_serializer = s.SwitchAccountInput

    def form_valid(self, data):
        membership = accounts.account_switch(user=self.request.user, account_id=data["account_id"])
        return signed_in_redirect(self.request, self.request.user, membership, "/")

    def form_invalid(self, *, message, errors, values):
        return self.error_page(400, message)


class ProfilePage(FormMixin, Page):
    template_name = "identity/pages/profile.html"
    title = "Your profile"
    read_role = write_role = Role.VIEWER
    input_serializer = s.ProfileInput

    def get_serializer_class(self):
        if self.request.POST.get("action") == "password":
            return s.ChangePasswordInput
        return s.ProfileInput

    def post(self, request, *args, **kwargs):
        self.input_serializer = self.get_serializer_class()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["profile"] = self.request.user
        context["themes"] = self.request.user.Theme.choices
        return context

    def form_valid(self, data):
        if self.input_serializer is s.ChangePasswordInput:
            users.password_change(user=self.request.user, **data)
            messages.success(self.request, "Password changed. Log in again with the new one.")
            response = redirect("console-login")
            clear_auth_cookies(response)
            return response
        users.profile_update(user=self.request.user, **data)
        messages.success(self.request, "Profile saved.")
        return redirect("console-profile")
