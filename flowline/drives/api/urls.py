"""Routes of the drives app, mounted under /api/v1/ by config/api_router.py."""

from django.urls import path

from flowline.drives.api import views

ROUTES = [
    ("drive/connections", views.CloudConnectionViewSet, "cloudconnection"),
    ("cloud-files", views.SavedCloudFileViewSet, "savedcloudfile"),
]

urlpatterns = [
    path(
        "drive/connect/callback/",
        views.ConnectCallbackView.as_view(),
        name="drive-connect-callback",
    ),
    path(
        "drive/connect/<str:provider>/init/",
        views.ConnectInitView.as_view(),
        name="drive-connect-init",
    ),
    path("drive/files/", views.DriveFilesView.as_view(), name="drive-files"),
    path("drive/file/<str:file_id>/", views.DriveFileView.as_view(), name="drive-file"),
    path("drive/microsoft/files/", views.OneDriveFilesView.as_view(), name="drive-microsoft-files"),
    path(
        "drive/microsoft/file/<str:file_id>/",
        views.OneDriveFileView.as_view(),
        name="drive-microsoft-file",
    ),
    path("cloud/files/", views.CloudFilesView.as_view(), name="cloud-files-aggregated"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)
