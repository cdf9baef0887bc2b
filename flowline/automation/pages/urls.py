from django.urls import path

from flowline.automation.pages import views
from flowline.core.pages import nav

nav.register(
    nav.NavItem(
        "SEO",
        "Automation",
        "console-automation",
        "robot",
        order=60,
        matches=("console-automation",),
    )
)

urlpatterns = [
    path("automation/", views.AutomationPage.as_view(), name="console-automation"),
]
