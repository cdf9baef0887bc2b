"""003 Writer module: `writer/tasks/`, `writer/content/`, `writer/images/`,
`writer/taxonomies/`. Views validate, call one service, and render."""

from django.db import transaction
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from flowline.core import tenancy
from flowline.core.envelope import ok
from flowline.core.errors import ApplicationError, NotFoundError
from flowline.core.idempotency import idempotent
from flowline.core.large_pagination import GrowingListPagination
from flowline.core.serializers import BulkResultSerializer, IdsInputSerializer
from flowline.core.throttles import AIThrottle, UserThrottle
from flowline.core.viewsets import BulkDeleteMixin, TenantModelViewSet
from flowline.jobs.public import TaskStarted, paid_job_started
from flowline.writer import jobs, selectors
from flowline.writer.api import serializers as s
from flowline.writer.filters import (
    ContentFilterSet,
    ImageFilterSet,
    TaskFilterSet,
    TaxonomyFilterSet,
)
from flowline.writer.models import Content, Image, Task, Taxonomy
from flowline.writer.services import content as content_services
from flowline.writer.services import image_files
from flowline.writer.services import images as image_services
from flowline.writer.services import tasks as task_services
from flowline.writer.services import taxonomies as taxonomy_services

_AI = [UserThrottle, AIThrottle]
_UNPUBLISH = OpenApiParameter(
    "unpublish",
    str,
    enum=list(content_services.UNPUBLISH_CHOICES),
    description="What to do with the content's posts on its site first: trash, draft, "
    "or keep (leave them as they are). Without it, content with a post is not deleted (409).",
)


def _job_started(kind: str, ids: list[int], message: str):
    ctx = tenancy.require()
    job, held = jobs.start(kind=kind, account_id=ctx.account_id, user_id=ctx.user_id, ids=ids)
    return paid_job_started(job, message=message, held=held)


