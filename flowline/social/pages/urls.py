from django.urls import path

from flowline.core.pages import nav
from flowline.social.pages import views

nav.register(
    nav.NavItem(
        "Social",
        "Accounts",
        "console-social-accounts",
        "people",
        order=10,
        matches=("console-social-connected",),
    )
)

urlpatterns = [
    path("social/accounts/", views.SocialAccountsPage.as_view(), name="console-social-accounts"),
    path("social/connected/", views.SocialConnectedPage.as_view(), name="console-social-connected"),
]
