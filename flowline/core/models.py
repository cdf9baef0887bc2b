"""Abstract model bases shared by every app."""

from django.db import models


class TimeStampedModel(models.Model):
    """Adds creation and update times."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class IdempotencyRecord(models.Model):
    """The answer given to a request that carried an Idempotency-Key, kept so a replay
    gets the same answer without doing the work again. A key belongs to one user in one
    account (0 when no user acts, as in a task): members never share or probe each
    other's keys."""

    account_id = models.BigIntegerField()
    user_id = models.BigIntegerField(default=0)
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.BinaryField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account_id", "user_id", "key"], name="idempotency_unique_user_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}:{self.user_id}:{self.key}"
