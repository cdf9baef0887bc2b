"""The analytics app's routes; `config/api_router.py` mounts them."""

from django.urls import path

from flowline.analytics.api import views


def register(router) -> None:
    router.register("analytics/events", views.AnalyticsEventViewSet, basename="analyticsevent")


urlpatterns = [
    path("analytics/dashboard/", views.DashboardView.as_view(), name="analytics-dashboard"),
    path("analytics/platforms/", views.PlatformsView.as_view(), name="analytics-platforms"),
    path("analytics/conversions/", views.ConversionsView.as_view(), name="analytics-conversions"),
    path("analytics/revenue/", views.RevenueView.as_view(), name="analytics-revenue"),
]
