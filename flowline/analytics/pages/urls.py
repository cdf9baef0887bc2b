from django.urls import path

from flowline.analytics.pages import views
from flowline.core.pages import nav

nav.register(nav.NavItem("Insights", "Analytics", "console-analytics", "graph-up", order=10))

urlpatterns = [
    path("analytics/", views.AnalyticsPage.as_view(), name="console-analytics"),
]
