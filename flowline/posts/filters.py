"""Filters of posts and schedules: status, platform, social account, site, approval and a
date range on the scheduled time (`start` inclusive, `end` exclusive)."""

import django_filters

from flowline.core.filters import FilterSet
from flowline.posts.models import Post, PostingSlot


class PostFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(choices=Post.Status.choices)
    approval = django_filters.ChoiceFilter(choices=Post.Approval.choices)
    platform = django_filters.CharFilter(field_name="targets__platform", distinct=True)
    social_account = django_filters.NumberFilter(
        field_name="targets__social_account_id", distinct=True
    )
    site = django_filters.NumberFilter(field_name="site_id")
    start = django_filters.IsoDateTimeFilter(field_name="scheduled_at", lookup_expr="gte")
    end = django_filters.IsoDateTimeFilter(field_name="scheduled_at", lookup_expr="lt")

    class Meta:
        model = Post
        fields = ["status", "approval", "platform", "social_account", "site", "start", "end"]


class PostingSlotFilterSet(FilterSet):
    social_account = django_filters.NumberFilter(field_name="social_account_id")
    weekday = django_filters.NumberFilter()

    class Meta:
        model = PostingSlot
        fields = ["social_account", "weekday"]
