from django.urls import path

from flowline.core.pages import nav
from flowline.posts.pages import calendar, composer, views

nav.register(
    nav.NavItem("Social", "Posts", "console-posts", "send", order=20, matches=("console-post*",)),
    nav.NavItem("Social", "Calendar", "console-calendar", "calendar3", order=30),
    nav.NavItem("Social", "Approvals", "console-approvals", "check2-square", order=40),
)

urlpatterns = [
    path("social/posts/", views.PostListPage.as_view(), name="console-posts"),
    path("social/posts/new/", composer.ComposerPage.as_view(), name="console-post-new"),
    path("social/posts/import/", views.ImportPage.as_view(), name="console-posts-import"),
    path("social/posts/<int:pk>/", views.PostPage.as_view(), name="console-post"),
    path("social/posts/<int:pk>/edit/", composer.ComposerPage.as_view(), name="console-post-edit"),
    path("social/calendar/", calendar.CalendarPage.as_view(), name="console-calendar"),
    path("social/approvals/", views.ApprovalQueuePage.as_view(), name="console-approvals"),
]
