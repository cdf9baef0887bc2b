"""Account pages; `config/urls.py` mounts them at the site root. The paths are the ones
Flowline's e-mails and redirects link to (`/verify-email`, `/reset-password`, ...)."""

from django.urls import path

from flowline.core.pages import nav
from flowline.core.roles import Role
from flowline.identity.pages import api_keys, settings, team, views

nav.register(
    nav.NavItem("Account", "Team", "console-team", "people", order=30, role=Role.ADMIN),
    nav.NavItem("Account", "Settings", "console-settings", "gear", order=80, role=Role.ADMIN),
    nav.NavItem(
        "Account",
        "API keys",
        "console-api-keys",
        "key",
        order=60,
        role=Role.ADMIN,
        matches=("console-api-key",),
    ),
)

urlpatterns = [
    path("login/", views.LoginPage.as_view(), name="console-login"),
    path("signup/", views.SignupPage.as_view(), name="console-signup"),
    path("signup/done/", views.SignupDonePage.as_view(), name="console-signup-done"),
    path("verify-email", views.VerifyEmailPage.as_view(), name="console-verify-email"),
    path("forgot-password", views.ForgotPasswordPage.as_view(), name="console-forgot-password"),
    path("reset-password", views.ResetPasswordPage.as_view(), name="console-reset-password"),
    path(
        "accept-invitation", views.AcceptInvitationPage.as_view(), name="console-accept-invitation"
    ),
    path(
        "auth/social/callback", views.SocialCallbackPage.as_view(), name="console-social-callback"
    ),
    path("logout/", views.LogoutView.as_view(), name="console-logout"),
    path("switch-account/", views.SwitchAccountView.as_view(), name="console-switch-account"),
    path("profile/", views.ProfilePage.as_view(), name="console-profile"),
    path("team/", team.TeamPage.as_view(), name="console-team"),
    path("settings/", settings.AccountSettingsPage.as_view(), name="console-settings"),
    path("api-keys/", api_keys.ApiKeysPage.as_view(), name="console-api-keys"),
    path("api-keys/<int:pk>/", api_keys.ApiKeyUsagePage.as_view(), name="console-api-key"),
]
