"""The one job model behind Syncflow's agent tasks, IGNY8's task progress and Elinara's
AgentTask: what runs in the background, how far it got and how it ended."""

import uuid

from django.conf import settings
from django.db import models

from flowline.core.tenancy import TenantModel


class Job(TenantModel):
    """A unit of background work for one account.

    Created `queued`, claimed by exactly one worker (`processing`), and ended
    `completed`, `failed` or `cancelled`. `target_type`/`target_id` link the objects it
    works on (a cluster, a content, an agent process...).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        PROCESSING = "processing", "Processing"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    FINISHED = (Status.COMPLETED, Status.FAILED, Status.CANCELLED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=100, db_index=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    phase = models.CharField(max_length=100, blank=True)
    message = models.CharField(max_length=500, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    error_code = models.CharField(max_length=50, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    cancel_requested = models.BooleanField(default=False)
    # NULL, not "": the unique constraint must ignore jobs started without a key.
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    run_after = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # When its message last went to the broker (NULL: never, the broker was down). Recovery
    # resends only messages overdue by FLOWLINE_JOB_RESEND_SECONDS, not every queued job.
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "heartbeat_at"]),
            models.Index(fields=["account", "kind", "-created_at"]),
            # The list newest first, and by status (issue 18).
            models.Index(fields=["account", "-created_at", "-id"], name="job_account_new"),
            models.Index(
                fields=["account", "status", "-created_at", "-id"], name="job_account_status_new"
            ),
            models.Index(fields=["target_type", "target_id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                # per user: members of one account do not share keys (system jobs
                # have no user and pass only keys of their own making)
                fields=["account", "user", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="job_unique_user_idempotency_key",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="job_progress_max_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED
