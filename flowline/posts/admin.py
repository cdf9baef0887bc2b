"""Support staff see a post's targets (state, attempts, the platform's error) and can
send failed ones again."""

from django.contrib import admin, messages

from flowline.posts.models import Post, PostingSlot, PostTarget, PostVariant, SocialAccountPace
from flowline.posts.services.retries import RETRYABLE, targets_retry


class PostVariantInline(admin.TabularInline):
    model = PostVariant
    extra = 0
    fields = ["platform", "text", "media", "link"]
    readonly_fields = fields


class PostTargetInline(admin.TabularInline):
    model = PostTarget
    extra = 0
    can_delete = False
    fields = [
        "social_account",
        "platform",
        "status",
        "attempts",
        "next_attempt_at",
        "external_id",
        "url",
        "error_code",
        "error",
    ]
    readonly_fields = fields


def _retry(modeladmin, request, targets) -> None:
    result = targets_retry(targets=list(targets))
    modeladmin.message_user(
        request,
        f"{len(result.retried)} targets queued again, {len(result.skipped)} skipped.",
        messages.SUCCESS if result.retried else messages.WARNING,
    )


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["id", "__str__", "account", "status", "scheduled_at", "approval", "created_at"]
    list_filter = ["status", "approval", "requires_approval"]
    search_fields = ["title", "text", "account__name"]
    readonly_fields = ["account", "status", "approved_by", "approved_at", "author"]
    inlines = [PostVariantInline, PostTargetInline]
    actions = ["retry_failed_targets"]

    @admin.action(description="Retry the failed targets of the selected posts")
    def retry_failed_targets(self, request, queryset):
        targets = PostTarget.unscoped.filter(
            post__in=queryset, status__in=RETRYABLE
        ).select_related("social_account")
        _retry(self, request, targets)


@admin.register(PostTarget)
class PostTargetAdmin(admin.ModelAdmin):
    list_display = ["id", "post", "platform", "social_account", "status", "attempts", "error_code"]
    list_filter = ["status", "platform"]
    search_fields = ["post__title", "external_id", "error"]
    readonly_fields = [
        "account",
        "post",
        "social_account",
        "platform",
        "status",
        "attempts",
        "claim_token",
        "claimed_at",
        "sent_at",
        "external_id",
        "url",
        "published_at",
        "metrics",
    ]
    actions = ["retry"]

    @admin.action(description="Retry the selected failed or missed targets")
    def retry(self, request, queryset):
        _retry(self, request, queryset.select_related("social_account"))


@admin.register(PostingSlot)
class PostingSlotAdmin(admin.ModelAdmin):
    list_display = ["social_account", "weekday", "time", "timezone", "account"]
    readonly_fields = ["account"]


@admin.register(SocialAccountPace)
class SocialAccountPaceAdmin(admin.ModelAdmin):
    list_display = ["social_account", "paused_until", "reason"]
    readonly_fields = ["account"]
