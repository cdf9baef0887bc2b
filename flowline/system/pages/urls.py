from django.urls import path

from flowline.core.pages import nav, shell
from flowline.core.roles import Role
from flowline.system.pages import views

nav.register(
    nav.NavItem("Account", "Modules", "console-modules", "toggles", order=85, role=Role.ADMIN),
)
# Every member's own settings, beside their profile in the user menu.
shell.register_user_link(label="Your settings", url="/settings/user/", icon="sliders")

urlpatterns = [
    path("settings/modules/", views.ModuleSettingsPage.as_view(), name="console-modules"),
    path("settings/user/", views.UserSettingsPage.as_view(), name="console-user-settings"),
]
