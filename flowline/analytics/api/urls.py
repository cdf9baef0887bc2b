"""The analytics app's routes; `config/api_router.py` mounts them."""

from django.urls import path

from flowline.analytics.api import views

ROUTES = [
    ("analytics/events", views.AnalyticsEventViewSet, "analyticsevent"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)


urlpatterns = [
    path("analytics/dashboard/", views.DashboardView.as_view(), name="analytics-dashboard"),
    path("analytics/platforms/", views.PlatformsView.as_view(), name="analytics-platforms"),
    path("analytics/conversions/", views.ConversionsView.as_view(), name="analytics-conversions"),
    path("analytics/revenue/", views.RevenueView.as_view(), name="analytics-revenue"),
]
