"""Writer routes; `config/api_router.py` mounts them."""

from flowline.writer.api import views

ROUTES: list = [
    ("writer/tasks", views.TaskViewSet, "writer-task"),
    ("writer/content", views.ContentViewSet, "writer-content"),
    ("writer/images", views.ImageViewSet, "writer-image"),
    ("writer/taxonomies", views.TaxonomyViewSet, "writer-taxonomy"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)


urlpatterns: list = []
