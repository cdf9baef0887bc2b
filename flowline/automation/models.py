"""002 Automation: a site's pipeline configuration, its runs, and what each run logged.

A run moves a site's work through the stages keywords -> clusters -> ideas -> tasks ->
content -> image prompts -> images -> publish, within the configured limits. Its
`progress` records, per stage, the items it finished, so a paused, crashed or resumed run
continues at the stage and item where it stopped and never does an item twice.
"""

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q

from flowline.core.models import TimeStampedModel
from flowline.core.tenancy import TenantModel


class AutomationConfig(TenantModel, TimeStampedModel):
    """One site's automation: how many items each stage takes per run, and its schedule."""

    class Frequency(models.TextChoices):
        HOURLY = "hourly", "Hourly"
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    site = models.OneToOneField("sites.Site", on_delete=models.CASCADE, related_name="+")
    is_enabled = models.BooleanField(default=False, help_text="Run on the schedule.")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    scheduled_time = models.TimeField(
        default=time(2, 0), help_text="UTC time of day (daily, weekly)."
    )
    next_run_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    # Per-run limits of each stage; 0 leaves the stage out.
    keywords_per_run = models.PositiveIntegerField(default=20, help_text="Keywords clustered.")
    clusters_per_run = models.PositiveIntegerField(default=5, help_text="Clusters given ideas.")
    ideas_per_run = models.PositiveIntegerField(default=10, help_text="Ideas queued to the writer.")
    tasks_per_run = models.PositiveIntegerField(default=5, help_text="Articles written.")
    image_prompts_per_run = models.PositiveIntegerField(
        default=5, help_text="Articles given image prompts."
    )
    images_per_run = models.PositiveIntegerField(default=5, help_text="Articles illustrated.")
    publish_per_run = models.PositiveIntegerField(default=5, help_text="Articles published.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    tenant_site_lookup = "site_id"

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"automation of site {self.site_id}"


OPEN_STATUSES = ("queued", "running", "paused")


class AutomationRun(TenantModel):
    """One pass of a site's pipeline, manual or scheduled. At most one is open (queued,
    running or paused) per site: the database refuses a second."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Failed"

    class Trigger(models.TextChoices):
        MANUAL = "manual", "Manual"
        SCHEDULED = "scheduled", "Scheduled"

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="+")
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.MANUAL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=20, blank=True, help_text="The stage it is at.")
    control = models.CharField(max_length=10, blank=True, help_text="pause or cancel, when asked")
    job_id = models.UUIDField(null=True, blank=True, help_text="The job running it now.")
    progress = models.JSONField(default=dict, blank=True)
    current = models.JSONField(default=dict, blank=True, help_text="The step in progress.")
    credits_used = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    error_code = models.CharField(max_length=50, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    tenant_site_lookup = "site_id"

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["site"],
                condition=Q(status__in=OPEN_STATUSES),
                name="automation_one_open_run_per_site",
            )
        ]

    def __str__(self) -> str:
        return f"run {self.id} of site {self.site_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class AutomationLog(TenantModel):
    """A line of a run's log: what a stage did, skipped, charged or failed on."""

    class Level(models.TextChoices):
        INFO = "info", "Info"
        WARNING = "warning", "Warning"
        ERROR = "error", "Error"

    run = models.ForeignKey(AutomationRun, on_delete=models.CASCADE, related_name="logs")
    stage = models.CharField(max_length=20, blank=True)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.INFO)
    message = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    tenant_site_lookup = "run__site_id"

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.message
