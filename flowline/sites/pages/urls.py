from django.urls import path

from flowline.core.pages import nav
from flowline.sites.pages import views

nav.register(
    nav.NavItem(
        "Account", "Sites", "console-sites", "globe2", order=10, matches=("console-site-*",)
    )
)

urlpatterns = [
    path("sites/", views.SiteListPage.as_view(), name="console-sites"),
    path("sites/add/", views.SiteFormPage.as_view(), name="console-site-add"),
    path("sites/<int:pk>/", views.SiteFormPage.as_view(), name="console-site-edit"),
]