class TaskViewSet(BulkDeleteMixin, TenantModelViewSet):
    """`writer/tasks/`: what to write. Editors manage tasks and start generation."""

    model = Task
    serializer_class = s.WriterTaskSerializer
    filterset_class = TaskFilterSet
    search_fields = ["title", "keywords"]
    pagination_class = GrowingListPagination
    ordering_fields = ["title", "created_at", "word_count", "status"]
    ordering = ["-created_at", "-id"]

    def safely_get_queryset(self, queryset):
        return selectors.tasks_for_list(queryset)

    def perform_create(self, serializer):
        task = task_services.task_create(**serializer.validated_data)
        serializer.instance = self.get_queryset().get(id=task.id)

    def perform_update(self, serializer):
        task = task_services.task_update(task=serializer.instance, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(id=task.id)

    @extend_schema(request=s.WriterTaskBulkUpdateInput, responses=s.WriterUpdatedCountSerializer)
    @action(detail=False, methods=["post"])
    def bulk_update(self, request):
        """`{"ids": [...], "status": "review"}`: all or nothing; foreign ids are 404."""
        payload = s.WriterTaskBulkUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        with transaction.atomic():
            rows = self.resolve_ids(payload.validated_data["ids"], lock=True)
            count = task_services.tasks_set_status(
                tasks=rows, status=payload.validated_data["status"]
            )
        return ok({"updated_count": count}, message=f"Updated {count} tasks.")

    @extend_schema(request=s.WriterGenerateContentInput, responses={201: TaskStarted})
    @action(detail=False, methods=["post"], throttle_classes=_AI)
    @idempotent
    def auto_generate_content(self, request):
        """Write the articles of up to 50 tasks in a background job (credits `content` per
        article held now: 402 when missing; released if the job fails). The tasks are
        `in_progress` until it ends: asking again for one of them meanwhile is a 409."""
        payload = s.WriterGenerateContentInput(data=request.data)
        payload.is_valid(raise_exception=True)
        ctx = tenancy.require()
        with transaction.atomic():
            tasks = self.resolve_ids(payload.validated_data["ids"], lock=True)
            job, held = jobs.start_content(
                account_id=ctx.account_id, user_id=ctx.user_id, tasks=tasks
            )
        return paid_job_started(job, message="Content generation queued.", held=held)


class ContentViewSet(BulkDeleteMixin, TenantModelViewSet):
    """`writer/content/`: articles, generated or typed in (HTML sanitised on write)."""

    model = Content
    serializer_class = s.WriterContentSerializer
    filterset_class = ContentFilterSet
    search_fields = ["title", "keywords"]
    pagination_class = GrowingListPagination
    ordering_fields = ["title", "created_at", "word_count", "status", "published_at"]
    ordering = ["-created_at", "-id"]

    def safely_get_queryset(self, queryset):
        return queryset.prefetch_related("taxonomies")

    def perform_create(self, serializer):
        content = content_services.content_create(**serializer.validated_data)
        serializer.instance = self.get_queryset().get(id=content.id)

    def perform_update(self, serializer):
        content = content_services.content_update(
            content=serializer.instance, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(id=content.id)

    @extend_schema(parameters=[_UNPUBLISH])
    def destroy(self, request, *args, **kwargs):
        """Delete content; 409 `content_published` while it has a post on a site, unless
        `?unpublish=` says what to do with the post."""
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance):
        content_services.contents_delete(
            account_id=instance.account_id,
            content_ids=[instance.id],
            unpublish=self.request.query_params.get("unpublish"),
        )

    @extend_schema(
        request=IdsInputSerializer, responses=BulkResultSerializer, parameters=[_UNPUBLISH]
    )
    @action(detail=False, methods=["post"], serializer_class=IdsInputSerializer)
    def bulk_delete(self, request):
        """`{"ids": [...]}`: all or nothing, foreign ids are 404; the same `?unpublish=`
        rule as a single delete. Posts are taken down before the transaction."""
        payload = IdsInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        rows = self.resolve_ids(payload.validated_data["ids"])
        count = content_services.contents_delete(
            account_id=tenancy.require().account_id,
            content_ids=[row.id for row in rows],
            unpublish=request.query_params.get("unpublish"),
        )
        return ok({"deleted_count": count}, message=f"Deleted {count} items.")

    @extend_schema(request=s.WriterGenerateInput, responses={201: TaskStarted})
    @action(detail=False, methods=["post"], throttle_classes=_AI)
    @idempotent
    def generate_image_prompts(self, request):
        """A featured and in-article image prompts for each content, in a background job
        (credits `image_prompts` per content); they replace the content's images."""
        payload = s.WriterGenerateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        ids = sorted({row.id for row in self.resolve_ids(payload.validated_data["ids"])})
        return _job_started(jobs.GENERATE_IMAGE_PROMPTS, ids, "Image prompts queued.")


class ImageViewSet(BulkDeleteMixin, TenantModelViewSet):
    """`writer/images/`: pictures of articles. Upload with multipart `file`."""

    model = Image
    serializer_class = s.WriterImageSerializer
    filterset_class = ImageFilterSet
    search_fields = ["prompt", "alt_text"]
    ordering_fields = ["position", "created_at", "status"]
    ordering = ["content_id", "position", "id"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        upload = fields.pop("file", None)
        serializer.instance = image_files.image_create(upload=upload, **fields)

    def perform_update(self, serializer):
        fields = dict(serializer.validated_data)
        upload = fields.pop("file", None)
        serializer.instance = image_files.image_update(
            image=serializer.instance, upload=upload, **fields
        )

    def perform_destroy(self, instance):
        image_files.image_delete(image=instance)

    @extend_schema(
        responses={200: s.WriterImageFileSerializer, (200, "image/*"): OpenApiTypes.BINARY},
        parameters=[
            OpenApiParameter(
                "download",
                OpenApiTypes.BOOL,
                description="Answer the file's bytes instead of its URL.",
            )
        ],
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def file(self, request, pk=None):
        """The stored file's URL; with `?download=true`, the file itself (nosniff)."""
        image = self.get_object()
        if not image.file:
            raise NotFoundError("This image has no file yet.", code="no_file")
        if request.query_params.get("download") in ("1", "true", "yes"):
            response = FileResponse(image.file.open("rb"), content_type=image.mime_type)
            response["X-Content-Type-Options"] = "nosniff"
            response["Content-Disposition"] = f'inline; filename="image-{image.id}"'
            return response
        return ok(
            {
                "image_url": request.build_absolute_uri(image.file.url),
                "mime_type": image.mime_type,
                "width": image.width,
                "height": image.height,
                "size_bytes": image.size_bytes,
            }
        )

    @extend_schema(
        parameters=[OpenApiParameter("content_id", OpenApiTypes.INT, required=True)],
        responses=s.WriterContentImagesSerializer,
        filters=False,
    )
    @action(detail=False, methods=["get"], filter_backends=[])
    def content_images(self, request):
        """The images of one content: the featured one and the in-article ones in order."""
        query = s.WriterContentImagesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        content_id = query.validated_data["content_id"]
        selectors.content_require(content_id=content_id)
        rows = list(self.get_queryset().filter(content_id=content_id))
        context = self.get_serializer_context()
        data = s.WriterImageSerializer(rows, many=True, context=context).data
        featured = [item for item in data if item["image_type"] == Image.Kind.FEATURED]
        return ok(
            {
                "content_id": content_id,
                "featured": featured[0] if featured else None,
                "in_article": [i for i in data if i["image_type"] == Image.Kind.IN_ARTICLE],
                "images": data,
            }
        )

    @extend_schema(
        request=s.WriterAutoGenerateInput, responses=s.WriterAutoGenerateResultSerializer
    )
    @action(detail=False, methods=["post"], throttle_classes=_AI)
    @idempotent
    def auto_generate(self, request):
        """Legacy, in the request, for up to 3 contents (ids are content ids): prompts
        where a content has none, then every missing picture; paid only on success."""
        payload = s.WriterAutoGenerateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        ctx = tenancy.require()
        ids = payload.validated_data["ids"]
        found = selectors.visible_content_ids(ids)
        if missing := sorted(set(ids) - found):
            raise NotFoundError("Some ids do not exist in this account.", errors={"ids": missing})
        made, charged = image_services.images_auto_generate(
            account_id=ctx.account_id, content_ids=sorted(found), user_id=ctx.user_id
        )
        data = s.WriterImageSerializer(made, many=True, context=self.get_serializer_context()).data
        return ok(
            {"images_created": len(made), "credits_used": charged, "images": data},
            message=f"Generated {len(made)} images.",
        )

    @extend_schema(request=s.WriterGenerateInput, responses={201: TaskStarted})
    @action(detail=False, methods=["post"], throttle_classes=_AI)
    @idempotent
    def generate_images(self, request):
        """Generate the pictures of these images (ids are image ids) in a background job,
        credits `images` per picture; images that already have one are not redone."""
        payload = s.WriterGenerateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        rows = self.resolve_ids(payload.validated_data["ids"])
        if unprompted := sorted(row.id for row in rows if not row.prompt.strip()):
            raise ApplicationError(
                "Some images have no prompt.", errors={"ids": unprompted}, code="no_prompt"
            )
        ids = sorted(row.id for row in rows if row.status != Image.Status.COMPLETED)
        if not ids:
            raise ApplicationError(
                "These images already have their pictures.", code="nothing_to_generate"
            )
        return _job_started(jobs.GENERATE_IMAGES, ids, "Image generation queued.")

    @extend_schema(request=s.WriterImageBulkUpdateInput, responses=s.WriterUpdatedCountSerializer)
    @action(detail=False, methods=["post"])
    def bulk_update(self, request):
        """`{"ids": [...], "status": ...}` or `{"content_id": 1, "status": ...}`."""
        payload = s.WriterImageBulkUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        fields = payload.validated_data
        with transaction.atomic():
            if "ids" in fields:
                rows = self.resolve_ids(fields["ids"], lock=True)
                count = image_services.images_status_update(
                    status=fields["status"], image_ids=[row.id for row in rows]
                )
            else:
                selectors.content_require(content_id=fields["content_id"])
                count = image_services.images_status_update(
                    status=fields["status"], content_id=fields["content_id"]
                )
        return ok({"updated_count": count}, message=f"Updated {count} images.")


class TaxonomyViewSet(BulkDeleteMixin, TenantModelViewSet):
    """`writer/taxonomies/`: a site's categories and tags."""

    model = Taxonomy
    serializer_class = s.WriterTaxonomySerializer
    filterset_class = TaxonomyFilterSet
    search_fields = ["name", "slug"]
    ordering_fields = ["name", "created_at", "taxonomy_type"]

    def perform_create(self, serializer):
        serializer.instance = taxonomy_services.taxonomy_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = taxonomy_services.taxonomy_update(
            taxonomy=serializer.instance, **serializer.validated_data
        )
