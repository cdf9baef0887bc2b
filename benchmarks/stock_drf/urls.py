from django.urls import path

from benchmarks.stock_drf import views

urlpatterns = [
    path("api/v1/auth/me/", views.Me.as_view()),
    path("api/v1/auth/sites/", views.SiteList.as_view()),
    path("api/v1/auth/sites/<int:pk>/", views.SiteDetail.as_view()),
]
