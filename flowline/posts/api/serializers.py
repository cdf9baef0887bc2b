"""Request and response bodies of posts, schedules, slots, retries, imports and AI."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from flowline.core import urlguard
from flowline.core.errors import ApplicationError
from flowline.core.serializers import IdField, ModelSerializer, Serializer, StrictInputSerializer
from flowline.posts.models import Post, PostingSlot, PostTarget, PostVariant
from flowline.sites.models import Site
from flowline.social.public import PLATFORMS, Platform, SocialAccount

MAX_TARGETS = 20


class PostMediaItemSerializer(StrictInputSerializer):
    """One image or video: a public `url` the platform (or Flowline) fetches, or a
    `file_id` the platform already has."""

    url = serializers.URLField(max_length=1000, required=False)
    file_id = serializers.CharField(max_length=255, required=False)
    type = serializers.ChoiceField(choices=["image", "video"])

    def validate(self, attrs):
        if not attrs.get("url") and not attrs.get("file_id"):
            raise serializers.ValidationError({"url": ["Give a url or a file_id."]})
        if attrs.get("url"):
            try:  # media URLs are fetched server-side: no internal addresses
                urlguard.check(attrs["url"], field="url")
            except ApplicationError as exc:
                raise serializers.ValidationError({"url": [exc.message]}) from exc
        return attrs


class PostVariantInputSerializer(StrictInputSerializer):
    """A platform's own text, media and link (each defaults to empty)."""

    text = serializers.CharField(
        allow_blank=True, required=False, default="", trim_whitespace=False
    )
    media = PostMediaItemSerializer(many=True, required=False, default=list)
    link = serializers.URLField(max_length=1000, allow_blank=True, required=False, default="")


class PostTargetSerializer(ModelSerializer):
    class Meta:
        model = PostTarget
        fields = [
            "id",
            "social_account",
            "platform",
            "status",
            "attempts",
            "max_attempts",
            "next_attempt_at",
            "external_id",
            "url",
            "published_at",
            "error",
            "error_code",
            "metrics",
            "metrics_updated_at",
        ]
        read_only_fields = fields


class PostVariantSerializer(ModelSerializer):
    class Meta:
        model = PostVariant
        fields = ["text", "media", "link"]


class PostSerializer(ModelSerializer):
    """A post as the API shows it: content, variants by platform, each target's state,
    and the overall status derived from them."""

    variants = serializers.SerializerMethodField()
    targets = PostTargetSerializer(many=True, read_only=True)

    class Meta:
        model = Post
        fields = [
            "id",
            "title",
            "text",
            "media",
            "link",
            "site",
            "author",
            "variants",
            "targets",
            "status",
            "scheduled_at",
            "requires_approval",
            "approval",
            "approved_by",
            "approved_at",
            "approval_note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=PostVariantSerializer()))
    def get_variants(self, post) -> dict[str, dict]:
        return {v.platform: PostVariantSerializer(v).data for v in post.variants.all()}


class PostInputSerializer(StrictInputSerializer):
    """What a client writes. `targets` are ids of the account's social accounts (another
    account's id is a 400); `variants` maps a platform to its own content."""

    title = serializers.CharField(max_length=200, allow_blank=True, required=False)
    text = serializers.CharField(allow_blank=True, required=False, trim_whitespace=False)
    media = PostMediaItemSerializer(many=True, required=False)
    link = serializers.URLField(max_length=1000, allow_blank=True, required=False)
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects, allow_null=True, required=False
    )
    requires_approval = serializers.BooleanField(required=False)
    targets = serializers.PrimaryKeyRelatedField(
        queryset=SocialAccount.objects, many=True, required=False
    )
    variants = serializers.DictField(child=PostVariantInputSerializer(), required=False)

    def validate_targets(self, value):
        if len(value) > MAX_TARGETS:
            raise serializers.ValidationError(f"At most {MAX_TARGETS} social accounts.")
        return value

    def validate_variants(self, value):
        unknown = sorted(set(value) - set(PLATFORMS))
        if unknown:
            raise serializers.ValidationError(
                f"Unknown platform(s): {', '.join(unknown)}. Use {', '.join(PLATFORMS)}."
            )
        return value


class PostApprovalInput(StrictInputSerializer):
    note = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")


class PostScheduleInput(StrictInputSerializer):
    """`scheduled_at`, or `next_free_slot: true` for the earliest free posting slot of the
    post's social accounts (after `scheduled_at` when both are given)."""

    post = serializers.PrimaryKeyRelatedField(queryset=Post.objects)
    scheduled_at = serializers.DateTimeField(required=False)
    next_free_slot = serializers.BooleanField(required=False, default=False)


