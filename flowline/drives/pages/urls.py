from django.urls import path

from flowline.drives.pages import views

urlpatterns = [
    path("drives/connected/", views.DriveConnectedPage.as_view(), name="console-drive-connected"),
]
