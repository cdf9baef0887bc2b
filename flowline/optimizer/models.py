"""What the optimizer keeps: SEO analyses of content and internal link suggestions."""

from django.db import models
from django.db.models import F, Q

from flowline.core.tenancy import TenantModel


class ContentScore(TenantModel):
    """One SEO analysis of a piece of content: the 0-100 score and every check's result,
    kept as history so an editor sees the score move as the article improves."""

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="+")
    content = models.ForeignKey(
        "writer.Content", on_delete=models.CASCADE, related_name="seo_scores"
    )
    score = models.PositiveSmallIntegerField()
    word_count = models.PositiveIntegerField(default=0)
    checks = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    tenant_site_lookup = "site_id"

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["account", "content", "-id"], name="optimizer_score_latest")
        ]

    def __str__(self) -> str:
        return f"content {self.content_id}: {self.score}"


class LinkSuggestion(TenantModel):
    """A proposed internal link from one article (`source`) to another of the same site
    (`target`), with the anchor text found in the source and why it was proposed."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        DISMISSED = "dismissed", "Dismissed"

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(
        "writer.Content", on_delete=models.CASCADE, related_name="link_suggestions"
    )
    target = models.ForeignKey("writer.Content", on_delete=models.CASCADE, related_name="+")
    anchor_text = models.CharField(max_length=255)
    matched = models.CharField(max_length=20, help_text="What of the target the anchor matched.")
    similarity = models.FloatField()
    score = models.FloatField()
    context = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_site_lookup = "site_id"

    class Meta:
        ordering = ["source_id", "-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="optimizer_link_once"),
            models.CheckConstraint(condition=~Q(source=F("target")), name="optimizer_no_self_link"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} -> {self.target_id} ({self.anchor_text})"
