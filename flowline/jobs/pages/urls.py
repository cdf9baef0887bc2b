from django.urls import path

from flowline.core.pages import nav
from flowline.jobs.pages import views

nav.register(
    nav.NavItem("Overview", "Jobs", "console-jobs", "activity", order=20, matches=("console-job",))
)

urlpatterns = [
    path("jobs/", views.JobListPage.as_view(), name="console-jobs"),
    path("jobs/<str:pk>/", views.JobPage.as_view(), name="console-job"),
]
