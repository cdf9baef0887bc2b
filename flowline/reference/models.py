"""Industries, the sectors inside them, and the seed keyword library."""

from django.db import models


class Industry(models.Model):
    """A market a site can belong to (e.g. Health & Fitness)."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "industries"

    def __str__(self) -> str:
        return self.name


class IndustrySector(models.Model):
    """A niche within an industry that a site can target (e.g. Yoga)."""

    industry = models.ForeignKey(Industry, on_delete=models.CASCADE, related_name="sectors")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["industry_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["industry", "slug"], name="industry_sector_unique_slug")
        ]

    def __str__(self) -> str:
        return f"{self.industry.name} / {self.name}"


class SeedKeyword(models.Model):
    """A researched keyword offered to every account to start planning from."""

    class Intent(models.TextChoices):
        INFORMATIONAL = "informational", "Informational"
        COMMERCIAL = "commercial", "Commercial"
        TRANSACTIONAL = "transactional", "Transactional"
        NAVIGATIONAL = "navigational", "Navigational"

    keyword = models.CharField(max_length=255)
    industry = models.ForeignKey(Industry, on_delete=models.CASCADE, related_name="seed_keywords")
    sector = models.ForeignKey(
        IndustrySector, on_delete=models.CASCADE, related_name="seed_keywords"
    )
    volume = models.PositiveIntegerField(default=0)
    difficulty = models.PositiveSmallIntegerField(default=0)
    intent = models.CharField(max_length=20, choices=Intent.choices, default=Intent.INFORMATIONAL)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["keyword"]
        constraints = [
            models.UniqueConstraint(fields=["sector", "keyword"], name="seed_keyword_unique"),
        ]
        indexes = [models.Index(fields=["industry", "sector", "intent"])]

    def __str__(self) -> str:
        return self.keyword
