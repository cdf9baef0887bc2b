from django.urls import path

from flowline.core.pages import nav
from flowline.writer.pages import taxonomies, views

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
    nav.NavItem(
        "SEO",
        "Categories & tags",
        "console-taxonomies",
        "tags",
        order=55,
        matches=("console-taxonomy*",),
    ),
)

urlpatterns = [
    path("writer/tasks/", views.TaskListPage.as_view(), name="console-writer-tasks"),
    path("writer/tasks/write/", views.WritePage.as_view(), name="console-writer-write"),
    path("writer/content/", views.ContentListPage.as_view(), name="console-contents"),
    path("writer/content/<int:pk>/", views.ContentPage.as_view(), name="console-content"),
    path("writer/taxonomies/", taxonomies.TaxonomyListPage.as_view(), name="console-taxonomies"),
    path(
        "writer/taxonomies/new/",
        taxonomies.TaxonomyFormPage.as_view(),
        name="console-taxonomy-new",
    ),
    path(
        "writer/taxonomies/<int:pk>/",
        taxonomies.TaxonomyFormPage.as_view(),
        name="console-taxonomy",
    ),
]
