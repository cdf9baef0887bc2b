"""The writer (003 Writer module): tasks to write, the content written for them, the
images that illustrate it, and the categories and tags it is filed under when published.

Every row belongs to one site and (except taxonomies) one sector, like the planner's.
States:

- Task: `draft` (queued from an idea or typed in) -> `in_progress` (a generation job is
  writing it) -> `review` (content written, waiting for a person) -> `completed` (the
  content was published) ; `archived` at any time. A failed generation puts the task
  back to `draft` with `error` set.
- Content: `draft` (typed in) or `review` (generated) -> `published` (integration called
  `mark_published`) ; `archived`.
- Image: `pending` (a prompt, no file yet) -> `completed` (a stored file) or `failed`.
"""

from django.db import models
from django.db.models import Q

from flowline.core.models import TimeStampedModel
from flowline.core.richtext import RichTextField
from flowline.core.tenancy import TenantModel
from flowline.planner.models import ContentIdea

ContentType = ContentIdea.ContentType
ContentStructure = ContentIdea.ContentStructure


class Task(TenantModel, TimeStampedModel):
    """Something to write: a title, keywords and a shape, usually from a content idea."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_PROGRESS = "in_progress", "In progress"
        REVIEW = "review", "Review"
        COMPLETED = "completed", "Completed"
        ARCHIVED = "archived", "Archived"

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="+")
    sector = models.ForeignKey("sites.Sector", on_delete=models.CASCADE, related_name="+")
    cluster = models.ForeignKey(
        "planner.Cluster", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    idea = models.ForeignKey(
        "planner.ContentIdea",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    keywords = models.TextField(blank=True, help_text="Comma-separated keywords.")
    content_type = models.CharField(
        max_length=20, choices=ContentType.choices, default=ContentType.BLOG_POST
    )
    content_structure = models.CharField(
        max_length=20, choices=ContentStructure.choices, default=ContentStructure.SUPPORTING_PAGE
    )
    word_count = models.PositiveIntegerField(default=1500, help_text="Target length in words.")
    author_profile = models.ForeignKey(
        "ai.AuthorProfile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    strategy = models.ForeignKey(
        "ai.Strategy", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    error = models.CharField(max_length=500, blank=True)

    tenant_site_lookup = "site_id"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One task per idea, so queueing an idea twice (a retried request, automation
            # and a person at once) cannot write the same article twice.
            models.UniqueConstraint(
                fields=["idea"], condition=Q(idea__isnull=False), name="writer_task_one_per_idea"
            ),
        ]
        indexes = [
            models.Index(fields=["account", "-created_at", "-id"], name="writer_task_account_new"),
            # Each filter the lists offer, in their default order (issue 18).
            models.Index(
                fields=["account", "status", "-created_at", "-id"], name="writer_task_status_new"
            ),
            models.Index(
                fields=["site", "status", "-created_at", "-id"], name="writer_task_site_status_new"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def keyword_list(self) -> list[str]:
        return [part.strip() for part in self.keywords.split(",") if part.strip()]


class Taxonomy(TenantModel, TimeStampedModel):
    """A category or tag of a site; publishing matches or creates it on WordPress and
    keeps the WordPress term id in `external_id`."""

    class Type(models.TextChoices):
        CATEGORY = "category", "Category"
        TAG = "tag", "Tag"

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="+")
    taxonomy_type = models.CharField(max_length=10, choices=Type.choices)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    description = RichTextField(blank=True)  # a WordPress term description: HTML there
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    external_id = models.CharField(max_length=64, blank=True)

    tenant_site_lookup = "site_id"

    class Meta:
        ordering = ["taxonomy_type", "name", "id"]
        verbose_name_plural = "taxonomies"
        constraints = [
            models.UniqueConstraint(
                fields=["site", "taxonomy_type", "slug"], name="writer_taxonomy_unique_slug"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.taxonomy_type}: {self.name}"


class Content(TenantModel, TimeStampedModel):
    """An article: sanitised HTML with its headings, meta title and description, word
    count, and where it was published."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "Review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="+")
    sector = models.ForeignKey("sites.Sector", on_delete=models.CASCADE, related_name="+")
    task = models.OneToOneField(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="content"
    )
    title = models.CharField(max_length=255)
    # The post's slug on the site when the user chose one; empty: WordPress makes it from
    # the title when the post is first published, and keeps it when the title changes.
    slug = models.SlugField(max_length=200, blank=True, allow_unicode=True)
    html_content = models.TextField(blank=True)
    headings = models.JSONField(default=list, blank=True, editable=False)
    meta_title = models.CharField(max_length=255, blank=True)
    meta_description = models.CharField(max_length=500, blank=True)
    keywords = models.TextField(blank=True, help_text="Comma-separated keywords.")
    content_type = models.CharField(
        max_length=20, choices=ContentType.choices, default=ContentType.BLOG_POST
    )
    word_count = models.PositiveIntegerField(default=0, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    taxonomies = models.ManyToManyField(Taxonomy, blank=True, related_name="contents")
    # What wrote it: provider, model, offline flag, tokens (empty for typed content).
    generation = models.JSONField(default=dict, blank=True, editable=False)
    external_id = models.CharField(max_length=64, blank=True, editable=False)
    external_url = models.URLField(max_length=500, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    tenant_site_lookup = "site_id"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "content"
        indexes = [
            models.Index(
                fields=["account", "-created_at", "-id"], name="writer_content_account_new"
            ),
            # Each filter the lists offer, in their default order (issue 18).
            models.Index(
                fields=["account", "status", "-created_at", "-id"], name="writer_content_status_new"
            ),
            models.Index(
                fields=["site", "status", "-created_at", "-id"],
                name="writer_content_site_status_new",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Image(TenantModel, TimeStampedModel):
    """A picture for a piece of content: its prompt and alt text, and once generated or
    uploaded, a stored file (under the account's folder, checked by content)."""

    class Kind(models.TextChoices):
        FEATURED = "featured", "Featured"
        IN_ARTICLE = "in_article", "In article"
        DESKTOP = "desktop", "Desktop"
        MOBILE = "mobile", "Mobile"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="+")
    sector = models.ForeignKey("sites.Sector", on_delete=models.CASCADE, related_name="+")
    content = models.ForeignKey(Content, on_delete=models.CASCADE, related_name="images")
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="images"
    )
    image_type = models.CharField(max_length=12, choices=Kind.choices, default=Kind.IN_ARTICLE)
    position = models.PositiveIntegerField(default=0)
    prompt = models.TextField(blank=True)
    alt_text = models.CharField(max_length=255, blank=True)
    caption = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.ImageField(upload_to="writer/", max_length=255, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    size_bytes = models.PositiveIntegerField(null=True, blank=True)
    mime_type = models.CharField(max_length=40, blank=True)
    generation = models.JSONField(default=dict, blank=True, editable=False)
    error = models.CharField(max_length=500, blank=True)

    tenant_site_lookup = "site_id"

    class Meta:
        ordering = ["content_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content"],
                condition=Q(image_type="featured"),
                name="writer_image_one_featured",
            ),
        ]
        indexes = [models.Index(fields=["account", "status"], name="writer_image_account_status")]

    def __str__(self) -> str:
        return f"{self.image_type} image {self.id} of content {self.content_id}"
