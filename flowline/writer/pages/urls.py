from django.urls import path

from flowline.core.pages import nav
from flowline.writer.pages import views

nav.register(
    nav.NavItem(
        "SEO",
        "Writer tasks",
        "console-writer-tasks",
        "list-check",
        order=40,
        matches=("console-writer-*",),
    ),
    nav.NavItem(
        "SEO",
        "Content",
        "console-contents",
        "file-earmark-text",
        order=50,
        matches=("console-content",),
    ),
)

urlpatterns = [
    path("writer/tasks/", views.TaskListPage.as_view(), name="console-writer-tasks"),
    path("writer/tasks/write/", views.WritePage.as_view(), name="console-writer-write"),
    path("writer/content/", views.ContentListPage.as_view(), name="console-contents"),
    path("writer/content/<int:pk>/", views.ContentPage.as_view(), name="console-content"),
]
