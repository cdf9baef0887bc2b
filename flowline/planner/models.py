"""The keyword planner (003 Planner): keywords, the clusters they are grouped in, and the
content ideas generated for clusters. Every row belongs to one site and one sector."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from flowline.core.models import TimeStampedModel
from flowline.core.tenancy import TenantModel


def normalize_keyword(text: str) -> str:
    """The form duplicates are compared in: lower case, single spaces, trimmed."""
    return " ".join(str(text).split()).lower()


class Keyword(TenantModel, TimeStampedModel):
    """A keyword a site wants to rank for, in one of its sectors.

    It may come from the seed library (`seed_keyword`) or be typed or imported; its
    volume, difficulty and intent are copied at creation so that filtering and ordering
    never join the library. `normalized` keeps one keyword per sector.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACTIVE = "active", "Active"
        ARCHIVED = "archived", "Archived"

    class Intent(models.TextChoices):
        INFORMATIONAL = "informational", "Informational"
        COMMERCIAL = "commercial", "Commercial"
        TRANSACTIONAL = "transactional", "Transactional"
        NAVIGATIONAL = "navigational", "Navigational"

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="+")
    sector = models.ForeignKey("sites.Sector", on_delete=models.CASCADE, related_name="+")
    seed_keyword = models.ForeignKey(
        "reference.SeedKeyword",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cluster = models.ForeignKey(
        "planner.Cluster",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="keywords",
    )
    keyword = models.CharField(max_length=255)
    normalized = models.CharField(max_length=255, editable=False)
    volume = models.PositiveIntegerField(default=0)
    difficulty = models.PositiveSmallIntegerField(default=0)
    intent = models.CharField(max_length=20, choices=Intent.choices, default=Intent.INFORMATIONAL)
    cpc = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)

    tenant_site_lookup = "site_id"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "normalized"], name="planner_keyword_unique_in_sector"
            ),
            models.CheckConstraint(
                condition=Q(difficulty__lte=100), name="planner_keyword_difficulty_range"
            ),
        ]
        indexes = [
            models.Index(fields=["account", "-created_at", "-id"], name="planner_kw_account_new"),
            models.Index(fields=["account", "status"], name="planner_kw_account_status"),
            # The lists are mostly read per site or per sector (003's site_id / sector_id).
            models.Index(fields=["site", "volume"], name="planner_kw_site_volume"),
            models.Index(fields=["site", "-created_at", "-id"], name="planner_kw_site_new"),
            models.Index(
                fields=["sector", "status", "-created_at", "-id"], name="planner_kw_sector_status"
            ),
            # The console's sector + status table sorted by volume (ties by id).
            models.Index(
                fields=["sector", "status", "volume", "id"], name="planner_kw_sector_status_vol"
            ),
        ]

    def __str__(self) -> str:
        return self.keyword

    def save(self, *args, **kwargs) -> None:
        self.normalized = normalize_keyword(self.keyword)
        super().save(*args, **kwargs)


class Cluster(TenantModel, TimeStampedModel):
    """A group of keywords that one piece of content (or a hub of them) can target.

    `keywords_count` and `volume` are totals of its keywords, kept by the planner's
    services in the same transaction as every move, delete or re-cluster.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ARCHIVED = "archived", "Archived"

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="+")
    sector = models.ForeignKey("sites.Sector", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    keywords_count = models.PositiveIntegerField(default=0)
    volume = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)

    tenant_site_lookup = "site_id"

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "-created_at"], name="planner_cl_account_new")]

    def __str__(self) -> str:
        return self.name


class ContentIdea(TenantModel, TimeStampedModel):
    """A planned article for a cluster, queued to the writer when the user chooses."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        QUEUED = "queued", "Queued"
        COMPLETED = "completed", "Completed"
        ARCHIVED = "archived", "Archived"

    class ContentType(models.TextChoices):
        BLOG_POST = "blog_post", "Blog post"
        ARTICLE = "article", "Article"
        GUIDE = "guide", "Guide"
        PRODUCT = "product", "Product page"
        SERVICE = "service", "Service page"
        PAGE = "page", "Page"

    class ContentStructure(models.TextChoices):
        CLUSTER_HUB = "cluster_hub", "Cluster hub"
        PILLAR_PAGE = "pillar_page", "Pillar page"
        SUPPORTING_PAGE = "supporting_page", "Supporting page"
        HOW_TO = "how_to", "How-to"
        LISTICLE = "listicle", "Listicle"
        COMPARISON = "comparison", "Comparison"
        REVIEW = "review", "Review"

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="+")
    sector = models.ForeignKey("sites.Sector", on_delete=models.CASCADE, related_name="+")
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    idea_title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    content_type = models.CharField(
        max_length=20, choices=ContentType.choices, default=ContentType.BLOG_POST
    )
    content_structure = models.CharField(
        max_length=20, choices=ContentStructure.choices, default=ContentStructure.SUPPORTING_PAGE
    )
    target_keywords = models.TextField(blank=True, help_text="Comma-separated keywords.")
    estimated_word_count = models.PositiveIntegerField(default=1500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    tenant_site_lookup = "site_id"

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "-created_at"], name="planner_idea_account_new")]

    def __str__(self) -> str:
        return self.idea_title
