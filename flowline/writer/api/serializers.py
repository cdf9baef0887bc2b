"""Request and response bodies of writer tasks, content, images and taxonomies.

Relation fields (site, sector, cluster, idea, task, content, taxonomies, author profile,
strategy) use the models' scoped managers, so an id of another account is a 400.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from flowline.core.serializers import IdField, ModelSerializer, Serializer, StrictInputSerializer
from flowline.writer.models import Content, Image, Task, Taxonomy

MAX_IDS = 1000


def _refuse_system_status(value: str, system: set[str]) -> str:
    if value in system:
        raise serializers.ValidationError(f"'{value}' is set by the system.")
    return value


class WriterTaskSerializer(ModelSerializer):
    """A task. `in_progress` is the generation job's to set; `content_id` is its article."""

    content_id = serializers.IntegerField(source="content_ref", read_only=True, allow_null=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "site",
            "sector",
            "cluster",
            "idea",
            "title",
            "description",
            "keywords",
            "content_type",
            "content_structure",
            "word_count",
            "author_profile",
            "strategy",
            "status",
            "error",
            "content_id",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "error", "created_at", "updated_at"]
        validators = []  # the service reports an idea that already has a task
        extra_kwargs = {"word_count": {"min_value": 100, "max_value": 10_000}}

    def validate_status(self, value):
        return _refuse_system_status(value, {Task.Status.IN_PROGRESS})


class WriterContentSerializer(ModelSerializer):
    """An article. `html_content` is sanitised on every write; `headings` and
    `word_count` follow from it; `published` is set by publishing."""

    taxonomies = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Taxonomy.objects
    )

    class Meta:
        model = Content
        fields = [
            "id",
            "site",
            "sector",
            "task",
            "title",
            "slug",
            "html_content",
            "headings",
            "meta_title",
            "meta_description",
            "keywords",
            "content_type",
            "word_count",
            "status",
            "taxonomies",
            "generation",
            "external_id",
            "external_url",
            "published_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "headings",
            "word_count",
            "generation",
            "external_id",
            "external_url",
            "published_at",
            "created_at",
            "updated_at",
        ]
        validators = []
        extra_kwargs = {"html_content": {"max_length": 500_000}}

    def validate_status(self, value):
        return _refuse_system_status(value, {Content.Status.PUBLISHED})


class WriterImageSerializer(ModelSerializer):
    """An image of a content. Send `file` (multipart) to upload a picture, checked by
    its bytes; `image_url` is where the stored file is served."""

    file = serializers.FileField(write_only=True, required=False)
    image_url = serializers.SerializerMethodField()
    # Plain text here (the choices are in bulk_update's body): one enum per component
    # keeps the schema's enum names stable.
    status = serializers.CharField(read_only=True, help_text="pending, completed or failed")

    class Meta:
        model = Image
        fields = [
            "id",
            "site",
            "sector",
            "content",
            "task",
            "image_type",
            "position",
            "prompt",
            "alt_text",
            "caption",
            "status",
            "file",
            "image_url",
            "width",
            "height",
            "size_bytes",
            "mime_type",
            "generation",
            "error",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "site",
            "sector",
            "task",
            "status",
            "width",
            "height",
            "size_bytes",
            "mime_type",
            "generation",
            "error",
            "created_at",
            "updated_at",
        ]
        validators = []

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_image_url(self, image) -> str | None:
        if not image.file:
            return None
        request = self.context.get("request")
        url = image.file.url
        return request.build_absolute_uri(url) if request is not None else url


class WriterTaxonomySerializer(ModelSerializer):
    """A category or tag of a site; `external_id` is its WordPress term once linked."""

    slug = serializers.SlugField(required=False, max_length=200)

    class Meta:
        model = Taxonomy
        fields = [
            "id",
            "site",
            "taxonomy_type",
            "name",
            "slug",
            "description",
            "parent",
            "external_id",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "external_id", "created_at", "updated_at"]
        validators = []


class _Ids(StrictInputSerializer):
    ids = serializers.ListField(child=IdField(), min_length=1, max_length=MAX_IDS)


class WriterTaskBulkUpdateInput(_Ids):
    status = serializers.ChoiceField(
        choices=[c for c in Task.Status.choices if c[0] != Task.Status.IN_PROGRESS]
    )


class WriterImageBulkUpdateInput(StrictInputSerializer):
    """`{"ids": [...], "status": ...}` or `{"content_id": 1, "status": ...}`."""

    ids = serializers.ListField(
        child=IdField(),
        min_length=1,
        max_length=MAX_IDS,
        required=False,
    )
    content_id = IdField(required=False)
    status = serializers.ChoiceField(choices=Image.Status.choices)

    def validate(self, attrs):
        if ("ids" in attrs) == ("content_id" in attrs):
            raise serializers.ValidationError({"ids": ["Give either ids or content_id."]})
        return attrs


class WriterGenerateContentInput(_Ids):
    ids = serializers.ListField(child=IdField(), min_length=1, max_length=50)


class WriterGenerateInput(_Ids):
    ids = serializers.ListField(child=IdField(), min_length=1, max_length=100)


class WriterAutoGenerateInput(_Ids):
    ids = serializers.ListField(child=IdField(), min_length=1, max_length=3)


class WriterContentImagesQuery(Serializer):
    content_id = IdField()


class WriterContentImagesSerializer(Serializer):
    content_id = IdField()
    featured = WriterImageSerializer(allow_null=True)
    in_article = WriterImageSerializer(many=True)
    images = WriterImageSerializer(many=True)


class WriterImageFileSerializer(Serializer):
    image_url = serializers.URLField()
    mime_type = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    size_bytes = serializers.IntegerField()


class WriterAutoGenerateResultSerializer(Serializer):
    images_created = serializers.IntegerField()
    credits_used = serializers.IntegerField()
    images = WriterImageSerializer(many=True)


class WriterUpdatedCountSerializer(Serializer):
    updated_count = serializers.IntegerField()
