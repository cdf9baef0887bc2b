"""Posts routes; `config/api_router.py` mounts them (001: `social/posts/`,
`social/schedules/`; 001 AI: `ai/generate/social-post/`, `ai/generate/hashtags/`)."""

from django.urls import path

from flowline.posts.api import views

ROUTES = [
    ("social/posts", views.PostViewSet, "post"),
    ("social/schedules", views.ScheduleViewSet, "schedule"),
    ("social/slots", views.PostingSlotViewSet, "postingslot"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)


urlpatterns = [
    path(
        "ai/generate/social-post/", views.PostGenerateView.as_view(), name="ai-generate-social-post"
    ),
    path(
        "ai/generate/hashtags/", views.HashtagsGenerateView.as_view(), name="ai-generate-hashtags"
    ),
]
