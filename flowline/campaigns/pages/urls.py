from django.urls import path

from flowline.campaigns.pages import views
from flowline.core.pages import nav

nav.register(
    nav.NavItem(
        "Social",
        "Campaigns",
        "console-campaigns",
        "flag",
        order=50,
        matches=("console-campaign*",),
    )
)

urlpatterns = [
    path("campaigns/", views.CampaignListPage.as_view(), name="console-campaigns"),
    path("campaigns/new/", views.CampaignCreatePage.as_view(), name="console-campaign-new"),
    path("campaigns/<int:pk>/", views.CampaignPage.as_view(), name="console-campaign"),
]