class PostRescheduleInput(StrictInputSerializer):
    scheduled_at = serializers.DateTimeField(required=False)
    next_free_slot = serializers.BooleanField(required=False, default=False)


class PostCalendarQuery(Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    tz = serializers.CharField(required=False, default="UTC")

    def validate_tz(self, value):
        return _zone(value)

    def validate(self, attrs):
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": ["Must be after start."]})
        if (attrs["end"] - attrs["start"]).days > 93:
            raise serializers.ValidationError({"end": ["At most 93 days per request."]})
        return attrs


class PostCalendarDaySerializer(Serializer):
    date = serializers.DateField()
    posts = PostSerializer(many=True)


class PostCalendarSerializer(Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    tz = serializers.CharField()
    days = PostCalendarDaySerializer(many=True)


class PostRetryInput(StrictInputSerializer):
    """Retry some of the post's failed targets (`target_ids`), or all of them."""

    target_ids = serializers.ListField(child=IdField(), required=False, max_length=100)


class PostBulkRetryInput(StrictInputSerializer):
    """Every failed or missed target matching all the filters given (at least one):
    posts `ids`, a `platform`, a `social_account`."""

    ids = serializers.ListField(child=IdField(), required=False, max_length=1000)
    platform = serializers.ChoiceField(choices=Platform.choices, required=False)
    social_account = serializers.PrimaryKeyRelatedField(
        queryset=SocialAccount.objects, required=False
    )

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(
                {"non_field_errors": ["Give ids, platform or social_account."]}
            )
        return attrs


class PostRetryResultSerializer(Serializer):
    retried = serializers.ListField(child=serializers.IntegerField())
    retried_count = serializers.IntegerField()
    skipped = serializers.ListField(child=serializers.DictField())


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise serializers.ValidationError("Unknown time zone.") from exc
    return value


class PostingSlotSerializer(ModelSerializer):
    """A weekly posting time of a social account (weekday 0 = Monday), in `timezone`."""

    social_account = serializers.PrimaryKeyRelatedField(queryset=SocialAccount.objects)
    weekday = serializers.IntegerField(min_value=0, max_value=6)

    class Meta:
        model = PostingSlot
        fields = ["id", "social_account", "weekday", "time", "timezone"]
        read_only_fields = ["id"]
        validators = []  # a taken slot is reported by the view as a 400 on `time`

    def validate_timezone(self, value):
        return _zone(value)


class NextFreeSlotQuery(Serializer):
    social_account = serializers.ListField(child=IdField())
    after = serializers.DateTimeField(required=False)


class NextFreeSlotSerializer(Serializer):
    next_free_slot = serializers.DateTimeField(allow_null=True)


class PostImportInput(Serializer):
    file = serializers.FileField()
    schedule = serializers.BooleanField(required=False, default=True)


class PostImportResultSerializer(Serializer):
    created = serializers.IntegerField()
    post_ids = serializers.ListField(child=serializers.IntegerField())
    errors = serializers.ListField(child=serializers.DictField())


class PostGenerateInput(StrictInputSerializer):
    """A post per platform about `subject`; with `post_id`, the texts are saved as that
    post's variants (platforms of its targets when `platforms` is not given)."""

    subject = serializers.CharField(max_length=2000)
    platforms = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, max_length=5
    )
    tone = serializers.CharField(max_length=50, required=False, default="friendly")
    post_id = serializers.PrimaryKeyRelatedField(
        queryset=Post.objects, required=False, source="post"
    )

    def validate_platforms(self, value):
        unknown = sorted(set(value) - set(PLATFORMS))
        if unknown:
            raise serializers.ValidationError(f"Unknown platform(s): {', '.join(unknown)}.")
        return list(dict.fromkeys(value))

    def validate(self, attrs):
        if not attrs.get("platforms") and "post" not in attrs:
            raise serializers.ValidationError({"platforms": ["Give platforms or a post_id."]})
        return attrs


class GeneratedVariantSerializer(Serializer):
    text = serializers.CharField()
    hashtags = serializers.ListField(child=serializers.CharField())
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class PostGenerateSerializer(Serializer):
    variants = serializers.DictField(child=GeneratedVariantSerializer())
    credits_used = serializers.IntegerField()
    offline = serializers.BooleanField()
    saved = serializers.BooleanField()


class HashtagsInput(StrictInputSerializer):
    text = serializers.CharField(max_length=5000)
    platform = serializers.ChoiceField(
        choices=Platform.choices, required=False, default="instagram"
    )
    count = serializers.IntegerField(min_value=1, max_value=30, required=False, default=10)


class HashtagsSerializer(Serializer):
    hashtags = serializers.ListField(child=serializers.CharField())
    credits_used = serializers.IntegerField()
    offline = serializers.BooleanField()
