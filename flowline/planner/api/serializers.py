"""Request and response bodies of the planner (003 names: `site_id`, `sector_id`, ...).

Relation fields take the scoped managers, so an id of another account's site, sector,
cluster or keyword is "does not exist" (400), like an unknown one.
"""

from django.conf import settings
from rest_framework import serializers

from flowline.core.serializers import (
    IdField,
    IdsInputSerializer,
    ModelSerializer,
    Serializer,
    StrictInputSerializer,
)
from flowline.planner.models import Cluster, ContentIdea, Keyword
from flowline.reference.models import SeedKeyword
from flowline.sites.models import Sector, Site


def _site_field(**kwargs):
    return serializers.PrimaryKeyRelatedField(
        source="site",
        queryset=Site.objects,
        required=False,
        help_text="Defaults to the sector's site.",
        **kwargs,
    )


def _sector_field(**kwargs):
    return serializers.PrimaryKeyRelatedField(source="sector", queryset=Sector.objects, **kwargs)


class KeywordSerializer(ModelSerializer):
    site_id = _site_field()
    sector_id = _sector_field()
    sector_name = serializers.CharField(source="sector.name", read_only=True)
    cluster_id = serializers.PrimaryKeyRelatedField(
        source="cluster", queryset=Cluster.objects, required=False, allow_null=True
    )
    cluster_name = serializers.CharField(source="cluster.name", read_only=True, default=None)
    seed_keyword_id = serializers.PrimaryKeyRelatedField(
        source="seed_keyword",
        queryset=SeedKeyword.objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )
    difficulty = serializers.IntegerField(min_value=0, max_value=100, required=False)

    class Meta:
        model = Keyword
        fields = [
            "id",
            "keyword",
            "site_id",
            "sector_id",
            "sector_name",
            "cluster_id",
            "cluster_name",
            "seed_keyword_id",
            "volume",
            "difficulty",
            "intent",
            "cpc",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators = []  # the service reports a duplicate on `keyword`


class ClusterSerializer(ModelSerializer):
    site_id = _site_field()
    sector_id = _sector_field()
    sector_name = serializers.CharField(source="sector.name", read_only=True)

    class Meta:
        model = Cluster
        fields = [
            "id",
            "name",
            "description",
            "site_id",
            "sector_id",
            "sector_name",
            "keywords_count",
            "volume",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "keywords_count", "volume", "created_at", "updated_at"]


class ContentIdeaSerializer(ModelSerializer):
    site_id = _site_field()
    sector_id = _sector_field()
    sector_name = serializers.CharField(source="sector.name", read_only=True)
    cluster_id = serializers.PrimaryKeyRelatedField(
        source="cluster", queryset=Cluster.objects, required=False, allow_null=True
    )
    cluster_name = serializers.CharField(source="cluster.name", read_only=True, default=None)

    class Meta:
        model = ContentIdea
        fields = [
            "id",
            "idea_title",
            "description",
            "content_type",
            "content_structure",
            "target_keywords",
            "estimated_word_count",
            "status",
            "site_id",
            "sector_id",
            "sector_name",
            "cluster_id",
            "cluster_name",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    # Queued and completed say what happened to the idea (bulk_queue_to_writer, the
    # writer); a member can only file an idea as new or archived.
    SETTABLE_STATUSES = (ContentIdea.Status.NEW, ContentIdea.Status.ARCHIVED)

    def validate_status(self, value):
        current = self.instance.status if self.instance is not None else None
        if value != current and value not in self.SETTABLE_STATUSES:
            raise serializers.ValidationError(
                "Ideas become queued and completed through bulk_queue_to_writer and the "
                "writer; set new or archived."
            )
        return value


class BulkStatusInput(IdsInputSerializer):
    # A string checked against Keyword.Status rather than a ChoiceField: a second
    # component with the same `status` enum makes the schema generator give it a hashed
    # name ("Status572Enum") shared with every model; the choices are in the description.
    status = serializers.CharField(help_text="One of: " + ", ".join(Keyword.Status.values) + ".")

    def validate_status(self, value):
        if value not in Keyword.Status.values:
            raise serializers.ValidationError(
                f"Must be one of: {', '.join(Keyword.Status.values)}."
            )
        return value


class SeedInput(StrictInputSerializer):
    seed_keyword_ids = serializers.ListField(child=IdField(), min_length=1, max_length=1000)
    site_id = _site_field()
    sector_id = _sector_field()


class SeedResultSerializer(Serializer):
    added_count = serializers.IntegerField()
    skipped_seed_keyword_ids = serializers.ListField(child=serializers.IntegerField())
    keywords = KeywordSerializer(many=True)


class ImportInput(Serializer):
    file = serializers.FileField(help_text="CSV with a header row; see docs/seo-planner.md.")
    site_id = _site_field()
    sector_id = _sector_field()


class ImportErrorSerializer(Serializer):
    line = serializers.IntegerField()
    keyword = serializers.CharField()
    code = serializers.ChoiceField(choices=["invalid", "duplicate"])
    reason = serializers.CharField()


class ImportResultSerializer(Serializer):
    imported_count = serializers.IntegerField()
    duplicate_count = serializers.IntegerField()
    error_count = serializers.IntegerField()
    errors_truncated = serializers.BooleanField()
    errors = ImportErrorSerializer(many=True)


class AutoClusterInput(StrictInputSerializer):
    ids = serializers.ListField(child=IdField(), min_length=1)
    sector_id = IdField(required=False)

    def validate_ids(self, value):
        limit = settings.PLANNER_CLUSTER_MAX_KEYWORDS
        if len(value) > limit:
            raise serializers.ValidationError(f"At most {limit} keywords per request.")
        return sorted(set(value))


class GenerateIdeasInput(StrictInputSerializer):
    ids = serializers.ListField(child=IdField(), min_length=1)

    def validate_ids(self, value):
        limit = settings.PLANNER_IDEAS_MAX_CLUSTERS
        if len(value) > limit:
            raise serializers.ValidationError(f"At most {limit} clusters per request.")
        return sorted(set(value))


class QueuedTaskSerializer(Serializer):
    id = IdField()
    title = serializers.CharField()
    status = serializers.CharField()


class QueueResultSerializer(Serializer):
    tasks_created = serializers.IntegerField()
    tasks = QueuedTaskSerializer(many=True)
