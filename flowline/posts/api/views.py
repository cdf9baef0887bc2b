"""001 Social posts and schedules: `social/posts/`, `social/schedules/`, `social/slots/`,
and the AI helpers `ai/generate/social-post/` and `ai/generate/hashtags/`."""

from __future__ import annotations

from dataclasses import asdict

from django.db import IntegrityError, transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from flowline.core import tenancy
from flowline.core.envelope import ok
from flowline.core.errors import ApplicationError
from flowline.core.idempotency import idempotent
from flowline.core.permissions import HasAccountRole
from flowline.core.roles import Role
from flowline.core.throttles import AIThrottle, UserThrottle
from flowline.core.viewsets import BulkDeleteMixin, TenantModelViewSet, created
from flowline.posts import selectors
from flowline.posts.api import serializers as s
from flowline.posts.filters import PostFilterSet, PostingSlotFilterSet
from flowline.posts.models import Post, PostingSlot
from flowline.posts.services import content, generation, imports, retries, scheduling


def _retry_answer(result: retries.RetryResult) -> dict:
    return {
        "retried": result.retried,
        "retried_count": len(result.retried),
        "skipped": result.skipped,
    }


class PostViewSet(BulkDeleteMixin, TenantModelViewSet):
    """`social/posts/`: viewers read; editors write, submit, approve others' posts and
    retry failures; an editor's own post needs another editor, an admin or the owner."""

    model = Post
    serializer_class = s.PostSerializer
    filterset_class = PostFilterSet
    search_fields = ["title", "text"]
    ordering_fields = ["created_at", "scheduled_at", "status"]
    ordering = ["-created_at", "-id"]
    api_scope = "social"

    def safely_get_queryset(self, queryset):
        return selectors.posts_with_details(queryset)

    def _detail(self, post_id: int):
        post = selectors.post_for_detail(post_id=post_id)
        return s.PostSerializer(post, context=self.get_serializer_context()).data

    @extend_schema(request=s.PostInputSerializer, responses={201: s.PostSerializer})
    def create(self, request, *args, **kwargs):
        payload = s.PostInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        post = content.post_create(author_id=request.user.id, **payload.validated_data)
        return created(self._detail(post.id), message="Post created.")

    @extend_schema(request=s.PostInputSerializer, responses=s.PostSerializer)
    def update(self, request, *args, **kwargs):
        post = self.get_object()
        payload = s.PostInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        content.post_update(post=post, **payload.validated_data)
        return ok(self._detail(post.id), message="Post updated.")

    def perform_destroy(self, instance):
        content.post_delete(post=instance)

    def _approval(self, request, service, message: str):
        post = self.get_object()
        payload = s.PostApprovalInput(data=request.data)
        payload.is_valid(raise_exception=True)
        service(post=post, user_id=request.user.id, **payload.validated_data)
        return ok(self._detail(post.id), message=message)

    @extend_schema(request=None, responses=s.PostSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Ask for approval (a post with `requires_approval`)."""
        post = content.post_submit(post=self.get_object())
        return ok(self._detail(post.id), message="Submitted for approval.")

    @extend_schema(request=s.PostApprovalInput, responses=s.PostSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a pending post (editors: not their own; admins and owners: any)."""
        return self._approval(request, content.post_approve, "Approved.")

    @extend_schema(request=s.PostApprovalInput, responses=s.PostSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Send a pending post back to its author with a note."""
        return self._approval(request, content.post_reject, "Rejected.")

    @extend_schema(request=s.PostRetryInput, responses=s.PostRetryResultSerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Send the post's failed (or missed) targets again, now; the others are untouched."""
        post = self.get_object()
        payload = s.PostRetryInput(data=request.data)
        payload.is_valid(raise_exception=True)
        targets = retries.post_targets_to_retry(
            post=post, target_ids=payload.validated_data.get("target_ids")
        )
        result = retries.targets_retry(targets=targets)
        return ok(_retry_answer(result), message=f"{len(result.retried)} targets queued again.")

    @extend_schema(request=s.PostBulkRetryInput, responses=s.PostRetryResultSerializer)
    @action(detail=False, methods=["post"])
    def retry_failed(self, request):
        """Every failed or missed target matching the filters (e.g. one social account
        after reconnecting it, or one platform after an outage)."""
        payload = s.PostBulkRetryInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if data.get("ids"):
            self.resolve_ids(data["ids"])  # another account's post is a 404
        sa = data.get("social_account")
        targets = selectors.targets_retryable(
            post_ids=data.get("ids"),
            platform=data.get("platform"),
            social_account_id=sa.id if sa else None,
        )
        result = retries.targets_retry(targets=list(targets[:1000]))
        return ok(_retry_answer(result), message=f"{len(result.retried)} targets queued again.")

    @extend_schema(
        request={"multipart/form-data": s.PostImportInput}, responses=s.PostImportResultSerializer
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_csv(self, request):
        """A CSV file (`file`), one post per row; rows with a time are scheduled unless
        `schedule=false`. Good rows are kept, bad ones reported by line."""
        payload = s.PostImportInput(data=request.data)
        payload.is_valid(raise_exception=True)
        upload = payload.validated_data["file"]
        if upload.size > imports.MAX_BYTES:
            raise ApplicationError(
                "The file is too large.",
                code="payload_too_large",
                status=413,
                errors={"file": ["At most 2 MB."]},
            )
        result = imports.posts_import(
            data=upload.read(),
            author_id=request.user.id,
            schedule=payload.validated_data["schedule"],
        )
        if not result.created and result.errors:
            raise ApplicationError(
                "No row could be imported.", code="import_failed", errors={"rows": result.errors}
            )
        return created(asdict(result), message=f"{result.created} posts imported.")


class ScheduleViewSet(TenantModelViewSet):
    """`social/schedules/` (001): the posts on the schedule. POST schedules a post, PATCH
    or PUT reschedules it, DELETE (or `cancel/`) takes it off the schedule; the post
    stays. `calendar/?start=&end=` lists a date range day by day."""

    model = Post
    serializer_class = s.PostSerializer
    filterset_class = PostFilterSet
    search_fields = ["title", "text"]
    ordering_fields = ["scheduled_at", "created_at"]
    ordering = ["scheduled_at", "id"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    api_scope = "social"

    def safely_get_queryset(self, queryset):
        return selectors.posts_with_details(queryset.filter(scheduled_at__isnull=False))

    def _detail(self, post_id: int):
        post = selectors.post_for_detail(post_id=post_id)
        return s.PostSerializer(post, context=self.get_serializer_context()).data

    @extend_schema(request=s.PostScheduleInput, responses={201: s.PostSerializer})
    def create(self, request, *args, **kwargs):
        payload = s.PostScheduleInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        post = scheduling.post_schedule(
            post=data["post"],
            scheduled_at=data.get("scheduled_at"),
            next_free_slot=data["next_free_slot"],
        )
        return created(self._detail(post.id), message="Post scheduled.")

    @extend_schema(request=s.PostRescheduleInput, responses=s.PostSerializer)
    def update(self, request, *args, **kwargs):
        post = self.get_object()
        payload = s.PostRescheduleInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        scheduling.post_reschedule(
            post=post, scheduled_at=data.get("scheduled_at"), next_free_slot=data["next_free_slot"]
        )
        return ok(self._detail(post.id), message="Post rescheduled.")

    @extend_schema(request=None, responses=s.PostSerializer)
    def destroy(self, request, *args, **kwargs):
        post = scheduling.post_cancel(post=self.get_object())
        return ok(self._detail(post.id), message="Schedule cancelled.")

    @extend_schema(request=None, responses=s.PostSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        post = scheduling.post_cancel(post=self.get_object())
        return ok(self._detail(post.id), message="Schedule cancelled.")

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, required=True, description="ISO 8601, inclusive"),
            OpenApiParameter("end", str, required=True, description="ISO 8601, exclusive"),
            OpenApiParameter("tz", str, description="time zone the days are cut in (UTC)"),
        ],
        responses=s.PostCalendarSerializer,
        filters=False,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def calendar(self, request):
        """Posts scheduled in [start, end) (at most 93 days), grouped by day."""
        query = s.PostCalendarQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        days = selectors.calendar(start=data["start"], end=data["end"], tz=data["tz"])
        context = self.get_serializer_context()
        return ok(
            {
                "start": data["start"],
                "end": data["end"],
                "tz": data["tz"],
                "days": [
                    {
                        "date": day["date"],
                        "posts": s.PostSerializer(day["posts"], many=True, context=context).data,
                    }
                    for day in days
                ],
            }
        )


class PostingSlotViewSet(BulkDeleteMixin, TenantModelViewSet):
    """`social/slots/`: weekly posting times per social account, and `next_free/`."""

    model = PostingSlot
    serializer_class = s.PostingSlotSerializer
    filterset_class = PostingSlotFilterSet
    ordering_fields = ["weekday", "time"]
    api_scope = "social"

    def safely_get_queryset(self, queryset):
        return queryset.select_related("social_account")

    def _save(self, serializer, **extra):
        try:
            with transaction.atomic():
                serializer.save(**extra)
        except IntegrityError as exc:
            raise ApplicationError(
                "This account already has that slot.",
                code="duplicate",
                errors={"time": ["Already a slot of this account."]},
            ) from exc

    def perform_create(self, serializer):
        self._save(serializer, account_id=tenancy.require().account_id)

    def perform_update(self, serializer):
        self._save(serializer)

    @extend_schema(
        parameters=[
            OpenApiParameter("social_account", int, many=True, required=True),
            OpenApiParameter("after", str, description="ISO 8601; default now"),
        ],
        responses=s.NextFreeSlotSerializer,
        filters=False,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def next_free(self, request):
        """The earliest slot of these social accounts at which none of them has a post."""
        query = s.NextFreeSlotQuery(
            data={
                "social_account": request.query_params.getlist("social_account"),
                **(
                    {"after": request.query_params["after"]}
                    if "after" in request.query_params
                    else {}
                ),
            }
        )
        query.is_valid(raise_exception=True)
        slot = scheduling.next_free_slot_for(
            social_account_ids=query.validated_data["social_account"],
            after=query.validated_data.get("after"),
        )
        return ok({"next_free_slot": slot})


class _AIView(APIView):
    permission_classes = [IsAuthenticated, HasAccountRole]
    read_role = Role.EDITOR
    write_role = Role.EDITOR
    api_scope = "social"
    throttle_classes = [UserThrottle, AIThrottle]


class PostGenerateView(_AIView):
    """001 AI: a social post per platform (credits: `social_post` per platform; 402 when
    they are missing, nothing charged when generation fails)."""

    @extend_schema(request=s.PostGenerateInput, responses=s.PostGenerateSerializer, tags=["ai"])
    @idempotent
    def post(self, request):
        payload = s.PostGenerateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        result = generation.post_generate(
            account_id=tenancy.require().account_id,
            user_id=request.user.id,
            **payload.validated_data,
        )
        return ok(asdict(result), message="Post generated.")


class HashtagsGenerateView(_AIView):
    """001 AI: hashtags for a post's text (credits: `hashtags`)."""

    @extend_schema(request=s.HashtagsInput, responses=s.HashtagsSerializer, tags=["ai"])
    @idempotent
    def post(self, request):
        payload = s.HashtagsInput(data=request.data)
        payload.is_valid(raise_exception=True)
        result = generation.hashtags_generate(
            account_id=tenancy.require().account_id,
            user_id=request.user.id,
            **payload.validated_data,
        )
        return ok(asdict(result), message="Hashtags generated.")
