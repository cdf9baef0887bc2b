"""Agent processes, their data sources, runs, what the runs loaded, and the matches found."""

from django.conf import settings
from django.db import models

from flowline.core.models import TimeStampedModel
from flowline.core.private_files import private_storage, random_name
from flowline.core.tenancy import TenantModel


class AgentProcess(TenantModel, TimeStampedModel):
    """A running instance of an AI agent over data sources (004 calls it the agent)."""

    class Status(models.TextChoices):
        IDLE = "idle", "Idle"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        STOPPED = "stopped", "Stopped"

    class Mode(models.TextChoices):
        MANUAL = "manual", "Manual"
        SCHEDULED = "scheduled", "Scheduled"

    agent = models.ForeignKey("ai.AIAgent", on_delete=models.PROTECT, related_name="processes")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.IDLE)
    execution_mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.MANUAL)
    schedule_interval_seconds = models.PositiveIntegerField(null=True, blank=True)
    next_run_at = models.DateTimeField(null=True, blank=True, db_index=True)
    notification_emails = models.JSONField(default=list, blank=True)
    connection_emails = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "agent processes"

    def __str__(self) -> str:
        return self.name


def upload_to(instance, filename: str) -> str:
    """Uploaded data sources: private, per account, under a random name."""
    return random_name(f"agent-uploads/{instance.account_id}", filename)


class DataSource(TenantModel, TimeStampedModel):
    """A file or folder a process reads (004 §5.1): on a user's Google Drive or OneDrive,
    or uploaded (a private file checked by content, served only by `datasources/{id}/
    download/`)."""

    class Platform(models.TextChoices):
        GOOGLE_DRIVE = "google_drive", "Google Drive"
        ONEDRIVE = "onedrive", "OneDrive"
        UPLOAD = "upload", "Uploaded file"

    process = models.ForeignKey(AgentProcess, on_delete=models.CASCADE, related_name="data_sources")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    resource_identifier = models.CharField(max_length=500, blank=True)
    resource_name = models.CharField(max_length=300, blank=True)
    config = models.JSONField(default=list, blank=True)
    upload = models.FileField(
        upload_to=upload_to, storage=private_storage, max_length=255, blank=True, editable=False
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Whose drive connection reads it.",
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.resource_name or self.resource_identifier


class AgentRun(TenantModel):
    """One pass of the pipeline over the process's data sources."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"
        STOPPED = "stopped", "Stopped"

    process = models.ForeignKey(AgentProcess, on_delete=models.CASCADE, related_name="runs")
    trigger = models.CharField(max_length=10, default="manual")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=20, blank=True)
    control = models.CharField(max_length=10, blank=True, help_text="pause or stop, when asked")
    job_id = models.UUIDField(null=True, blank=True)
    pipeline = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"run {self.id} of {self.process_id} ({self.status})"


class RunFile(TenantModel):
    """One data source's file inside a run; completed ones are never processed again."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PROCESSING = "processing", "Processing"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"

    run = models.ForeignKey(AgentRun, on_delete=models.CASCADE, related_name="files")
    data_source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    job_id = models.UUIDField(null=True, blank=True)
    filename = models.CharField(max_length=300, blank=True)
    rows = models.PositiveIntegerField(default=0)
    chunks = models.PositiveIntegerField(default=0)
    matches = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "data_source"], name="agent_run_file_unique")
        ]

    def __str__(self) -> str:
        return self.filename


class LoadedRow(TenantModel):
    """A row of a spreadsheet or CSV, as loaded."""

    run_file = models.ForeignKey(RunFile, on_delete=models.CASCADE, related_name="loaded_rows")
    index = models.PositiveIntegerField()
    data = models.JSONField()

    class Meta:
        ordering = ["run_file_id", "index"]


class TextChunk(TenantModel):
    """A piece of a text or PDF document, as loaded."""

    run_file = models.ForeignKey(RunFile, on_delete=models.CASCADE, related_name="text_chunks")
    index = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["run_file_id", "index"]


class AgentMatch(TenantModel):
    """Something the agent found (e.g. a lead matching the profile) with its evidence."""

    process = models.ForeignKey(AgentProcess, on_delete=models.CASCADE, related_name="matches")
    run = models.ForeignKey(AgentRun, on_delete=models.CASCADE, related_name="matches")
    run_file = models.ForeignKey(RunFile, on_delete=models.CASCADE, related_name="found")
    data = models.JSONField()
    evidence = models.TextField(blank=True)
    source_index = models.PositiveIntegerField(null=True, blank=True)
    score = models.FloatField(default=1.0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "agent matches"
