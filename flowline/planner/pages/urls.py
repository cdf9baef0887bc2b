from django.urls import path

from flowline.core.pages import nav
from flowline.planner.pages import views

nav.register(
    nav.NavItem(
        "SEO", "Keywords", "console-keywords", "key", order=10, matches=("console-keywords-*",)
    ),
    nav.NavItem("SEO", "Clusters", "console-clusters", "diagram-3", order=20),
    nav.NavItem("SEO", "Ideas", "console-ideas", "lightbulb", order=30),
)

urlpatterns = [
    path("planner/keywords/", views.KeywordListPage.as_view(), name="console-keywords"),
    path(
        "planner/keywords/import/",
        views.KeywordImportPage.as_view(),
        name="console-keywords-import",
    ),
    path("planner/clusters/", views.ClusterListPage.as_view(), name="console-clusters"),
    path("planner/ideas/", views.IdeaListPage.as_view(), name="console-ideas"),
]
