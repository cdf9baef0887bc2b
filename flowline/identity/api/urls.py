"""Identity routes: `auth/...`, `account/...`, `user/export/`; `config/api_router.py`
mounts them."""

from django.urls import path

from flowline.identity.api.views import accounts, api_keys, auth, export, groups, members, social

ROUTES = [
    ("auth/groups", groups.GroupViewSet, "group"),
    ("auth/users", members.UserViewSet, "user"),
    ("auth/invitations", members.InvitationViewSet, "invitation"),
    ("auth/accounts", accounts.AccountViewSet, "account"),
    ("auth/api-keys", api_keys.ApiKeyViewSet, "apikey"),
    # 002 account management
    ("account/team", members.TeamViewSet, "team"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)


auth_urls = [
    path("register/", auth.RegisterView.as_view(), name="auth-register"),
    path("login/", auth.LoginView.as_view(), name="auth-login"),
    path("refresh/", auth.RefreshView.as_view(), name="auth-refresh"),
    path("logout/", auth.LogoutView.as_view(), name="auth-logout"),
    path("logout-everywhere/", auth.LogoutEverywhereView.as_view(), name="auth-logout-everywhere"),
    path("me/", auth.MeView.as_view(), name="auth-me"),
    path("switch-account/", auth.SwitchAccountView.as_view(), name="auth-switch-account"),
    path("change-password/", auth.ChangePasswordView.as_view(), name="auth-change-password"),
    path("password-reset/", auth.PasswordResetView.as_view(), name="auth-password-reset"),
    path(
        "password-reset/confirm/",
        auth.PasswordResetConfirmView.as_view(),
        name="auth-password-reset-confirm",
    ),
    path("verify-email/", auth.VerifyEmailView.as_view(), name="auth-verify-email"),
    path(
        "verify-email/send/",
        auth.SendVerificationEmailView.as_view(),
        name="auth-verify-email-send",
    ),
    path("profile/", auth.ProfileView.as_view(), name="auth-profile"),
    path("invitations/accept/", auth.AcceptInvitationView.as_view(), name="auth-invitation-accept"),
    path(
        "disconnect/<str:provider>/",
        social.SocialDisconnectView.as_view(),
        name="auth-social-disconnect",
    ),
]

account_urls = [
    path("settings/", accounts.AccountSettingsView.as_view(), name="account-settings"),
    path("usage/analytics/", accounts.UsageAnalyticsView.as_view(), name="account-usage-analytics"),
    path("export/", export.AccountExportView.as_view(), name="account-export"),
    path(
        "export/<uuid:task_id>/download/",
        export.AccountExportDownloadView.as_view(),
        name="account-export-download",
    ),
]

user_urls = [
    path("export/", export.UserExportView.as_view(), name="user-export"),
]

# Social login (000 social, 004 auth), mounted at `social/auth/`.
social_auth_urls = [
    path("providers/", social.SocialProvidersView.as_view(), name="social-auth-providers"),
    path("connections/", social.SocialConnectionsView.as_view(), name="social-auth-connections"),
    path("callback/", social.SocialLoginCallbackView.as_view(), name="social-auth-callback"),
    path("<str:platform>/init/", social.SocialLoginInitView.as_view(), name="social-auth-init"),
]
